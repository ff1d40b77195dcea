import { createReadStream } from 'node:fs';
import { glob, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { AsyncBuffer } from 'hyparquet';
import { DataError } from './errors.ts';

const UNREACHABLE = { unreachable: true };

export const dataFormats = ['csv', 'jsonl', 'parquet'] as const;
export type DataFormat = (typeof dataFormats)[number];

/** One file or object to read: a name for messages, its size when known, and a byte stream. */
export interface Source {
  name: string;
  format: DataFormat;
  size?: number;
  open(): Promise<AsyncIterable<Uint8Array>>;
  /** Where random access reads go (Parquet reads its footer first): a local path or a URL. */
  location: { path: string } | { url: string };
  /** Random access for sources that are neither a local path nor a plain URL (S3 objects). */
  asyncBuffer?: () => Promise<AsyncBuffer>;
}

const EXTENSIONS: Record<string, DataFormat> = {
  csv: 'csv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
};

/** The format a file name implies (a trailing .gz is looked through), or undefined. */
export function formatOf(name: string): DataFormat | undefined {
  const bare = name.replace(/[?#].*$/, '').replace(/\.gz$/i, '');
  const ext = bare.slice(bare.lastIndexOf('.') + 1).toLowerCase();
  return EXTENSIONS[ext];
}

function requireFormat(name: string, forced: DataFormat | undefined): DataFormat {
  const format = forced ?? formatOf(name);
  if (!format)
    throw new DataError(`${name}: unknown data format; use a .csv, .jsonl or .parquet name or pass --format`);
  return format;
}

function fileSource(path: string, size: number, forced: DataFormat | undefined): Source {
  return {
    name: path,
    format: requireFormat(path, forced),
    size,
    open: async () => createReadStream(path),
    location: { path },
  };
}

/** Network errors from fetch hide their cause one level down; surface it for the message. */
function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function httpSource(url: string, forced: DataFormat | undefined): Source {
  return {
    name: url,
    format: requireFormat(new URL(url).pathname, forced),
    location: { url },
    open: async () => {
      let response: Response;
      try {
        response = await fetch(url);
      } catch (error) {
        throw new DataError(`${url}: unreachable (${describeFetchError(error)})`, UNREACHABLE);
      }
      if (!response.ok || response.body === null) {
        throw new DataError(`${url}: HTTP ${response.status} ${response.statusText}`.trim(), UNREACHABLE);
      }
      return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    },
  };
}

const GLOB_CHARS = /[*?[{]/;

/**
 * The local path a `file://` URI names (percent-escapes decoded); any other location unchanged. A file://
 * URI naming another host is a DataError: the readers cannot reach it.
 */
export function localLocation(location: string): string {
  if (!/^file:\/\//i.test(location)) return location;
  try {
    return fileURLToPath(location);
  } catch (error) {
    throw new DataError(`${location}: not a local file:// URI (${(error as Error).message})`);
  }
}

/**
 * Expands a location into sources: an http(s) URL, an s3:// object or prefix, a file (a path or a file:// URI), a
 * directory (every data file in it, recursively, in name order) or a glob. Throws a DataError when nothing is there.
 */
export async function resolveSources(uriOrPath: string, forced?: DataFormat): Promise<Source[]> {
  const location = localLocation(uriOrPath);
  if (/^https?:\/\//i.test(location)) return [httpSource(location, forced)];
  if (/^s3:\/\//i.test(location)) {
    // Loaded on demand: the AWS SDK costs startup time that local reads should not pay.
    const { resolveS3Sources } = await import('./s3.ts');
    return resolveS3Sources(location, forced);
  }
  if (GLOB_CHARS.test(location)) {
    const paths: string[] = [];
    for await (const path of glob(location)) paths.push(path);
    paths.sort();
    const files = await Promise.all(paths.map(async (p) => ({ p, s: await stat(p) })));
    const sources = files.filter((f) => f.s.isFile()).map((f) => fileSource(f.p, f.s.size, forced));
    if (sources.length === 0) throw new DataError(`${location}: no files match`, UNREACHABLE);
    return sources;
  }
  const info = await stat(location).catch(() => undefined);
  if (!info) throw new DataError(`${location}: no such file or directory`, UNREACHABLE);
  if (info.isFile()) return [fileSource(location, info.size, forced)];
  const entries = await readdir(location, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile() && (forced !== undefined || formatOf(e.name) !== undefined))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (paths.length === 0)
    throw new DataError(`${location}: directory holds no .csv, .jsonl or .parquet files`);
  return Promise.all(paths.map(async (p) => fileSource(p, (await stat(p)).size, forced)));
}
