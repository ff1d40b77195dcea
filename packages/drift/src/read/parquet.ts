import {
  type AsyncBuffer,
  asyncBufferFromFile,
  asyncBufferFromUrl,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from 'hyparquet';
import type { Cell } from '../profile/feature.ts';
import type { TableChunk } from '../profile/profile.ts';
import { DataError } from './errors.ts';
import type { Source } from './source.ts';

/** Counts the bytes hyparquet fetches, for the progress indication. */
function counting(file: AsyncBuffer, onBytes: (n: number) => void): AsyncBuffer {
  return {
    byteLength: file.byteLength,
    slice: async (start, end) => {
      const bytes = await file.slice(start, end);
      onBytes(bytes.byteLength);
      return bytes;
    },
  };
}

/**
 * Streams a Parquet file one row group at a time (hyparquet reads the footer, then only the byte
 * ranges of each group), so memory stays bounded by the largest row group.
 */
export async function* readParquet(source: Source, onBytes: (n: number) => void): AsyncGenerator<TableChunk> {
  let file: AsyncBuffer;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    const raw = source.asyncBuffer
      ? await source.asyncBuffer()
      : 'path' in source.location
        ? await asyncBufferFromFile(source.location.path)
        : await asyncBufferFromUrl({ url: source.location.url });
    file = counting(raw, onBytes);
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new DataError(`${source.name}: not a readable Parquet file (${(error as Error).message})`);
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Cell[][] = [];
    try {
      await parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        onComplete: (parsed) => {
          rows = parsed as Cell[][];
        },
      });
    } catch (error) {
      throw new DataError(`${source.name}: rows ${rowStart}-${rowEnd}: ${(error as Error).message}`);
    }
    yield { columns, rows };
    rowStart = rowEnd;
  }
}
