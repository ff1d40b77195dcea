import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normals } from '../bench/data.ts';
import { sampleDistribution } from '../stats/distribution.ts';
import { ksStatistic } from '../stats/ks.ts';
import { wasserstein } from '../stats/wasserstein.ts';
import { type Cell, parseNumber } from './feature.ts';
import { sketchDistribution } from './kll.ts';
import { mergeProfiles, type Profile, ProfileBuilder } from './profile.ts';
import { profileFromJson, profileToJson } from './serialize.ts';

const columns = ['amount', 'colour', 'flag'];
const config = { features: [{ name: 'amount', edges: [-1, 0, 1] }] };

function profileOf(rows: Cell[][]): Profile {
  const builder = new ProfileBuilder({ config, maxCategories: 3 });
  builder.add({ columns, rows });
  return builder.profile;
}

/** The parts of a profile that must merge exactly (moments are compared with a tolerance). */
function exactParts(profile: Profile) {
  const json = profileToJson(profile);
  return {
    rows: json.rows,
    features: json.features.map((f) => ({
      name: f.name,
      nulls: f.nulls,
      numeric: {
        ...f.numeric,
        mean: undefined,
        m2: undefined,
        sketch: undefined,
        distinct: f.numeric.distinct?.sort(),
      },
      text: { ...f.text, categories: [...f.text.categories].sort() },
    })),
  };
}

const cell = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.double({ noNaN: false, min: -1e3, max: 1e3 }),
  fc.integer({ min: 0, max: 3 }).map(String),
  fc.constantFrom('red', 'green', 'blue', 'NaN', 'inf'),
);
const rows = fc.array(fc.tuple(cell, cell, cell), { maxLength: 300 });

describe('profiles', () => {
  it('merge(profile(a), profile(b)) equals profile(a ++ b) in counts, bounds, categories and histograms', () => {
    fc.assert(
      fc.property(rows, rows, (a, b) => {
        const merged = mergeProfiles(profileOf(a), profileOf(b));
        const whole = profileOf([...a, ...b]);
        expect(exactParts(merged)).toEqual(exactParts(whole));
        for (const [name, feature] of whole.features) {
          const other = merged.features.get(name);
          expect(other?.numeric.mean).toBeCloseTo(feature.numeric.mean, 6);
          expect(other?.numeric.m2 ?? 0).toBeCloseTo(feature.numeric.m2, 3);
        }
      }),
    );
  });

  it('survive a round trip through their JSON file form', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const json = profileToJson(profileOf(r));
        expect(profileToJson(profileFromJson(JSON.parse(JSON.stringify(json))))).toEqual(json);
      }),
    );
  });

  it('count NaN and Infinity apart from the finite values they exclude from the statistics', () => {
    const profile = profileOf([
      ['NaN', null, null],
      ['inf', null, null],
      ['-Infinity', null, null],
      ['2', null, null],
    ]);
    const amount = profile.features.get('amount');
    expect(amount?.numeric.nonFinite).toBe(3);
    expect(amount?.numeric.count).toBe(1);
    expect(amount?.numeric.mean).toBe(2);
  });

  it('read decimal and exponent notation as numbers, but hex-like codes as text', () => {
    expect(['1', '-2.5', '1e3', ' 7 ', '0x1f', '0b101', 'abc'].map(parseNumber)).toEqual([
      1,
      -2.5,
      1000,
      7,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('stop counting new categories at the cap and count the rest as overflow', () => {
    const profile = profileOf(['a', 'b', 'c', 'd', 'e', 'a'].map((c) => [null, c, null]));
    const colour = profile.features.get('colour');
    expect([...(colour?.text.categories ?? [])]).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
    ]);
    expect(colour?.text.overflow).toBe(2);
  });

  it('reject a profile file with a wrong field, naming the field', () => {
    const json = profileToJson(profileOf([]));
    expect(() => profileFromJson({ ...json, rows: -1 })).toThrow(/rows/);
    expect(() => profileFromJson({ kind: 'Deployment' })).toThrow(/not a drift profile: kind/);
  });
});

describe('the quantile sketch', () => {
  it('keeps sketch-vs-sketch KS and Wasserstein within 0.01 of the exact values on 200k rows', () => {
    const a = normals(200_000, 0, 1);
    const b = normals(200_000, 0.05, 2);
    const sketch = (values: Float64Array) => {
      const builder = new ProfileBuilder();
      builder.add({ columns: ['x'], rows: Array.from(values, (v) => [v]) });
      return sketchDistribution(
        builder.profile.features.get('x')?.numeric.sketch ?? { k: 8, seed: 1, levels: [[]] },
      );
    };
    const [sa, sb] = [sketch(a), sketch(b)];
    const [ea, eb] = [sampleDistribution(a), sampleDistribution(b)];
    expect(sa.exact).toBe(false);
    expect(sa.total).toBe(200_000);
    expect(Math.abs(ksStatistic(sa, sb) - ksStatistic(ea, eb))).toBeLessThan(0.01);
    expect(Math.abs(ksStatistic(sa, eb) - ksStatistic(ea, eb))).toBeLessThan(0.01);
    expect(Math.abs(wasserstein(sa, sb) - wasserstein(ea, eb))).toBeLessThan(0.01);
  });

  it('stays exact while it holds every value', () => {
    const builder = new ProfileBuilder();
    builder.add({ columns: ['x'], rows: [[3], [1], [2]] });
    const d = sketchDistribution(
      builder.profile.features.get('x')?.numeric.sketch ?? { k: 8, seed: 1, levels: [[]] },
    );
    expect(d.exact).toBe(true);
    expect([...d.values]).toEqual([1, 2, 3]);
  });
});
