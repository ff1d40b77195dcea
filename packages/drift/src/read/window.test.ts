import { describe, expect, it } from 'vitest';
import type { TableChunk } from '../profile/profile.ts';
import { DataError } from './errors.ts';
import { withinWindow } from './window.ts';

async function collect(chunks: TableChunk[], notBefore: number): Promise<unknown[][]> {
  async function* source() {
    yield* chunks;
  }
  const rows: unknown[][] = [];
  for await (const chunk of withinWindow(source(), { column: 't', notBefore }, 'data.csv'))
    rows.push(...chunk.rows.map((r) => [...r]));
  return rows;
}

describe('a time window', () => {
  const notBefore = Date.parse('2026-11-22T00:00:00Z');

  it('keeps the rows at or after its start, from ISO text or epoch seconds', async () => {
    const rows = await collect(
      [
        {
          columns: ['t', 'x'],
          rows: [
            ['2026-11-21T23:59:59Z', 1],
            ['2026-11-22T00:00:00Z', 2],
            [notBefore / 1000 + 60, 3],
          ],
        },
      ],
      notBefore,
    );
    expect(rows.map((r) => r[1])).toEqual([2, 3]);
  });

  it('rejects a row without a readable time, naming the source and row', async () => {
    const chunks = [
      {
        columns: ['t', 'x'],
        rows: [
          ['2026-11-22T01:00:00Z', 1],
          ['yesterday', 2],
        ],
      },
    ];
    await expect(collect(chunks, notBefore)).rejects.toThrow(DataError);
    await expect(collect(chunks, notBefore)).rejects.toThrow(
      'data.csv: row 2: t "yesterday" is not a timestamp',
    );
  });

  it('rejects data without the timestamp column', async () => {
    await expect(collect([{ columns: ['x'], rows: [[1]] }], notBefore)).rejects.toThrow(
      "data.csv: no timestamp column 't'",
    );
  });
});
