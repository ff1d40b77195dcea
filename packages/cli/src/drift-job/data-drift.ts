import type { CheckResult, DriftMonitorSpec, FeatureCheckResult } from '@steward/api';
import { MAX_FEATURES } from '@steward/api';
import {
  checkDrift,
  type Dataset,
  type DriftCheckConfig,
  type FeatureResult,
  isBreach,
  openDataset,
  Verdict,
} from '@steward/drift';
import { failurePart, type PartFailure } from './failures.ts';
import { readSettings } from './sources.ts';

export interface DataDriftInputs {
  spec: DriftMonitorSpec;
  now: Date;
  /** The mounted baseline profile (spec.baseline.profile's ConfigMap key). */
  baselineProfilePath?: string | undefined;
  pvcRoot?: string | undefined;
}

export interface DataDriftPart {
  dataDrift: NonNullable<CheckResult['dataDrift']>;
  features?: FeatureCheckResult[];
  driftShare?: number;
  warnings: string[];
  /** One line per drifted feature, for the summary. */
  breaches: string[];
  failure?: PartFailure;
}

/** Breaches first, then what could not be judged, then the rest: status keeps the head of this list. */
const FEATURE_ORDER: Readonly<Record<string, number>> = {
  [Verdict.SchemaDrift]: 0,
  [Verdict.Drift]: 1,
  [Verdict.Inconclusive]: 2,
  [Verdict.NoDrift]: 3,
};

const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : undefined);

function featureResult(f: FeatureResult): FeatureCheckResult {
  const result: FeatureCheckResult = { name: f.name, sampleSize: f.currentCount, outcome: f.verdict };
  if (f.method !== undefined) result.method = f.method;
  const score = finite(f.statistic);
  if (score !== undefined) result.score = score;
  const pValue = finite(f.pValue);
  if (pValue !== undefined) result.pValue = pValue;
  if (f.threshold !== undefined) result.threshold = f.threshold;
  if (f.referenceCount > 0) result.referenceSize = f.referenceCount;
  if (f.reason !== undefined) result.reason = f.reason;
  return result;
}

export function breachLine(f: FeatureResult): string {
  if (f.verdict === Verdict.SchemaDrift) return `${f.message ?? f.name} (${f.reason})`;
  const measured =
    f.pValue !== undefined
      ? `p ${f.pValue.toPrecision(3)} < ${f.threshold}`
      : `${f.statistic?.toPrecision(3)} >= ${f.threshold}`;
  return `${f.name} ${f.method} ${measured}`;
}

/** The configured features, or the baseline columns minus the sources' timestamp columns (a time is no feature). */
function featuresToCheck(config: DriftCheckConfig, baseline: Dataset, spec: DriftMonitorSpec) {
  if (config.features !== undefined) return config.features;
  const times = new Set([spec.baseline?.source?.timestampColumn, spec.current?.timestampColumn]);
  return [...baseline.profile.features.keys()].filter((name) => !times.has(name)).map((name) => ({ name }));
}

/** Reads baseline and current data and checks them; never throws for bad or unreachable data. */
export async function measureDataDrift(inputs: DataDriftInputs): Promise<DataDriftPart | undefined> {
  const { spec, now } = inputs;
  if (!spec.dataDrift || !spec.current || !spec.baseline) return undefined;
  const config: DriftCheckConfig = spec.dataDrift;
  try {
    let baselineLocation: string;
    let baselineOptions = {};
    if (spec.baseline.profile) {
      if (inputs.baselineProfilePath === undefined) throw new Error('the baseline profile is not mounted');
      baselineLocation = inputs.baselineProfilePath;
    } else {
      const settings = readSettings(
        spec.baseline.source as NonNullable<typeof spec.baseline.source>,
        now,
        inputs.pvcRoot,
      );
      baselineLocation = settings.location;
      baselineOptions = settings;
    }
    const currentSettings = readSettings(spec.current, now, inputs.pvcRoot);
    const baseline = await openDataset(baselineLocation, { ...baselineOptions, isolated: true, config });
    const current = await openDataset(currentSettings.location, {
      ...currentSettings,
      isolated: true,
      config,
    });
    const report = checkDrift(baseline, current, {
      ...config,
      features: featuresToCheck(config, baseline, spec),
    });
    const sorted = [...report.features].sort(
      (a, b) => (FEATURE_ORDER[a.verdict] ?? 0) - (FEATURE_ORDER[b.verdict] ?? 0),
    );
    const part: DataDriftPart = {
      dataDrift: {
        outcome: report.verdict,
        driftedFeatures: report.driftedFeatures,
        schemaDriftedFeatures: report.schemaDriftedFeatures,
        inconclusiveFeatures: report.inconclusiveFeatures,
        totalFeatures: report.features.length,
      },
      features: sorted.slice(0, MAX_FEATURES).map(featureResult),
      warnings: report.warnings,
      breaches: sorted.filter((f) => isBreach(f.verdict)).map(breachLine),
    };
    if (report.share !== null) part.driftShare = report.share;
    return part;
  } catch (error) {
    const failure = failurePart(error);
    return {
      dataDrift: { outcome: 'Failed', reason: failure.reason, message: failure.message },
      warnings: [],
      breaches: [],
      failure,
    };
  }
}
