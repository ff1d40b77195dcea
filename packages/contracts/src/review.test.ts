import { describe, expect, it } from 'vitest';
import { reviewContractVersion } from './review.ts';
import { contractSchemaSchema } from './schema.ts';

const labels = (...values: string[]) =>
  contractSchemaSchema.parse({ fields: [{ path: 'label', type: 'string', enum: values }] });
const v1 = { version: '1.0.0', schema: labels('fraud', 'legit') };
const consumers = [{ name: 'payments', contact: 'pay@example.com', accepts: '^1.0.0' }];

describe('reviewContractVersion', () => {
  it('accepts an additive change released as a minor version and reports the consumers', () => {
    const review = reviewContractVersion(
      v1,
      { version: '1.1.0', schema: labels('fraud'), consumers },
      { mode: 'backward' },
    );
    expect(review).toMatchObject({
      compatible: true,
      summary: { additive: 1 },
      versionBump: { sufficient: true },
    });
    expect(review.consumers?.allSatisfied).toBe(true);
  });

  it('rejects a breaking change even behind a major bump, unless announced breaking changes are allowed', () => {
    const next = { version: '2.0.0', schema: labels('fraud', 'legit', 'review'), consumers };
    expect(reviewContractVersion(v1, next, { mode: 'backward' }).compatible).toBe(false);
    const allowed = reviewContractVersion(v1, next, { mode: 'backward', allowAnnouncedBreaking: true });
    expect(allowed.compatible).toBe(true);
    expect(allowed.consumers?.allSatisfied).toBe(false);
  });

  it('rejects an additive change without a version bump, even though nothing breaks', () => {
    const review = reviewContractVersion(
      v1,
      { version: '1.0.0', schema: labels('fraud') },
      { mode: 'backward' },
    );
    expect(review.compatible).toBe(false);
    expect(review.versionBump?.reason).toBe(
      'the contract changed but its version did not (1.0.0); a minor bump is needed',
    );
  });

  it('judges bare schemas on their findings alone', () => {
    const review = reviewContractVersion(
      { schema: labels('a') },
      { schema: labels('a', 'b') },
      { mode: 'forward' },
    );
    expect(review).toMatchObject({ compatible: true, summary: { additive: 1 } });
    expect(review.versionBump).toBeUndefined();
  });
});
