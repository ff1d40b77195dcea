import {
  type DriftCheckConfig,
  type DriftMethod,
  driftCheckConfigSchema,
  type FeatureConfig,
} from '../config.ts';
import type { FeatureProfile } from '../profile/feature.ts';
import { sketchDistribution } from '../profile/kll.ts';
import type { Profile } from '../profile/profile.ts';
import { binBoth, DEFAULT_BINS } from '../stats/binned.ts';
import { chiSquare, jensenShannon, psi, zTestProportions } from '../stats/categorical.ts';
import { type StepDistribution, sampleDistribution } from '../stats/distribution.ts';
import { ksTest } from '../stats/ks.ts';
import { sampleBinCounts, sampleQuantileBins } from '../stats/select.ts';
import { normalisedWasserstein } from '../stats/wasserstein.ts';
import { InconclusiveReason, Verdict } from './reasons.ts';
import { type FeatureView, viewFeature } from './view.ts';

/** Common practice (Evidently): statistical tests up to this many reference values, distances above. */
export const SMALL_REFERENCE_MAX = 1000;
/** Default p-value threshold of the tests and default distance threshold of the distances. */
export const DEFAULT_P_VALUE_THRESHOLD = 0.05;
export const DEFAULT_DISTANCE_THRESHOLD = 0.1;

const TEST_METHODS: ReadonlySet<DriftMethod> = new Set(['ks', 'chisquare', 'ztest']);
/** Methods that compare bin counts; on numeric features the bins are quantile or fixed edges. */
const BINNED_METHODS: ReadonlySet<DriftMethod> = new Set(['psi', 'jensenshannon', 'chisquare']);

/** One side of a check: a profile, plus the raw numeric values when it was read from data. */
export interface Dataset {
  profile: Profile;
  samples?: ReadonlyMap<string, Float64Array>;
}

export interface FeatureResult {
  name: string;
  type?: 'numeric' | 'categorical';
  method?: DriftMethod;
  verdict: Verdict;
  /** The method's score: a distance, or the test statistic for ks/chisquare/ztest. */
  statistic?: number;
  pValue?: number;
  threshold?: number;
  referenceCount: number;
  currentCount: number;
  /** True when a side was a sketch, so the value is an estimate (docs/drift.md gives the error). */
  approximate?: boolean;
  reason?: InconclusiveReason;
  message?: string;
}

export interface DriftReport {
  verdict: Verdict;
  driftShare: number;
  driftedFeatures: number;
  evaluatedFeatures: number;
  /** drifted / evaluated, or null when nothing could be evaluated. */
  share: number | null;
  referenceRows: number;
  currentRows: number;
  features: FeatureResult[];
}

export function defaultMethod(
  view: FeatureView & { type: 'numeric' | 'categorical' },
  referenceCount: number,
): DriftMethod {
  const small = referenceCount <= SMALL_REFERENCE_MAX;
  if (view.type === 'numeric') return small ? 'ks' : 'wasserstein';
  if (!small) return 'jensenshannon';
  return view.categories.size <= 2 ? 'ztest' : 'chisquare';
}

function distribution(feature: FeatureProfile, samples: Float64Array | undefined): StepDistribution {
  return samples ? sampleDistribution(samples) : sketchDistribution(feature.numeric.sketch);
}

interface Score {
  statistic: number;
  pValue?: number;
  approximate?: boolean;
}

function scoreNumeric(
  method: DriftMethod,
  config: FeatureConfig | undefined,
  ref: { feature: FeatureProfile; samples: Float64Array | undefined },
  cur: { feature: FeatureProfile; samples: Float64Array | undefined },
): Score | string {
  if (method === 'ztest') return 'ztest needs a feature with two categories';
  const fixed = config?.edges ? [...new Set(config.edges)].sort((x, y) => x - y) : undefined;
  if (BINNED_METHODS.has(method) && fixed) {
    const r = ref.feature.numeric.histogram;
    const c = cur.feature.numeric.histogram;
    // Both profiles counted on exactly these edges: exact counts, no sketch needed.
    if (r && c && r.edges.join() === fixed.join() && c.edges.join() === fixed.join()) {
      return scoreCounts(method, r.counts, c.counts);
    }
  }
  if (BINNED_METHODS.has(method) && ref.samples && cur.samples) {
    // Raw data on both sides: bin without sorting (selected edges, one counting pass).
    const { edges, counts } = fixed
      ? { edges: fixed, counts: sampleBinCounts(ref.samples, fixed) }
      : sampleQuantileBins(ref.samples, config?.bins ?? DEFAULT_BINS);
    return scoreCounts(method, counts, sampleBinCounts(cur.samples, edges));
  }
  const a = distribution(ref.feature, ref.samples);
  const b = distribution(cur.feature, cur.samples);
  const approximate = !(a.exact && b.exact);
  switch (method) {
    case 'ks': {
      const ks = ksTest(a, b, { a: ref.feature.numeric.count, b: cur.feature.numeric.count });
      return { statistic: ks.statistic, pValue: ks.pValue, approximate };
    }
    case 'wasserstein': {
      const std = Math.sqrt(ref.feature.numeric.m2 / ref.feature.numeric.count);
      return { statistic: normalisedWasserstein(a, b, std), approximate };
    }
    default: {
      const options = config?.edges ? { edges: config.edges } : config?.bins ? { bins: config.bins } : {};
      const binned = binBoth(a, b, options);
      const score = scoreCounts(method, binned.reference, binned.current);
      return typeof score === 'string' ? score : { ...score, approximate };
    }
  }
}

function scoreCounts(method: DriftMethod, reference: number[], current: number[]): Score | string {
  switch (method) {
    case 'psi':
      return { statistic: psi(reference, current) };
    case 'jensenshannon':
      return { statistic: jensenShannon(reference, current) };
    case 'chisquare': {
      const result = chiSquare(reference, current);
      if (!result) return 'fewer than two categories remain after pooling those with expected count under 5';
      return { statistic: result.statistic, pValue: result.pValue };
    }
    case 'ztest': {
      if (reference.length > 2) return `ztest needs at most two categories, found ${reference.length}`;
      const rTotal = reference.reduce((s, n) => s + n, 0);
      const cTotal = current.reduce((s, n) => s + n, 0);
      const z = zTestProportions(reference[0] ?? 0, rTotal, current[0] ?? 0, cTotal);
      return { statistic: z.statistic, pValue: z.pValue };
    }
    default:
      return `${method} needs a numeric feature`;
  }
}

function checkFeature(
  name: string,
  config: FeatureConfig | undefined,
  reference: Dataset,
  current: Dataset,
  minSampleSize: number,
): FeatureResult {
  const refFeature = reference.profile.features.get(name);
  const curFeature = current.profile.features.get(name);
  const inconclusive = (
    reason: InconclusiveReason,
    message: string,
    extra: Partial<FeatureResult> = {},
  ): FeatureResult => ({
    name,
    verdict: Verdict.Inconclusive,
    referenceCount: 0,
    currentCount: 0,
    ...extra,
    reason,
    message,
  });
  if (!refFeature || !curFeature) {
    const side = !refFeature ? 'baseline' : 'current data';
    return inconclusive(InconclusiveReason.MissingColumn, `${name}: no such column in the ${side}`);
  }
  const refView = viewFeature(refFeature, config?.type);
  if (refView.type === 'inconclusive') return inconclusive(refView.reason, `baseline ${refView.message}`);
  const curView = viewFeature(curFeature, refView.type);
  if (curView.type === 'inconclusive') return inconclusive(curView.reason, `current ${curView.message}`);
  const counts = { type: refView.type, referenceCount: refView.count, currentCount: curView.count };
  const method = config?.method ?? defaultMethod(refView, refView.count);
  const threshold =
    config?.threshold ?? (TEST_METHODS.has(method) ? DEFAULT_P_VALUE_THRESHOLD : DEFAULT_DISTANCE_THRESHOLD);
  const base = { ...counts, method, threshold };
  if (refView.count < minSampleSize || curView.count < minSampleSize) {
    return inconclusive(
      InconclusiveReason.InsufficientData,
      `${name}: ${Math.min(refView.count, curView.count)} value(s) on one side, the minimum sample size is ${minSampleSize}`,
      base,
    );
  }
  let score: Score | string;
  if (refView.type === 'numeric' && curView.type === 'numeric') {
    score = scoreNumeric(
      method,
      config,
      { feature: refFeature, samples: reference.samples?.get(name) },
      { feature: curFeature, samples: current.samples?.get(name) },
    );
  } else if (refView.type === 'categorical' && curView.type === 'categorical') {
    if (refView.overflow > 0 || curView.overflow > 0) {
      return inconclusive(
        InconclusiveReason.TooManyCategories,
        `${name}: more than ${refFeature.text.maxCategories} distinct values (an identifier?); exclude it or declare it numeric`,
        base,
      );
    }
    const keys = [...new Set([...refView.categories.keys(), ...curView.categories.keys()])].sort();
    score = scoreCounts(
      method,
      keys.map((k) => refView.categories.get(k) ?? 0),
      keys.map((k) => curView.categories.get(k) ?? 0),
    );
  } else {
    score = `baseline is ${refView.type} but current data is ${curView.type}`;
  }
  if (typeof score === 'string') {
    const reason = score.startsWith('fewer')
      ? InconclusiveReason.TooFewCategories
      : InconclusiveReason.MethodNotApplicable;
    return inconclusive(reason, `${name}: ${score}`, base);
  }
  const drifted =
    score.pValue !== undefined && TEST_METHODS.has(method)
      ? score.pValue < threshold
      : score.statistic >= threshold;
  const result: FeatureResult = {
    name,
    ...base,
    verdict: drifted ? Verdict.Drift : Verdict.NoDrift,
    statistic: score.statistic,
  };
  if (score.pValue !== undefined) result.pValue = score.pValue;
  if (score.approximate) result.approximate = true;
  return result;
}

/**
 * Compares current data with a baseline per feature and for the dataset. Pure: the same inputs give
 * the same report. Features default to every baseline column.
 */
export function checkDrift(
  reference: Dataset,
  current: Dataset,
  config: Partial<DriftCheckConfig> = {},
): DriftReport {
  const { driftShare, minSampleSize, features } = driftCheckConfigSchema.parse(config);
  const configured = new Map((features ?? []).map((f) => [f.name, f]));
  const names = features ? features.map((f) => f.name) : [...reference.profile.features.keys()];
  const results = names.map((name) =>
    checkFeature(name, configured.get(name), reference, current, minSampleSize),
  );
  const evaluated = results.filter((r) => r.verdict !== Verdict.Inconclusive);
  const drifted = evaluated.filter((r) => r.verdict === Verdict.Drift).length;
  const share = evaluated.length > 0 ? drifted / evaluated.length : null;
  const verdict =
    share === null ? Verdict.Inconclusive : share >= driftShare ? Verdict.Drift : Verdict.NoDrift;
  return {
    verdict,
    driftShare,
    driftedFeatures: drifted,
    evaluatedFeatures: evaluated.length,
    share,
    referenceRows: reference.profile.rows,
    currentRows: current.profile.rows,
    features: results,
  };
}
