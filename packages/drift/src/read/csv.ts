import type { TableChunk } from '../profile/profile.ts';
import { DataError } from './errors.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;

interface Parsed {
  rows: string[][];
  /** Text of an incomplete last row, carried into the next chunk. */
  rest: string;
}

/** Strips the CR of a CRLF line ending from the last field of a row. */
function trimCr(value: string): string {
  return value.charCodeAt(value.length - 1) === CR ? value.slice(0, -1) : value;
}

/**
 * Parses the complete RFC 4180 rows of `text` (quoted fields, doubled quotes, CRLF or LF endings).
 * Unless `final`, an unterminated last row is returned as `rest` instead of parsed.
 */
export function parseCsvRows(text: string, final: boolean, delimiter = ','): Parsed {
  const rows: string[][] = [];
  const n = text.length;
  let i = 0;
  let rowStart = 0;
  let row: string[] = [];
  let nextNewline = -2;
  let nextDelimiter = -2;
  const incomplete = (): Parsed => ({ rows, rest: text.slice(rowStart) });
  while (i < n) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      let parts = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) {
          if (final) throw new DataError(`row ${rows.length + 1}: unterminated quoted field`);
          return incomplete();
        }
        if (q + 1 >= n && !final) return incomplete();
        if (text.charCodeAt(q + 1) === QUOTE) {
          parts += text.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        parts += text.slice(j, q);
        i = q + 1;
        break;
      }
      value = parts;
      nextNewline = -2;
      nextDelimiter = -2;
    } else {
      if (nextNewline < i && nextNewline !== -1) nextNewline = text.indexOf('\n', i);
      if (nextDelimiter < i && nextDelimiter !== -1) nextDelimiter = text.indexOf(delimiter, i);
      let end = nextNewline === -1 ? n : nextNewline;
      if (nextDelimiter !== -1 && nextDelimiter < end) end = nextDelimiter;
      if (end === n && !final) return incomplete();
      value = text.slice(i, end);
      i = end;
    }
    if (i >= n) {
      row.push(trimCr(value));
      rows.push(row);
      row = [];
      rowStart = n;
      break;
    }
    const ch = text.charCodeAt(i);
    // A CR closing the chunk may be the first half of a CRLF the next chunk completes.
    if (ch === CR && i + 1 >= n && !final) return incomplete();
    if (ch === LF || (ch === CR && (i + 1 >= n || text.charCodeAt(i + 1) === LF))) {
      row.push(trimCr(value));
      rows.push(row);
      row = [];
      i += ch === LF || i + 1 >= n ? 1 : 2;
      rowStart = i;
    } else if (text.startsWith(delimiter, i)) {
      row.push(value);
      i += delimiter.length;
      if (i >= n) {
        if (!final) return incomplete();
        row.push('');
        rows.push(row);
        rowStart = n;
      }
    } else {
      throw new DataError(
        `row ${rows.length + 1}: unexpected ${JSON.stringify(text[i])} after a closing quote`,
      );
    }
  }
  return { rows, rest: text.slice(rowStart) };
}

/**
 * Rows per chunk handed to the profiler: large enough to amortise the async hop per chunk, small
 * enough that the parsed strings of one chunk stay a few MB (peak RSS of a 1 GB profile).
 */
const ROWS_PER_CHUNK = 1024;

/** Streams a CSV text source as table chunks; the first row is the header. */
export async function* readCsv(text: AsyncIterable<string>, sourceName: string): AsyncGenerator<TableChunk> {
  let header: string[] | undefined;
  let carried = '';
  let rowNumber = 0;
  const take = function* (rows: string[][]): Generator<TableChunk> {
    let batch: string[][] = [];
    for (const row of rows) {
      rowNumber++;
      // A blank line is one empty field: skip it rather than treat it as a row of nulls.
      if (row.length === 1 && row[0] === '') continue;
      if (header === undefined) {
        const duplicate = row.find((name, i) => row.indexOf(name) !== i);
        if (duplicate !== undefined)
          throw new DataError(
            `${sourceName}: column ${JSON.stringify(duplicate)} appears twice in the header`,
          );
        header = row;
        continue;
      }
      if (row.length !== header.length) {
        throw new DataError(
          `${sourceName}: row ${rowNumber} has ${row.length} fields, the header has ${header.length}`,
        );
      }
      batch.push(row);
      if (batch.length >= ROWS_PER_CHUNK) {
        yield { columns: header, rows: batch };
        batch = [];
      }
    }
    if (batch.length > 0 && header) yield { columns: header, rows: batch };
  };
  try {
    for await (const piece of text) {
      const parsed = parseCsvRows(carried + piece, false);
      carried = parsed.rest;
      yield* take(parsed.rows);
    }
    yield* take(parseCsvRows(carried, true).rows);
  } catch (error) {
    if (error instanceof DataError && !error.message.startsWith(sourceName)) {
      throw new DataError(`${sourceName}: ${error.message}`);
    }
    throw error;
  }
  if (header === undefined) throw new DataError(`${sourceName}: empty file (no header row)`);
}
