import { describe, expect, it } from 'vitest';
import type { Cell } from '../profile/feature.ts';
import { ProfileBuilder, type ProfileOptions } from '../profile/profile.ts';
import { profileFromJson, profileToJson } from '../profile/serialize.ts';
import { checkDrift, type Dataset } from './check.ts';
import { InconclusiveReason, Verdict } from './reasons.ts';

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

describe('bad input gives a per-feature Inconclusive with a reason', () => {
  const good = spread(100, 0);
  const reference = dataset(['x'], column(good));

  it('for a column missing from the current data', () => {
    const report = checkDrift(reference, dataset(['y'], column(good)));
    expect(report.features[0]).toMatchObject({
      reason: InconclusiveReason.MissingColumn,
      message: 'x: no such column in the current data',
    });
  });

  it('for a column of NaN and Infinity only', () => {
    const report = checkDrift(
      reference,
      dataset(['x'], column(good.map((_, i) => (i % 2 ? 'NaN' : 'Infinity')))),
    );
    expect(report.features[0]?.reason).toBe(InconclusiveReason.NoValues);
    expect(report.features[0]?.message).toMatch(/no finite values \(100 NaN or Infinity\)/);
  });

  it('for text in a column declared numeric', () => {
    const report = checkDrift(reference, dataset(['x'], column([...good.slice(1), 'twelve'])), {
      features: [{ name: 'x', type: 'numeric' }],
    });
    expect(report.features[0]?.reason).toBe(InconclusiveReason.WrongType);
    expect(report.features[0]?.message).toMatch(/1 value\(s\) are not numbers, e\.g\. "twelve"/);
  });

  it('for a column mixing numbers and text', () => {
    const report = checkDrift(dataset(['x'], column([...good, 'n/a'])), reference);
    expect(report.features[0]?.reason).toBe(InconclusiveReason.MixedTypes);
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
