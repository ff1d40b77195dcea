import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { TableChunk } from '../profile/profile.ts';
import { readCsv } from './csv.ts';
import { DataError } from './errors.ts';
import { readJsonl } from './jsonl.ts';
import { readParquet } from './parquet.ts';
import { type DataFormat, resolveSources, type Source } from './source.ts';
import { type TimeWindow, withinWindow } from './window.ts';

export interface ReadOptions {
  format?: DataFormat;
  /** Called as bytes arrive; `total` is the sum of known source sizes (compressed, for .gz). */
  onProgress?: (bytesRead: number, total: number | undefined) => void;
  /** Only the rows inside this time window (a DriftMonitor source's timestampColumn and window). */
  window?: TimeWindow;
}

async function* decodeText(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  // Streaming decode: a multi-byte character split across chunks is completed by the next chunk.
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of bytes) yield decoder.decode(chunk, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

async function* counted(
  bytes: AsyncIterable<Uint8Array>,
  onChunk: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of bytes) {
    onChunk(chunk.length);
    yield chunk;
  }
}

async function* readSource(source: Source, onBytes: (n: number) => void): AsyncGenerator<TableChunk> {
  if (source.format === 'parquet') {
    yield* readParquet(source, onBytes);
    return;
  }
  let bytes: AsyncIterable<Uint8Array> = counted(await source.open(), onBytes);
  if (/\.gz($|[?#])/i.test(source.name)) bytes = Readable.from(bytes).pipe(createGunzip());
  const text = decodeText(bytes);
  yield* source.format === 'csv' ? readCsv(text, source.name) : readJsonl(text, source.name);
}

/** Streams every source behind `location` (file, directory, glob, URL) as table chunks. */
export async function* readTable(location: string, options: ReadOptions = {}): AsyncGenerator<TableChunk> {
  const sources = await resolveSources(location, options.format);
  const sizes = sources.map((s) => s.size);
  const total = sizes.every((s) => s !== undefined) ? sizes.reduce((a, b) => a + b, 0) : undefined;
  let read = 0;
  const onBytes = (n: number) => {
    read += n;
    options.onProgress?.(read, total);
  };
  for (const source of sources) {
    try {
      const chunks = readSource(source, onBytes);
      yield* options.window ? withinWindow(chunks, options.window, source.name) : chunks;
    } catch (error) {
      if (error instanceof DataError) throw error;
      throw new DataError(`${source.name}: ${(error as Error).message}`);
    }
  }
}
