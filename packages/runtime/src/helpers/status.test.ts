import { describe, expect, it } from 'vitest';
import { replacingPatch, statusDiffers } from './status.ts';

describe('statusDiffers', () => {
  it('sees no change when the live status already holds every desired field, in any key order', () => {
    expect(
      statusDiffers({ b: 2, a: { y: 1, x: [1, 2] }, extra: true }, { a: { x: [1, 2], y: 1 }, b: 2 }),
    ).toBe(false);
  });

  it('sees a change in a nested value', () => {
    expect(statusDiffers({ a: { x: [1, 2] } }, { a: { x: [2, 1] } })).toBe(true);
  });

  it('treats null as "remove": a change only while the field is present', () => {
    expect(statusDiffers({ old: 1 }, { old: null })).toBe(true);
    expect(statusDiffers({}, { old: null })).toBe(false);
  });

  it('treats a missing status as empty', () => {
    expect(statusDiffers(undefined, { observedGeneration: 1 })).toBe(true);
  });
});

describe('replacingPatch', () => {
  it("removes a nested key the new value lacks, so a new check result never keeps the last one's value", () => {
    const live = { lastResult: { outcome: 'NoDrift', concept: { value: 0.99, sampleSize: 300 } }, other: 1 };
    expect(
      replacingPatch(live, { lastResult: { outcome: 'Inconclusive', concept: { sampleSize: 100 } } }),
    ).toEqual({ lastResult: { outcome: 'Inconclusive', concept: { value: null, sampleSize: 100 } } });
  });

  it('leaves top-level fields it is not given alone and passes lists, nulls and new objects through', () => {
    expect(replacingPatch({ a: { x: 1 }, b: [1] }, { b: [2], c: { y: 1 }, d: null })).toEqual({
      b: [2],
      c: { y: 1 },
      d: null,
    });
    expect(replacingPatch(undefined, { a: { x: 1 } })).toEqual({ a: { x: 1 } });
  });
});
