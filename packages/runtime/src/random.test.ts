import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.ts';

describe('seededRandom', () => {
  it('repeats its sequence for the same seed and stays in [0, 1)', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 1_000 }, () => random());
    };
    const first = draw(42);
    expect(draw(42)).toEqual(first);
    expect(draw(43)).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('spreads its values over the interval (every tenth holds some)', () => {
    const random = seededRandom(7);
    const deciles = new Set(Array.from({ length: 1_000 }, () => Math.floor(random() * 10)));
    expect(deciles.size).toBe(10);
  });
});
