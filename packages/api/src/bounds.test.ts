import { describe, expect, it } from 'vitest';
import { validateResultSchema } from './retrain-results.ts';

// What a validate job reports is parsed with these schemas before it reaches status, so a job that reports an
// impossible value fails its run with a message naming it instead of failing the status write.
describe('bounds on what a validate job reports', () => {
  const messages = (value: unknown) =>
    (validateResultSchema.safeParse(value).error?.issues ?? []).map(
      (i) => `${i.path.join('.')}: ${i.message}`,
    );

  it('accepts metrics in range and unknown metrics of any size', () => {
    expect(messages({ metrics: { AUC: 0.93, recall: 1, p99_latency_ms: 40 } })).toEqual([]);
  });

  it('rejects an auc above 1 and a negative f1, whatever the case of the name', () => {
    expect(messages({ metrics: { Auc: 1.3 } })).toEqual([
      'metrics: accuracy, precision, recall, f1, auc must be between 0 and 1',
    ]);
    expect(messages({ metrics: {}, evaluation: [{ name: 'f1', slice: 'overall', value: -0.2 }] })).toEqual([
      'evaluation.0.value: value must be between 0 and 1 when name is accuracy, precision, recall, f1, auc',
    ]);
  });

  it('rejects a fairness result whose min is above its max', () => {
    const fairness = [
      { metric: 'demographic_parity_ratio', attribute: 'age', value: 0.9, min: 1.2, max: 0.8 },
    ];
    expect(messages({ metrics: {}, fairness })).toEqual([
      'fairness.0.min: min must be less than or equal to max',
    ]);
  });
});
