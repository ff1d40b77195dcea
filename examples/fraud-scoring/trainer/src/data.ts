/** Reads the example's labelled transactions through @steward/drift's readers (file, directory, s3, http). */
import { readTable } from '@steward/drift';
import type { Row } from './model.ts';

export const LABEL_COLUMN = 'is_fraud';

export interface LabelledRow {
  row: Row;
  label: number;
}

export async function readLabelledRows(location: string): Promise<LabelledRow[]> {
  const rows: LabelledRow[] = [];
  for await (const chunk of readTable(location)) {
    const labelAt = chunk.columns.indexOf(LABEL_COLUMN);
    if (labelAt < 0)
      throw new Error(`${location}: no ${LABEL_COLUMN} column (found ${chunk.columns.join(', ')})`);
    for (const cells of chunk.rows) {
      const label = Number(cells[labelAt]);
      if (label !== 0 && label !== 1) {
        throw new Error(
          `${location}: row ${rows.length + 1}: ${LABEL_COLUMN} must be 0 or 1, not ${String(cells[labelAt])}`,
        );
      }
      const row: Record<string, string | number | undefined> = {};
      chunk.columns.forEach((column, i) => {
        const cell = cells[i];
        row[column] = typeof cell === 'number' || typeof cell === 'string' ? cell : undefined;
      });
      rows.push({ row, label });
    }
  }
  if (rows.length === 0) throw new Error(`${location}: no rows`);
  return rows;
}
