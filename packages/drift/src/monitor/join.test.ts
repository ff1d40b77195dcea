import { describe, expect, it } from 'vitest';
import type { Cell } from '../profile/feature.ts';
import type { TableChunk } from '../profile/profile.ts';
import { DataError } from '../read/errors.ts';
import { type JoinSpec, joinByKey } from './join.ts';

/** A source of one or more chunks, as the readers stream them (part files may come as separate chunks). */
async function* table(columns: string[], ...chunks: Cell[][][]): AsyncGenerator<TableChunk> {
  for (const rows of chunks) yield { columns, rows };
}

const spec: JoinSpec = { keyColumns: ['id'], predictionColumn: 'score', labelColumn: 'is_fraud' };
const names = { labels: 'labels.csv', predictions: 'predictions.csv' };

function join(labels: AsyncIterable<TableChunk>, predictions: AsyncIterable<TableChunk>, s = spec) {
  return joinByKey(labels, predictions, s, names);
}

describe('joinByKey', () => {
  it('pairs each label with the prediction of the same key, whatever the order and chunking of either side', async () => {
    const { rows, counts } = await join(
      table(
        ['id', 'is_fraud'],
        [['c', '1']],
        [
          ['a', '0'],
          ['z', '1'],
        ],
      ),
      table(
        ['id', 'score'],
        [
          ['a', 0.1],
          ['b', 0.5],
        ],
        [['c', 0.9]],
      ),
    );
    expect(rows).toEqual([
      { prediction: 0.1, label: '0' },
      { prediction: 0.9, label: '1' },
    ]);
    expect(counts).toEqual({
      labelRows: 3,
      predictionRows: 3,
      unmatchedLabels: 1,
      unmatchedPredictions: 1,
      duplicateKeys: 0,
      incompleteRows: 0,
      matchRate: 2 / 3,
    });
  });

  it('counts the first row of a repeated key on either side and skips the others, so nothing weighs double', async () => {
    const { rows, counts } = await join(
      table(
        ['id', 'is_fraud'],
        [
          ['a', '1'],
          ['a', '0'],
          ['b', '0'],
        ],
      ),
      table(
        ['id', 'score'],
        [
          ['a', 0.8],
          ['a', 0.2],
          ['b', 0.3],
          ['x', 0.5],
          ['x', 0.5],
        ],
      ),
    );
    expect(rows).toEqual([
      { prediction: 0.8, label: '1' },
      { prediction: 0.3, label: '0' },
    ]);
    // The unlabelled key x is not remembered (bounded memory): both of its rows count as unmatched.
    expect(counts).toMatchObject({
      labelRows: 2,
      predictionRows: 4,
      duplicateKeys: 2,
      unmatchedPredictions: 2,
      matchRate: 1,
    });
  });

  it('skips and counts rows with an empty key, prediction or label', async () => {
    const { rows, counts } = await join(
      table(
        ['id', 'is_fraud'],
        [
          ['a', '1'],
          ['', '0'],
          [null, '1'],
          ['b', ''],
          ['c', '0'],
        ],
      ),
      table(
        ['id', 'score'],
        [
          ['a', 0.9],
          [undefined, 0.1],
          ['c', null],
          ['c', 0.2],
        ],
      ),
    );
    expect(rows).toEqual([
      { prediction: 0.9, label: '1' },
      { prediction: 0.2, label: '0' },
    ]);
    expect(counts).toMatchObject({ labelRows: 2, predictionRows: 2, incompleteRows: 5, matchRate: 1 });
  });

  it('compares keys as text: a CSV "42", a JSONL 42 and a Parquet 42n are one key, "042" is another', async () => {
    const { rows, counts } = await join(
      table(
        ['id', 'is_fraud'],
        [
          ['42', '1'],
          ['7', '0'],
          ['042', '1'],
        ],
      ),
      table(
        ['id', 'score'],
        [
          [42, 0.9],
          [7n, 0.1],
          [42, 0.3],
        ],
      ),
    );
    expect(rows).toEqual([
      { prediction: 0.9, label: '1' },
      { prediction: 0.1, label: '0' },
    ]);
    expect(counts).toMatchObject({ unmatchedLabels: 1, duplicateKeys: 1 });
  });

  it('joins on every key column, and a comma inside a key never makes two keys collide', async () => {
    const composite = { ...spec, keyColumns: ['merchant', 'order'] };
    const { rows, counts } = await join(
      table(
        ['merchant', 'order', 'is_fraud'],
        [
          ['m1', '7', '1'],
          ['a,b', 'c', '0'],
        ],
      ),
      table(
        ['order', 'merchant', 'score'],
        [
          ['7', 'm1', 0.9],
          ['b,c', 'a', 0.4],
          ['7', 'm2', 0.2],
        ],
      ),
      composite,
    );
    expect(rows).toEqual([{ prediction: 0.9, label: '1' }]);
    expect(counts).toMatchObject({ labelRows: 2, unmatchedLabels: 1, unmatchedPredictions: 2 });
  });

  it('reports a match rate of 0 when there are no labels at all', async () => {
    const { rows, counts } = await join(table(['id', 'is_fraud'], []), table(['id', 'score'], [['a', 0.1]]));
    expect(rows).toEqual([]);
    expect(counts).toMatchObject({ labelRows: 0, unmatchedPredictions: 1, matchRate: 0 });
  });

  it('names the source and the column when a key, prediction or label column is missing', async () => {
    await expect(join(table(['id', 'label'], [['a', '1']]), table(['id', 'score'], []))).rejects.toThrow(
      new DataError("labels.csv: no column 'is_fraud' (found id, label)"),
    );
    await expect(
      join(table(['id', 'is_fraud'], [['a', '1']]), table(['txn', 'score'], [['a', 0.5]])),
    ).rejects.toThrow("predictions.csv: no column 'id' (found txn, score)");
  });

  it('rejects a nested key instead of joining on "[object Object]"', async () => {
    await expect(
      join(table(['id', 'is_fraud'], [[{ nested: 1 }, '1']]), table(['id', 'score'], [])),
    ).rejects.toThrow("labels.csv: key column 'id' holds a nested object, not a value");
  });

  it('fails naming the limit when the labels hold more keys than the join keeps in memory', async () => {
    const labels = table(
      ['id', 'is_fraud'],
      [
        ['a', '1'],
        ['b', '0'],
        ['c', '1'],
      ],
    );
    await expect(join(labels, table(['id', 'score'], []), { ...spec, maxLabels: 2 })).rejects.toThrow(
      'labels.csv: more than 2 labelled keys to join; narrow the labels with a window',
    );
  });
});
