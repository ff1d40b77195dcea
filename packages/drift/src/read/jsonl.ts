import type { Cell } from '../profile/feature.ts';
import type { TableChunk } from '../profile/profile.ts';
import { DataError } from './errors.ts';

const ROWS_PER_CHUNK = 4096;

/** Streams JSON Lines (one object per line); keys become columns in order of first appearance. */
export async function* readJsonl(
  text: AsyncIterable<string>,
  sourceName: string,
): AsyncGenerator<TableChunk> {
  const columns: string[] = [];
  const index = new Map<string, number>();
  let batch: Cell[][] = [];
  let carried = '';
  let line = 0;
  let objects = 0;
  const parseLine = (raw: string): void => {
    line++;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new DataError(`${sourceName}: line ${line}: invalid JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError(
        `${sourceName}: line ${line}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`,
      );
    }
    const row: Cell[] = new Array<Cell>(columns.length);
    for (const [key, cell] of Object.entries(value)) {
      let at = index.get(key);
      if (at === undefined) {
        at = columns.length;
        index.set(key, at);
        columns.push(key);
      }
      row[at] = cell as Cell;
    }
    objects++;
    batch.push(row);
  };
  const flush = (): TableChunk => {
    const chunk = { columns: [...columns], rows: batch };
    batch = [];
    return chunk;
  };
  for await (const piece of text) {
    const lines = (carried + piece).split('\n');
    carried = lines.pop() ?? '';
    for (const raw of lines) parseLine(raw);
    if (batch.length >= ROWS_PER_CHUNK) yield flush();
  }
  parseLine(carried);
  if (batch.length > 0) yield flush();
  if (objects === 0) throw new DataError(`${sourceName}: empty file (no JSON objects)`);
}
