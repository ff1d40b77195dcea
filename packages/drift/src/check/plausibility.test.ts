import { describe, expect, it } from 'vitest';
import { jensenShannon, psi } from '../stats/categorical.ts';
import { normalSf } from '../stats/special.ts';
import { configThresholdWarnings, PLAUSIBLE_MAX_THRESHOLD, thresholdWarning } from './plausibility.ts';

const SHIFT = 3;
const normalCdf = (x: number) => 1 - normalSf(x);

/** Bin shares of N(0,1) and N(SHIFT,1) on the ten deciles of N(0,1), computed from the CDF. */
function decileShares(): { reference: number[]; current: number[] } {
  const deciles: number[] = [];
  for (let k = 1; k < 10; k++) {
    let lo = -10;
    let hi = 10;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (normalCdf(mid) < k / 10) lo = mid;
      else hi = mid;
    }
    deciles.push((lo + hi) / 2);
  }
  const share = (shift: number) => {
    const cdf = [0, ...deciles.map((d) => normalCdf(d - shift)), 1];
    return cdf.slice(1).map((c, k) => c - (cdf[k] as number));
  };
  return { reference: share(0), current: share(SHIFT) };
}

describe('plausible thresholds', () => {
  it('are the scores of a three-standard-deviation shift, as documented', () => {
    const { reference, current } = decileShares();
    expect(psi(reference, current)).toBeCloseTo(PLAUSIBLE_MAX_THRESHOLD.psi, 0);
    expect(jensenShannon(reference, current)).toBeCloseTo(PLAUSIBLE_MAX_THRESHOLD.jensenshannon, 2);
    // Wasserstein-1 between N(0,1) and N(3,1) is the shift itself, in reference standard deviations.
    expect(PLAUSIBLE_MAX_THRESHOLD.wasserstein).toBe(SHIFT);
  });

  it('warn about a Wasserstein threshold of 25 standard deviations, which can hardly fire', () => {
    expect(thresholdWarning('amount', 'wasserstein', 25)).toBe(
      'amount: wasserstein threshold 25 is above the plausible maximum 3; wasserstein scores about 3 when the feature shifts by three standard deviations, so this threshold would hardly ever fire',
    );
  });

  it('warn about a p-value threshold that fires on chance', () => {
    expect(thresholdWarning('x', 'ks', 0.5)).toMatch(/more than one check in five/);
  });

  it('stay silent for the defaults and common choices', () => {
    for (const [method, threshold] of [
      ['ks', 0.05],
      ['chisquare', 0.01],
      ['psi', 0.25],
      ['jensenshannon', 0.1],
      ['wasserstein', 0.1],
    ] as const) {
      expect(thresholdWarning('x', method, threshold)).toBeUndefined();
    }
  });

  it('are checked in a configuration only where the method is explicit', () => {
    expect(
      configThresholdWarnings({
        features: [
          { name: 'a', method: 'jensenshannon', threshold: 0.9 },
          { name: 'b', threshold: 0.9 },
        ],
      }),
    ).toEqual([expect.stringMatching(/^a: jensenshannon threshold 0.9/)]);
  });
});
