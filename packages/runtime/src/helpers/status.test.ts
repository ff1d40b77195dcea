import { describe, expect, it } from 'vitest';
import { statusDiffers } from './status.ts';

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
