import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import {
  BucketRateLimiter,
  DEFAULT_MAX_DELAY_MS,
  defaultControllerRateLimiter,
  ExponentialFailureRateLimiter,
} from './rate-limiter.ts';

describe('ExponentialFailureRateLimiter', () => {
  it('doubles from 5 ms and stops growing at 1000 s', () => {
    const limiter = new ExponentialFailureRateLimiter();
    const delays = Array.from({ length: 30 }, () => limiter.when('k'));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays.at(-1)).toBe(DEFAULT_MAX_DELAY_MS);
  });

  it('never returns a delay that shrinks or exceeds the cap, however many failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (failures) => {
        const limiter = new ExponentialFailureRateLimiter();
        let previous = 0;
        for (let i = 0; i < failures; i++) {
          const delay = limiter.when('k');
          if (delay < previous || delay > DEFAULT_MAX_DELAY_MS || !Number.isFinite(delay)) return false;
          previous = delay;
        }
        return true;
      }),
    );
  });

  it('rejects a base delay of zero with a message naming the values', () => {
    expect(() => new ExponentialFailureRateLimiter(0, 10)).toThrow(/base=0ms max=10ms/);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a burst through at once, then spaces the rest at the sustained rate', () => {
    const clock = new ManualClock();
    const limiter = new BucketRateLimiter(clock, 10, 3);
    const delays = Array.from({ length: 5 }, (_, i) => limiter.when(`k${i}`));
    expect(delays.slice(0, 3)).toEqual([0, 0, 0]);
    expect(delays[3]).toBeCloseTo(100);
    expect(delays[4]).toBeCloseTo(200);
  });

  it('refills with time', () => {
    const clock = new ManualClock();
    const limiter = new BucketRateLimiter(clock, 10, 1);
    limiter.when('a');
    clock.advance(100);
    expect(limiter.when('b')).toBeCloseTo(0);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('takes the per-key backoff while the overall bucket has tokens', () => {
    const limiter = defaultControllerRateLimiter(new ManualClock());
    expect([limiter.when('k'), limiter.when('k'), limiter.when('k')]).toEqual([5, 10, 20]);
  });

  it('takes the bucket delay when many keys fail at once', () => {
    const limiter = defaultControllerRateLimiter(new ManualClock());
    const delays = Array.from({ length: 101 }, (_, i) => limiter.when(`key-${i}`));
    expect(delays[99]).toBe(5);
    expect(delays[100]).toBeCloseTo(100);
  });
});
