import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binBoth } from './binned.ts';
import { chiSquare, jensenShannon, psi, zTestProportions } from './categorical.ts';
import { sampleDistribution } from './distribution.ts';
import { ksTest } from './ks.ts';
import { kolmogorovSmirnovSf } from './kstwo.ts';
import { normalisedWasserstein } from './wasserstein.ts';

// Expected values come from scipy/numpy (hack/drift-reference/generate.py); the tests only read them.
interface Expected {
  statistic: number;
  pValue?: number;
  pValueMethod?: string;
  degreesOfFreedom?: number;
  pooledCategories?: number;
  edges?: number[];
  referenceCounts?: number[];
  currentCounts?: number[];
}
interface NumericCase {
  name: string;
  kind: 'numeric';
  reference: number[];
  current: number[];
  bins: number;
  edges: number[] | null;
  expected: Record<'ks' | 'psi' | 'jensenshannon' | 'wasserstein', Expected>;
}
interface CategoricalCase {
  name: string;
  kind: 'categorical';
  reference: string[];
  current: string[];
  categories: string[];
  expected: Record<string, Expected>;
}
interface GridSample {
  size: number;
  shift: number;
}
interface LargeKsCase {
  name: string;
  reference: GridSample;
  current: GridSample;
  statistic: number;
  pValue: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../testdata/reference.json', import.meta.url), 'utf8'),
) as {
  cases: (NumericCase | CategoricalCase)[];
  largeKs: LargeKsCase[];
  kstwo: { n: number; d: number; sf: number }[];
};

/** The bar: 1e-6, relative for large values, absolute near zero. */
function expectClose(actual: number | undefined, expected: number | undefined): void {
  expect(actual).toBeDefined();
  expect(expected).toBeDefined();
  const tolerance = 1e-6 * Math.abs(expected ?? 0) + 1e-12;
  expect(Math.abs((actual ?? 0) - (expected ?? 0)), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

const numericCases = fixture.cases.filter((c): c is NumericCase => c.kind === 'numeric');
const categoricalCases = fixture.cases.filter((c): c is CategoricalCase => c.kind === 'categorical');

describe.each(numericCases)('numeric methods match scipy on "$name"', (c) => {
  const reference = sampleDistribution(Float64Array.from(c.reference));
  const current = sampleDistribution(Float64Array.from(c.current));
  const binned = binBoth(reference, current, c.edges ? { edges: c.edges } : { bins: c.bins });

  it('gives the same KS statistic and p-value', () => {
    const result = ksTest(reference, current);
    expectClose(result.statistic, c.expected.ks.statistic);
    expectClose(result.pValue, c.expected.ks.pValue);
    expect(result.pValueMethod).toBe(c.expected.ks.pValueMethod);
  });

  it('bins on the same edges and gives the same PSI', () => {
    expect(binned.edges).toHaveLength(c.expected.psi.edges?.length ?? -1);
    for (const [k, edge] of binned.edges.entries()) expectClose(edge, c.expected.psi.edges?.[k]);
    expect(binned.reference).toEqual(c.expected.psi.referenceCounts);
    expect(binned.current).toEqual(c.expected.psi.currentCounts);
    expectClose(psi(binned.reference, binned.current), c.expected.psi.statistic);
  });

  it('gives the same Jensen-Shannon distance on those bins', () => {
    expectClose(jensenShannon(binned.reference, binned.current), c.expected.jensenshannon.statistic);
  });

  it('gives the same Wasserstein distance normalised by the reference standard deviation', () => {
    const mean = c.reference.reduce((s, v) => s + v, 0) / c.reference.length;
    const std = Math.sqrt(c.reference.reduce((s, v) => s + (v - mean) ** 2, 0) / c.reference.length);
    expectClose(normalisedWasserstein(reference, current, std), c.expected.wasserstein.statistic);
  });
});

describe.each(categoricalCases)('categorical methods match scipy on "$name"', (c) => {
  const count = (values: string[]) => c.categories.map((k) => values.filter((v) => v === k).length);
  const reference = count(c.reference);
  const current = count(c.current);

  it('pools rare categories and gives the same chi-square statistic and p-value', () => {
    const result = chiSquare(reference, current);
    expectClose(result?.statistic, c.expected.chisquare?.statistic);
    expectClose(result?.pValue, c.expected.chisquare?.pValue);
    expect(result?.degreesOfFreedom).toBe(c.expected.chisquare?.degreesOfFreedom);
    expect(result?.pooledCategories).toBe(c.expected.chisquare?.pooledCategories);
  });

  it('gives the same Jensen-Shannon distance and PSI', () => {
    expectClose(jensenShannon(reference, current), c.expected.jensenshannon?.statistic);
    expectClose(psi(reference, current), c.expected.psi?.statistic);
  });

  it.runIf(c.expected.ztest !== undefined)('gives the same two-proportion Z-test', () => {
    const result = zTestProportions(reference[0] ?? 0, c.reference.length, current[0] ?? 0, c.current.length);
    expectClose(result.statistic, c.expected.ztest?.statistic);
    expectClose(result.pValue, c.expected.ztest?.pValue);
  });
});

/** The generator's grid_sample: shift + (i + 1/2) / size, the same IEEE operations in the same order. */
function gridSample({ size, shift }: GridSample): Float64Array {
  return Float64Array.from({ length: size }, (_, i) => shift + (i + 0.5) / size);
}

describe.each(fixture.largeKs)(
  'KS above 10 000 samples matches scipy ks_2samp(method="asymp") on "$name"',
  (c) => {
    it('gives the same statistic and p-value', () => {
      const result = ksTest(
        sampleDistribution(gridSample(c.reference)),
        sampleDistribution(gridSample(c.current)),
      );
      expect(result.pValueMethod).toBe('asymptotic');
      expectClose(result.statistic, c.statistic);
      expectClose(result.pValue, c.pValue);
    });
  },
);

describe('the two-sided one-sample KS distribution', () => {
  it.each(fixture.kstwo)('matches scipy kstwo.sf at n = $n, d = $d', ({ n, d, sf }) => {
    expectClose(kolmogorovSmirnovSf(n, d), sf);
  });

  it('rejects a sample size that is not a positive integer', () => {
    expect(() => kolmogorovSmirnovSf(0, 0.1)).toThrow('positive integer');
    expect(() => kolmogorovSmirnovSf(2.5, 0.1)).toThrow('positive integer');
  });
});
