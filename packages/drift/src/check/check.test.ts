import { describe, expect, it } from 'vitest';
import type { Cell } from '../profile/feature.ts';
import { ProfileBuilder, type ProfileOptions } from '../profile/profile.ts';
import { profileFromJson, profileToJson } from '../profile/serialize.ts';
import { checkDrift, type Dataset } from './check.ts';
import { InconclusiveReason, isBreach, SchemaDriftReason, Verdict } from './reasons.ts';

function dataset(columns: string[], rows: Cell[][], options: ProfileOptions = {}): Dataset {
  const builder = new ProfileBuilder({ keepSamples: true, ...options });
  builder.add({ columns, rows });
  return { profile: builder.profile, samples: builder.samples() };
}

/** A deterministic spread of n values from mean - width to mean + width. */
function spread(n: number, mean: number, width = 1): number[] {
  return Array.from({ length: n }, (_, i) => mean + width * ((2 * ((i * 7919) % n)) / n - 1));
}

const column = (values: Cell[]) => values.map((v) => [v]);

describe('choosing a method', () => {
  it('uses KS on a numeric feature with a small reference and Wasserstein on a large one', () => {
    const small = checkDrift(dataset(['x'], column(spread(500, 0))), dataset(['x'], column(spread(500, 0))));
    expect(small.features[0]).toMatchObject({
      method: 'ks',
      threshold: 0.05,
      verdict: Verdict.NoDrift,
      pValue: 1,
    });
    const large = checkDrift(
      dataset(['x'], column(spread(2000, 0))),
      dataset(['x'], column(spread(2000, 0.5))),
    );
    expect(large.features[0]).toMatchObject({
      method: 'wasserstein',
      threshold: 0.1,
      verdict: Verdict.Drift,
    });
  });

  it('uses the Z-test on a binary feature, chi-square on more categories and Jensen-Shannon above 1000 rows', () => {
    const binary = (n: number, yes: number) =>
      column(Array.from({ length: n }, (_, i) => (i < yes ? 'yes' : 'no')));
    expect(
      checkDrift(dataset(['c'], binary(400, 100)), dataset(['c'], binary(400, 160))).features[0],
    ).toMatchObject({
      type: 'categorical',
      method: 'ztest',
      verdict: Verdict.Drift,
    });
    const colours = (n: number) =>
      column(Array.from({ length: n }, (_, i) => ['red', 'green', 'blue'][i % 3] ?? null));
    expect(checkDrift(dataset(['c'], colours(300)), dataset(['c'], colours(300))).features[0]).toMatchObject({
      method: 'chisquare',
      verdict: Verdict.NoDrift,
    });
    expect(checkDrift(dataset(['c'], colours(3000)), dataset(['c'], colours(300))).features[0]?.method).toBe(
      'jensenshannon',
    );
  });

  it('treats a numeric column with at most five distinct values as categorical', () => {
    const codes = column(Array.from({ length: 200 }, (_, i) => i % 4));
    expect(checkDrift(dataset(['x'], codes), dataset(['x'], codes)).features[0]).toMatchObject({
      type: 'categorical',
      method: 'chisquare',
    });
  });

  it('counts a category seen only in the current data, so a new category is chi-square drift, not an unjudged Z-test', () => {
    const reference = column(Array.from({ length: 400 }, (_, i) => (i % 2 ? 'card' : 'cash')));
    const current = column(Array.from({ length: 400 }, (_, i) => ['card', 'cash', 'crypto'][i % 3] ?? null));
    expect(checkDrift(dataset(['c'], reference), dataset(['c'], current)).features[0]).toMatchObject({
      method: 'chisquare',
      verdict: Verdict.Drift,
    });
  });

  it('infers the type from both samples, so numbers that widen past a few codes stay judgeable', () => {
    const codes = column(Array.from({ length: 200 }, (_, i) => i % 4));
    const widened = column(spread(200, 2, 2));
    expect(checkDrift(dataset(['x'], codes), dataset(['x'], widened)).features[0]).toMatchObject({
      type: 'numeric',
      method: 'ks',
      verdict: Verdict.Drift,
    });
  });

  it('follows the configured method and threshold', () => {
    const report = checkDrift(
      dataset(['x'], column(spread(300, 0))),
      dataset(['x'], column(spread(300, 0.2))),
      {
        features: [{ name: 'x', method: 'psi', threshold: 0.5, bins: 5 }],
      },
    );
    expect(report.features[0]).toMatchObject({ method: 'psi', threshold: 0.5, verdict: Verdict.NoDrift });
  });
});

describe('dataset drift', () => {
  const reference = dataset(
    ['a', 'b', 'c'],
    spread(300, 0).map((v) => [v, v, v]),
  );
  const current = dataset(
    ['a', 'b', 'c'],
    spread(300, 0).map((v, i) => [v + 1, i < 150 ? v + 1 : v, v]),
  );

  it('is reported when the share of drifted features reaches driftShare', () => {
    const report = checkDrift(reference, current, { driftShare: 0.3 });
    expect(report).toMatchObject({ verdict: Verdict.Drift, driftedFeatures: 2, evaluatedFeatures: 3 });
  });

  it('is not reported below driftShare', () => {
    expect(checkDrift(reference, current, { driftShare: 0.9 }).verdict).toBe(Verdict.NoDrift);
  });

  it('counts Inconclusive features as unknown: a verdict only when they could not change it', () => {
    const tooFew = spread(10, 0);
    const rows = (shift: number[]) =>
      spread(300, 0).map((v, i) => [v + (shift[0] ?? 0), v + (shift[1] ?? 0), tooFew[i] ?? null]);
    const base = dataset(['a', 'b', 'few'], rows([0, 0]));
    const oneDrifted = checkDrift(base, dataset(['a', 'b', 'few'], rows([1, 0])), { driftShare: 0.5 });
    // 1 of 3 drifted, 1 unknown: between 1/3 and 2/3, so the 0.5 bound could go either way.
    expect(oneDrifted).toMatchObject({
      verdict: Verdict.Inconclusive,
      inconclusiveFeatures: 1,
      evaluatedFeatures: 2,
    });
    expect(oneDrifted.share).toBeCloseTo(1 / 3, 12);
    expect(oneDrifted.maxShare).toBeCloseTo(2 / 3, 12);
    expect(checkDrift(base, dataset(['a', 'b', 'few'], rows([1, 1])), { driftShare: 0.5 }).verdict).toBe(
      Verdict.Drift,
    );
    expect(checkDrift(base, dataset(['a', 'b', 'few'], rows([0, 0])), { driftShare: 0.5 }).verdict).toBe(
      Verdict.NoDrift,
    );
  });

  it('is Inconclusive, not drift, below the minimum sample size', () => {
    const report = checkDrift(dataset(['x'], column([1, 2, 3])), dataset(['x'], column([9, 9, 9])), {
      minSampleSize: 30,
    });
    expect(report.verdict).toBe(Verdict.Inconclusive);
    expect(report.features[0]).toMatchObject({
      reason: InconclusiveReason.InsufficientData,
      referenceCount: 3,
    });
  });
});

describe('a vanished or retyped feature is SchemaDrift, a breach of its own', () => {
  const good = spread(100, 0);
  const reference = dataset(['x'], column(good));

  it('for a column missing from the current data', () => {
    const report = checkDrift(reference, dataset(['y'], column(good)));
    expect(report.features[0]).toMatchObject({
      verdict: Verdict.SchemaDrift,
      reason: SchemaDriftReason.MissingColumn,
      message: 'x: no such column in the current data',
    });
    expect(report).toMatchObject({ verdict: Verdict.SchemaDrift, schemaDriftedFeatures: 1 });
  });

  it('for a column of NaN and Infinity only', () => {
    const report = checkDrift(
      reference,
      dataset(['x'], column(good.map((_, i) => (i % 2 ? 'NaN' : 'Infinity')))),
    );
    expect(report.features[0]).toMatchObject({
      verdict: Verdict.SchemaDrift,
      reason: SchemaDriftReason.NoValues,
    });
    expect(report.features[0]?.message).toBe('x: no finite current values (100 NaN or Infinity in 100 rows)');
  });

  it('for a column whose every current value is empty', () => {
    const report = checkDrift(reference, dataset(['x'], column(good.map(() => ''))));
    expect(report.features[0]).toMatchObject({
      verdict: Verdict.SchemaDrift,
      reason: SchemaDriftReason.NoValues,
      message: 'x: all 100 current values are empty',
    });
  });

  it('for numbers that stopped being numbers, declared or inferred', () => {
    const retyped = dataset(['x'], column([...good.slice(1), 'twelve']));
    for (const config of [{ features: [{ name: 'x', type: 'numeric' as const }] }, {}]) {
      const report = checkDrift(reference, retyped, config);
      expect(report.features[0]).toMatchObject({
        verdict: Verdict.SchemaDrift,
        reason: SchemaDriftReason.WrongType,
      });
      expect(report.features[0]?.message).toMatch(/1 current value\(s\) are not numbers, e\.g\. "twelve"/);
    }
  });

  it('for text that became many distinct numbers', () => {
    const colours = dataset(['c'], column(good.map((_, i) => (i % 3 ? 'red' : 'blue'))));
    const report = checkDrift(colours, dataset(['c'], column(good)));
    expect(report.features[0]).toMatchObject({
      verdict: Verdict.SchemaDrift,
      reason: SchemaDriftReason.WrongType,
    });
  });

  it('counts as drifted in the share, and decides the dataset verdict whatever the share', () => {
    const wide = dataset(
      ['a', 'b', 'c', 'd'],
      good.map((v) => [v, v, v, v]),
    );
    const oneGone = dataset(
      ['a', 'b', 'c'],
      good.map((v) => [v, v, v]),
    );
    const report = checkDrift(wide, oneGone, { driftShare: 0.5 });
    expect(report).toMatchObject({ verdict: Verdict.SchemaDrift, driftedFeatures: 1, share: 0.25 });
  });

  it('is not claimed from a window too small to tell an empty column from a few empty rows', () => {
    const report = checkDrift(reference, dataset(['x'], column(['', '', ''])), { minSampleSize: 30 });
    expect(report.features[0]).toMatchObject({
      verdict: Verdict.Inconclusive,
      reason: InconclusiveReason.InsufficientData,
    });
  });
});

describe('a baseline that cannot be judged makes the feature Inconclusive, not drifted', () => {
  const good = spread(100, 0);
  const reference = dataset(['x'], column(good));

  it('for a configured feature the baseline does not have', () => {
    const report = checkDrift(reference, reference, { features: [{ name: 'y' }] });
    expect(report.features[0]).toMatchObject({
      verdict: Verdict.Inconclusive,
      reason: InconclusiveReason.MissingColumn,
      message: 'y: no such column in the baseline',
    });
  });

  it('for a baseline column mixing numbers and text', () => {
    const report = checkDrift(dataset(['x'], column([...good, 'n/a'])), reference);
    expect(report.features[0]?.reason).toBe(InconclusiveReason.MixedTypes);
  });

  it('for text in a baseline column declared numeric', () => {
    const report = checkDrift(dataset(['x'], column([...good, 'n/a'])), reference, {
      features: [{ name: 'x', type: 'numeric' }],
    });
    expect(report.features[0]?.reason).toBe(InconclusiveReason.WrongType);
  });

  it('for a column with a million distinct categories', () => {
    const ids = column(Array.from({ length: 1_000_000 }, (_, i) => `id-${i}`));
    const report = checkDrift(dataset(['id'], ids), dataset(['id'], ids.slice(0, 1000)));
    expect(report.features[0]?.reason).toBe(InconclusiveReason.TooManyCategories);
  }, 60_000); // a million rows: generous on a shared 2-core machine

  it('for a method that does not fit the feature type', () => {
    const colours = column(good.map((_, i) => (i % 3 ? 'red' : 'blue')));
    const report = checkDrift(dataset(['c'], colours), dataset(['c'], colours), {
      features: [{ name: 'c', method: 'ks' }],
    });
    expect(report.features[0]).toMatchObject({
      reason: InconclusiveReason.MethodNotApplicable,
      message: 'c: ks needs a numeric feature',
    });
  });
});

describe('checks against a saved profile', () => {
  const referenceRows = column(spread(20_000, 0));
  const currentRows = column(spread(20_000, 0.05));

  it('estimate the exact data-vs-data values closely and say they are approximate', () => {
    const exact = checkDrift(dataset(['x'], referenceRows), dataset(['x'], currentRows), {
      features: [{ name: 'x', method: 'ks' }],
    });
    const saved = {
      profile: profileFromJson(
        JSON.parse(JSON.stringify(profileToJson(dataset(['x'], referenceRows).profile))),
      ),
    };
    const fromProfile = checkDrift(saved, dataset(['x'], currentRows), {
      features: [{ name: 'x', method: 'ks' }],
    });
    const profileOnly = checkDrift(
      saved,
      { profile: dataset(['x'], currentRows).profile },
      { features: [{ name: 'x', method: 'ks' }] },
    );
    for (const report of [fromProfile, profileOnly]) {
      expect(report.features[0]?.approximate).toBe(true);
      expect(
        Math.abs((report.features[0]?.statistic ?? 1) - (exact.features[0]?.statistic ?? 0)),
      ).toBeLessThan(0.01);
    }
  });

  it('use exact fixed-edge histograms for PSI when edges are configured', () => {
    const config = { features: [{ name: 'x', method: 'psi' as const, edges: [-0.5, 0, 0.5] }] };
    const fromData = checkDrift(
      dataset(['x'], referenceRows, { config }),
      dataset(['x'], currentRows, { config }),
      config,
    );
    const profiles = checkDrift(
      { profile: dataset(['x'], referenceRows, { config }).profile },
      { profile: dataset(['x'], currentRows, { config }).profile },
      config,
    );
    expect(profiles.features[0]?.statistic).toBeCloseTo(fromData.features[0]?.statistic ?? -1, 12);
    expect(profiles.features[0]?.approximate).toBeUndefined();
  });
});

describe('isBreach', () => {
  it.each([
    [Verdict.Drift, true],
    [Verdict.SchemaDrift, true],
    [Verdict.NoDrift, false],
    [Verdict.Inconclusive, false],
    ['Failed', false],
    [undefined, false],
  ])('says %s breaches a bound: %s', (outcome, breach) => {
    expect(isBreach(outcome)).toBe(breach);
  });
});
