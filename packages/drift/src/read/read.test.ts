import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableChunk } from '../profile/profile.ts';
import { parseCsvRows } from './csv.ts';
import { DataError } from './errors.ts';
import { readTable } from './table.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-drift-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function readAll(location: string): Promise<{ columns: readonly string[]; rows: unknown[][] }> {
  const rows: unknown[][] = [];
  let columns: readonly string[] = [];
  for await (const chunk of readTable(location) as AsyncIterable<TableChunk>) {
    columns = chunk.columns;
    for (const row of chunk.rows) rows.push([...row]);
  }
  return { columns, rows };
}

describe('the CSV parser', () => {
  it('reads quoted fields with delimiters, doubled quotes, newlines and CRLF endings', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n';
    expect(parseCsvRows(text, true).rows).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', '2'],
    ]);
  });

  it('gives the same rows wherever the stream splits the text', () => {
    const text = 'h1,h2,h3\n1,"a,""b""",\n"",x,"y\nz"\r\n4,5,6';
    const whole = parseCsvRows(text, true).rows;
    for (let cut = 0; cut <= text.length; cut++) {
      const first = parseCsvRows(text.slice(0, cut), false);
      const second = parseCsvRows(first.rest + text.slice(cut), true);
      expect([...first.rows, ...second.rows], `split at ${cut}`).toEqual(whole);
    }
  });

  it('rejects an unterminated quote', () => {
    expect(() => parseCsvRows('a\n"open', true)).toThrow(/unterminated quoted field/);
  });
});

describe('reading tables', () => {
  it('streams CSV rows under the header, gzip included', async () => {
    const path = await file('small.csv.gz', gzipSync('x,c\n1,a\n2,b\n'));
    expect(await readAll(path)).toEqual({
      columns: ['x', 'c'],
      rows: [
        ['1', 'a'],
        ['2', 'b'],
      ],
    });
  });

  it('reads a file:// URI as the file it names, percent-escapes decoded, and rejects one on another host', async () => {
    const path = await file('with space.csv', 'x\n1\n');
    const uri = pathToFileURL(path).href;
    expect(uri).toContain('with%20space.csv');
    expect(await readAll(uri)).toEqual({ columns: ['x'], rows: [['1']] });
    await expect(readAll('file://data-host/x.csv')).rejects.toThrow(
      /file:\/\/data-host\/x\.csv: not a local file:\/\/ URI/,
    );
  });

  it('names the row whose field count differs from the header', async () => {
    const path = await file('ragged.csv', 'x,c\n1,a\n2\n');
    await expect(readAll(path)).rejects.toThrow(/ragged\.csv: row 3 has 1 fields, the header has 2/);
  });

  it('rejects a CSV header that names a column twice', async () => {
    await expect(readAll(await file('twice.csv', 'x,y,x\n1,2,3\n'))).rejects.toThrow(
      /twice\.csv: column "x" appears twice/,
    );
  });

  it('reports an empty CSV or JSONL file as empty', async () => {
    await expect(readAll(await file('empty.csv', ''))).rejects.toThrow(/empty file/);
    await expect(readAll(await file('empty.jsonl', '\n'))).rejects.toThrow(/empty file/);
  });

  it('reads JSONL keys as columns and a missing key as a missing value', async () => {
    const path = await file('rows.jsonl', '{"x":1,"c":"a"}\n{"c":"b","y":true}\n');
    const { columns, rows } = await readAll(path);
    expect(columns).toEqual(['x', 'c', 'y']);
    expect(rows).toEqual([
      [1, 'a'],
      [undefined, 'b', true],
    ]);
  });

  it('names the line of invalid JSONL', async () => {
    await expect(readAll(await file('bad.jsonl', '{"x":1}\n{"x":\n'))).rejects.toThrow(
      /bad\.jsonl: line 2: invalid JSON/,
    );
    await expect(readAll(await file('array.jsonl', '[1,2]\n'))).rejects.toThrow(
      /line 1: expected a JSON object/,
    );
  });

  it('reads every data file of a directory and of a glob, in name order', async () => {
    await file('part-1.jsonl', '{"x":1}\n');
    await file('part-2.jsonl', '{"x":2}\n');
    expect((await readAll(join(dir, 'part-*.jsonl'))).rows).toEqual([[1], [2]]);
    await expect(readAll(join(dir, 'nothing-*.csv'))).rejects.toThrow(/no files match/);
  });

  it('reports a missing file and an unknown format', async () => {
    await expect(readAll(join(dir, 'missing.csv'))).rejects.toThrow(/no such file/);
    await expect(readAll(await file('data.txt', 'x'))).rejects.toThrow(/unknown data format/);
  });

  it('reads Parquet row groups and rejects a truncated Parquet file', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'x', data: [1.5, 2.5, 3.5], type: 'DOUBLE' },
        { name: 'c', data: ['a', 'b', null], type: 'STRING' },
      ],
      rowGroupSize: 2,
    });
    const bytes = new Uint8Array(buffer);
    const path = await file('rows.parquet', bytes);
    expect(await readAll(path)).toEqual({
      columns: ['x', 'c'],
      rows: [
        [1.5, 'a'],
        [2.5, 'b'],
        [3.5, null],
      ],
    });
    const truncated = await file('truncated.parquet', bytes.subarray(0, bytes.length - 20));
    const error = await readAll(truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(/truncated\.parquet: not a readable Parquet file/);
  });

  it('reports an unreachable URL as unreachable', async () => {
    // A port that was just released: nothing listens there, so the connection is refused at once.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    const url = `http://127.0.0.1:${port}/data.csv`;
    await expect(readAll(url)).rejects.toThrow(`${url}: unreachable (ECONNREFUSED)`);
  });
});
