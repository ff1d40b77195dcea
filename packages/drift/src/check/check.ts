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
import { thresholdWarning } from './plausibility.ts';
import { InconclusiveReason, SchemaDriftReason, Verdict } from './reasons.ts';
import { viewPair } from './view.ts';

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
  /** Why the verdict is Inconclusive or SchemaDrift. */
  reason?: InconclusiveReason | SchemaDriftReason;
  message?: string;
}

export interface DriftReport {
  /** SchemaDrift when any feature's schema drifted; otherwise the share rule (see datasetVerdict). */
  verdict: Verdict;
  driftShare: number;
  /** Features with verdict Drift or SchemaDrift. */
  driftedFeatures: number;
  schemaDriftedFeatures: number;
  inconclusiveFeatures: number;
  /** Features with a verdict other than Inconclusive. */
  evaluatedFeatures: number;
  /** drifted / all checked features (Evidently's share), or null when no feature was checked. */
  share: number | null;
  /** The share if every Inconclusive feature had drifted: the verdict is only sure outside [share, maxShare]. */
  maxShare: number | null;
  referenceRows: number;
  currentRows: number;
  features: FeatureResult[];
  /** Thresholds outside the plausible range of their method (see plausibility.ts). */
  warnings: string[];
}

/**
 * The default method, chosen as Evidently chooses it: from the reference size and the number of
 * distinct values in both samples together, so a category that appears only in the current data
 * turns a two-category Z-test into chi-square instead of leaving it unjudged.
 */
export function defaultMethod(
  type: 'numeric' | 'categorical',
  referenceCount: number,
  distinctValues: number,
): DriftMethod {
  const small = referenceCount <= SMALL_REFERENCE_MAX;
  if (type === 'numeric') return small ? 'ks' : 'wasserstein';
  if (!small) return 'jensenshannon';
  return distinctValues <= 2 ? 'ztest' : 'chisquare';
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
  const unjudged = (
    verdict: typeof Verdict.Inconclusive | typeof Verdict.SchemaDrift,
    reason: InconclusiveReason | SchemaDriftReason,
    message: string,
    extra: Partial<FeatureResult> = {},
  ): FeatureResult => ({ name, verdict, referenceCount: 0, currentCount: 0, ...extra, reason, message });
  if (!refFeature) {
    // The configuration names a feature the baseline never had: the reference needs fixing, not an alert.
    return unjudged(
      Verdict.Inconclusive,
      InconclusiveReason.MissingColumn,
      `${name}: no such column in the baseline`,
    );
  }
  if (!curFeature) {
    return unjudged(
      Verdict.SchemaDrift,
      SchemaDriftReason.MissingColumn,
      `${name}: no such column in the current data`,
    );
  }
  const view = viewPair(refFeature, curFeature, config?.type, minSampleSize);
  if (view.type === 'unjudged') return unjudged(view.verdict, view.reason, view.message);
  const categories =
    view.type === 'categorical'
      ? [...new Set([...view.reference.categories.keys(), ...view.current.categories.keys()])].sort()
      : [];
  const counts =
    view.type === 'numeric'
      ? { referenceCount: view.referenceCount, currentCount: view.currentCount }
      : { referenceCount: view.reference.count, currentCount: view.current.count };
  const method = config?.method ?? defaultMethod(view.type, counts.referenceCount, categories.length);
  const threshold =
    config?.threshold ?? (TEST_METHODS.has(method) ? DEFAULT_P_VALUE_THRESHOLD : DEFAULT_DISTANCE_THRESHOLD);
  const base = { type: view.type, ...counts, method, threshold };
  if (counts.referenceCount < minSampleSize || counts.currentCount < minSampleSize) {
    return unjudged(
      Verdict.Inconclusive,
      InconclusiveReason.InsufficientData,
      `${name}: ${Math.min(counts.referenceCount, counts.currentCount)} value(s) on one side, the minimum sample size is ${minSampleSize}`,
      base,
    );
  }
  let score: Score | string;
  if (view.type === 'numeric') {
    score = scoreNumeric(
      method,
      config,
      { feature: refFeature, samples: reference.samples?.get(name) },
      { feature: curFeature, samples: current.samples?.get(name) },
    );
  } else {
    if (view.reference.overflow > 0 || view.current.overflow > 0) {
      return unjudged(
        Verdict.Inconclusive,
        InconclusiveReason.TooManyCategories,
        `${name}: more than ${refFeature.text.maxCategories} distinct values (an identifier?); exclude it or declare it numeric`,
        base,
      );
    }
    score = scoreCounts(
      method,
      categories.map((k) => view.reference.categories.get(k) ?? 0),
      categories.map((k) => view.current.categories.get(k) ?? 0),
    );
  }
  if (typeof score === 'string') {
    const reason = score.startsWith('fewer')
      ? InconclusiveReason.TooFewCategories
      : InconclusiveReason.MethodNotApplicable;
    return unjudged(Verdict.Inconclusive, reason, `${name}: ${score}`, base);
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
 * The dataset verdict. A vanished or retyped feature is SchemaDrift whatever the share. Otherwise
 * Inconclusive features count as unknown: Drift when the share reaches driftShare even if none of
 * them drifted, NoDrift when it stays below even if all of them did, Inconclusive in between.
 * Without Inconclusive features this is Evidently's rule (share of drifted columns >= driftShare).
 */
function datasetVerdict(results: readonly FeatureResult[], driftShare: number) {
  const total = results.length;
  const count = (verdict: Verdict) => results.filter((r) => r.verdict === verdict).length;
  const schemaDrifted = count(Verdict.SchemaDrift);
  // A vanished column is the most drastic change of its distribution: it counts as drifted.
  const drifted = count(Verdict.Drift) + schemaDrifted;
  const inconclusive = count(Verdict.Inconclusive);
  const share = total > 0 ? drifted / total : null;
  const maxShare = total > 0 ? (drifted + inconclusive) / total : null;
  let verdict: Verdict;
  if (schemaDrifted > 0) verdict = Verdict.SchemaDrift;
  else if (share === null || maxShare === null) verdict = Verdict.Inconclusive;
  else if (share >= driftShare) verdict = Verdict.Drift;
  else if (maxShare < driftShare) verdict = Verdict.NoDrift;
  else verdict = Verdict.Inconclusive;
  return {
    verdict,
    driftedFeatures: drifted,
    schemaDriftedFeatures: schemaDrifted,
    inconclusiveFeatures: inconclusive,
    evaluatedFeatures: total - inconclusive,
    share,
    maxShare,
  };
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
  return {
    ...datasetVerdict(results, driftShare),
    driftShare,
    referenceRows: reference.profile.rows,
    currentRows: current.profile.rows,
    features: results,
    warnings: results.flatMap((r) =>
      r.method !== undefined && r.threshold !== undefined
        ? (thresholdWarning(r.name, r.method, r.threshold) ?? [])
        : [],
    ),
  };
}
