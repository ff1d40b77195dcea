import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  durationSchema,
  SEMVER_PATTERN,
  SEMVER_RANGE_PATTERN,
  semverRangeSchema,
  semverSchema,
} from './common.ts';
import { parseDuration } from './duration.ts';

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['90d', 7_776_000_000],
    ['2w', 1_209_600_000],
    ['250ms', 250],
  ])('%s is %d ms', (text, ms) => {
    expect(durationSchema.parse(text)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '90', 'd', '1.5h', '-1h', '1 h', '3y'])(
    '"%s" is rejected with a message that shows the syntax',
    (text) => {
      expect(durationSchema.safeParse(text).success).toBe(false);
      expect(() => parseDuration(text)).toThrow(`invalid duration "${text}": expected e.g. 30s`);
    },
  );
});

describe('semantic versions', () => {
  it('accepts every version fast-check can build from numbers and pre-release tags', () => {
    const version = fc
      .tuple(fc.nat(999), fc.nat(999), fc.nat(999), fc.option(fc.stringMatching(/^[0-9A-Za-z-]{1,8}$/)))
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === null || /^0[0-9]+$/.test(pre) ? '' : `-${pre}`}`);
    fc.assert(fc.property(version, (v) => SEMVER_PATTERN.test(v)));
  });

  it.each(['1.2', '01.2.3', '1.2.3.4', 'v1.2.3', '1.2.x', ''])('"%s" is not a version', (text) => {
    expect(semverSchema.safeParse(text).success).toBe(false);
  });
});

describe('semver ranges', () => {
  it.each([
    '^1.2.0',
    '~1.4',
    '>=1.0.0 <2.0.0',
    '1.x || 2.x',
    '1.0.0 - 1.4.0',
    '*',
    '2.1.0',
    '>= 2.0.0',
    '^2.0.0-rc.1',
  ])('"%s" is a range', (range) => {
    expect(semverRangeSchema.parse(range)).toBe(range);
  });

  it.each(['', 'latest', '^^1.0.0', '>=1.0.0 ||', '1.0.0 -', 'one'])('"%s" is not a range', (text) => {
    expect(SEMVER_RANGE_PATTERN.test(text)).toBe(false);
    expect(semverRangeSchema.safeParse(text).success).toBe(false);
  });
});
