import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binBoth } from './binned.ts';
import { chiSquare, jensenShannon, psi } from './categorical.ts';
import { sampleDistribution } from './distribution.ts';
import { ksExactPValue, ksTest } from './ks.ts';
import { orderStatistics, sampleBinCounts, sampleQuantileBins } from './select.ts';
import { sortedCopy } from './sort.ts';
import { wasserstein } from './wasserstein.ts';

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
const sample = fc.array(finite, { minLength: 1, maxLength: 200 }).map((v) => Float64Array.from(v));

describe('drift statistics on identical samples', () => {
  it('give zero KS statistic, KS p-value 1 and zero Wasserstein distance', () => {
    fc.assert(
      fc.property(sample, (values) => {
        const a = sampleDistribution(values);
        const b = sampleDistribution(values.slice().reverse());
        const ks = ksTest(a, b);
        expect(ks.statistic).toBe(0);
        expect(ks.pValue).toBe(1);
        expect(wasserstein(a, b)).toBe(0);
      }),
    );
  });

  it('give zero PSI and zero Jensen-Shannon distance on reference-quantile bins', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: 2, max: 20 }), (values, bins) => {
        const d = sampleDistribution(values);
        const binned = binBoth(d, d, { bins });
        expect(psi(binned.reference, binned.current)).toBe(0);
        expect(jensenShannon(binned.reference, binned.current)).toBe(0);
      }),
    );
  });

  it('give a chi-square statistic of zero and p-value 1 on equal counts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 5, max: 1000 }), { minLength: 2, maxLength: 30 }), (counts) => {
        const result = chiSquare(counts, counts);
        expect(result?.statistic).toBeCloseTo(0, 9);
        expect(result?.pValue).toBeCloseTo(1, 9);
      }),
    );
  });
});

describe('the exact KS p-value', () => {
  it('is a probability that shrinks as the statistic grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (m, n) => {
        let previous = 1;
        for (let d = 0; d <= 1; d += 0.05) {
          const p = ksExactPValue(m, n, d);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(previous + 1e-12);
          previous = p;
        }
      }),
    );
  });

  it('is 2/C(m+n, m) at the maximal statistic of 1', () => {
    // Only the two orderings with one sample entirely below the other reach D = 1.
    expect(ksExactPValue(3, 4, 1)).toBeCloseTo(2 / 35, 12);
  });
});

describe('the radix sort', () => {
  it('orders doubles like a comparison sort, including signed zeros and infinities', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 4096, maxLength: 6000 }), (values) => {
        const input = Float64Array.from(values);
        const expected = Float64Array.from(values).sort();
        const actual = sortedCopy(input);
        expect(actual.every((v, i) => Object.is(v, expected[i]))).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});

const tiedSample = fc
  .array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 200 })
  .map((v) => Float64Array.from(v));

describe('quantile bins of an unsorted sample', () => {
  it('equal the bins computed on the sorted sample, ties and all', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tiedSample), sample, fc.integer({ min: 2, max: 40 }), (ref, cur, bins) => {
        const sorted = binBoth(sampleDistribution(ref), sampleDistribution(cur), { bins });
        const { edges, counts } = sampleQuantileBins(ref, bins);
        expect(edges).toEqual(sorted.edges);
        expect(counts).toEqual(sorted.reference);
        expect(sampleBinCounts(ref, edges)).toEqual(sorted.reference);
        expect(sampleBinCounts(cur, edges)).toEqual(sorted.current);
      }),
    );
  });
});

describe('order statistics of a large sample', () => {
  it('equal the sorted values at those ranks, for spread, tied and signed data', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          (i: number) => Math.sin(i) * 10 ** ((i % 13) - 6),
          (i: number) => (i % 7) - 3,
          (i: number) => (i % 2 ? -0 : 0) + (i % 1000) * 1e-3,
        ),
        fc.array(fc.integer({ min: 0, max: 69_999 }), { minLength: 1, maxLength: 30 }),
        (value, ranks) => {
          const values = Float64Array.from({ length: 70_000 }, (_, i) => value(i));
          const sorted = Float64Array.from(values).sort();
          const stats = orderStatistics(values, ranks);
          for (const r of ranks) expect(stats.get(r)).toBe(sorted[r]);
        },
      ),
      { numRuns: 15 },
    );
  });
});
