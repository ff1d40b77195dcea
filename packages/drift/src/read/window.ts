import type { Cell } from '../profile/feature.ts';
import type { TableChunk } from '../profile/profile.ts';
import { DataError } from './errors.ts';

/** Keep only rows whose `column` holds a time at or after `notBefore` (epoch milliseconds). */
export interface TimeWindow {
  column: string;
  notBefore: number;
}

/** Epoch milliseconds of a timestamp cell: ISO 8601 text, a Date, or a number of seconds since the epoch. */
function timeOf(cell: Cell): number | undefined {
  if (cell instanceof Date) return cell.getTime();
  // Parquet INT64 timestamps arrive as bigint or number: both are read as seconds (Unix time).
  if (typeof cell === 'number' || typeof cell === 'bigint') return Number(cell) * 1000;
  if (typeof cell !== 'string' || cell.trim() === '') return undefined;
  const ms = Date.parse(cell);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Filters a table stream to the rows inside a time window. A row without a readable time is an error
 * naming the source and row, because silently dropping it would shrink the window unnoticed.
 */
export async function* withinWindow(
  chunks: AsyncIterable<TableChunk>,
  window: TimeWindow,
  source: string,
): AsyncGenerator<TableChunk> {
  let row = 0;
  for await (const chunk of chunks) {
    const index = chunk.columns.indexOf(window.column);
    if (index < 0) throw new DataError(`${source}: no timestamp column '${window.column}'`);
    const rows = chunk.rows.filter((cells) => {
      row++;
      const time = timeOf(cells[index]);
      if (time === undefined) {
        throw new DataError(
          `${source}: row ${row}: ${window.column} ${JSON.stringify(cells[index] ?? null)} is not a timestamp`,
        );
      }
      return time >= window.notBefore;
    });
    // An emptied chunk still carries the columns: a window with no rows is too little data, not a lost column.
    yield { columns: chunk.columns, rows };
  }
}
