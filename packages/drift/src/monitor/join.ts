// Concept drift on delayed ground truth: the labels arrive later and elsewhere than the predictions, so
// the two sources are joined by key before a quality metric can be computed.
import type { Cell } from '../profile/feature.ts';
import type { TableChunk } from '../profile/profile.ts';
import { DataError } from '../read/errors.ts';
import type { LabelledRow } from './quality.ts';

/**
 * The most labelled keys one join holds in memory. Each costs roughly a hundred bytes (its key text and
 * label), so a million stays near 100 MB, well inside a check Pod's usual 512 Mi-1 Gi. More labels than
 * this is a window that is too wide for one check, not a reason to exhaust the Pod's memory.
 */
export const MAX_JOINED_LABELS = 1_000_000;

/** What the join found, besides the matched rows: every row it could not use is counted here. */
export interface JoinCounts {
  /** Label rows with a key and a label, a repeated key counted once. */
  labelRows: number;
  /** Prediction rows with a key and a prediction, a repeated labelled key counted once. */
  predictionRows: number;
  /** Labels whose key no prediction has: the ground truth of something the predictions do not hold. */
  unmatchedLabels: number;
  /** Predictions whose key no label has (yet): normal for delayed labels. */
  unmatchedPredictions: number;
  /** Rows of either side whose key was seen before on that side; the first one counts, these are skipped. */
  duplicateKeys: number;
  /** Rows of either side skipped because a key cell, the prediction or the label is empty. */
  incompleteRows: number;
  /** Matched rows / labelRows: the share of the ground truth the check could use (0 without labels). */
  matchRate: number;
}

export interface JoinSpec {
  /** Columns identifying one prediction; the same names on both sides. */
  keyColumns: readonly string[];
  predictionColumn: string;
  labelColumn: string;
  maxLabels?: number;
}

const isEmpty = (cell: Cell) => cell === null || cell === undefined || cell === '';

/**
 * A key cell as text, so both sides compare alike whatever their format: a CSV's "42", a JSONL's 42 and a
 * Parquet's 42n are one key; "042" and 42 are not (text is never reinterpreted as a number).
 */
function keyText(cell: Cell, column: string, source: string): string {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'bigint' || typeof cell === 'boolean') return String(cell);
  throw new DataError(
    `${source}: key column '${column}' holds a ${Array.isArray(cell) ? 'list' : 'nested object'}, not a value`,
  );
}

/** A scalar prediction or label; nested values are a data error, not a class. */
function value(cell: Cell, column: string, source: string): number | string {
  if (typeof cell === 'number' || typeof cell === 'string') return cell;
  if (typeof cell === 'bigint' || typeof cell === 'boolean') return String(cell);
  throw new DataError(`${source}: column '${column}' holds a nested value`);
}

function columnIndexes(chunk: TableChunk, columns: readonly string[], source: string): number[] {
  return columns.map((column) => {
    const index = chunk.columns.indexOf(column);
    if (index < 0)
      throw new DataError(`${source}: no column '${column}' (found ${chunk.columns.join(', ')})`);
    return index;
  });
}

/** The key of a row, or undefined when a key cell is empty. Several columns join as a JSON array, so no separator can collide. */
function rowKey(row: readonly Cell[], indexes: readonly number[], spec: JoinSpec, source: string) {
  const parts: string[] = [];
  for (const [i, index] of indexes.entries()) {
    const cell = row[index];
    if (isEmpty(cell)) return undefined;
    parts.push(keyText(cell, spec.keyColumns[i] as string, source));
  }
  return parts.length === 1 ? (parts[0] as string) : JSON.stringify(parts);
}

interface PendingLabel {
  label: number | string;
  matched: boolean;
}

/**
 * Joins predictions with their labels by key in one pass over each: the labels (the delayed, smaller
 * side) are held in memory, at most `maxLabels` of them, and the predictions stream past. A key seen
 * twice on one side counts the first row and skips the others, so a re-scored transaction or a label
 * delivered twice never weighs double. Throws a DataError for a missing column, a nested key, or more
 * labels than fit.
 */
export async function joinByKey(
  labels: AsyncIterable<TableChunk>,
  predictions: AsyncIterable<TableChunk>,
  spec: JoinSpec,
  names: { labels: string; predictions: string },
): Promise<{ rows: LabelledRow[]; counts: JoinCounts }> {
  const maxLabels = spec.maxLabels ?? MAX_JOINED_LABELS;
  const pending = new Map<string, PendingLabel>();
  let duplicateKeys = 0;
  let incompleteRows = 0;
  for await (const chunk of labels) {
    const keys = columnIndexes(chunk, spec.keyColumns, names.labels);
    const [labelAt] = columnIndexes(chunk, [spec.labelColumn], names.labels) as [number];
    for (const row of chunk.rows) {
      const key = rowKey(row, keys, spec, names.labels);
      if (key === undefined || isEmpty(row[labelAt])) {
        incompleteRows++;
      } else if (pending.has(key)) {
        duplicateKeys++;
      } else {
        if (pending.size >= maxLabels) {
          throw new DataError(
            `${names.labels}: more than ${maxLabels} labelled keys to join; narrow the labels with a window`,
          );
        }
        pending.set(key, { label: value(row[labelAt], spec.labelColumn, names.labels), matched: false });
      }
    }
  }
  const rows: LabelledRow[] = [];
  let predictionRows = 0;
  let unmatchedPredictions = 0;
  for await (const chunk of predictions) {
    const keys = columnIndexes(chunk, spec.keyColumns, names.predictions);
    const [predictionAt] = columnIndexes(chunk, [spec.predictionColumn], names.predictions) as [number];
    for (const row of chunk.rows) {
      const key = rowKey(row, keys, spec, names.predictions);
      if (key === undefined || isEmpty(row[predictionAt])) {
        incompleteRows++;
        continue;
      }
      const label = pending.get(key);
      if (label?.matched) {
        duplicateKeys++;
        continue;
      }
      predictionRows++;
      if (label === undefined) {
        // Unlabelled keys are not remembered (bounded memory): a repeated one counts as unmatched again.
        unmatchedPredictions++;
      } else {
        label.matched = true;
        rows.push({
          prediction: value(row[predictionAt], spec.predictionColumn, names.predictions),
          label: label.label,
        });
      }
    }
  }
  const labelRows = pending.size;
  const counts: JoinCounts = {
    labelRows,
    predictionRows,
    unmatchedLabels: labelRows - rows.length,
    unmatchedPredictions,
    duplicateKeys,
    incompleteRows,
    matchRate: labelRows === 0 ? 0 : rows.length / labelRows,
  };
  return { rows, counts };
}
