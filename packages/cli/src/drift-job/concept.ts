import { type CheckResult, type DriftMonitorSpec, FailureCause } from '@steward/api';
import {
  type Cell,
  DataError,
  degradation,
  type LabelledRow,
  QualityError,
  qualityMetric,
  readTable,
  Verdict,
} from '@steward/drift';
import { failurePart, type PartFailure } from './failures.ts';
import { readSettings } from './sources.ts';

export interface ConceptPart {
  conceptDrift: NonNullable<CheckResult['conceptDrift']>;
  breach?: string;
  failure?: PartFailure;
}

const empty = (cell: Cell) => cell === null || cell === undefined || cell === '';

/** The labelled rows of the source: both columns present, rows with an empty cell skipped. */
async function labelledRows(
  spec: NonNullable<DriftMonitorSpec['conceptDrift']>,
  now: Date,
  pvcRoot: string | undefined,
): Promise<LabelledRow[]> {
  const settings = readSettings(spec.labels, now, pvcRoot);
  const rows: LabelledRow[] = [];
  for await (const chunk of readTable(settings.location, settings)) {
    const prediction = chunk.columns.indexOf(spec.predictionColumn);
    const label = chunk.columns.indexOf(spec.labelColumn);
    for (const [column, index] of [
      [spec.predictionColumn, prediction],
      [spec.labelColumn, label],
    ] as const) {
      if (index < 0) throw new DataError(`${settings.location}: no column '${column}'`);
    }
    for (const row of chunk.rows) {
      const p = row[prediction];
      const l = row[label];
      if (empty(p) || empty(l)) continue;
      rows.push({
        prediction: typeof p === 'number' ? p : String(p),
        label: typeof l === 'number' ? l : String(l),
      });
    }
  }
  return rows;
}

/** Model quality on delayed labels against the baseline; never throws for bad or unreachable data. */
export async function measureConceptDrift(
  spec: DriftMonitorSpec,
  now: Date,
  pvcRoot?: string,
): Promise<ConceptPart | undefined> {
  const concept = spec.conceptDrift;
  if (concept === undefined) return undefined;
  const base = { metric: concept.metric, baseline: concept.baseline, maxDegradation: concept.maxDegradation };
  let rows: LabelledRow[];
  try {
    rows = await labelledRows(concept, now, pvcRoot);
  } catch (error) {
    const failure = failurePart(error);
    return {
      conceptDrift: {
        ...base,
        sampleSize: 0,
        outcome: 'Failed',
        reason: failure.reason,
        message: failure.message,
      },
      failure,
    };
  }
  const sampleSize = rows.length;
  if (sampleSize < concept.minSampleSize) {
    return {
      conceptDrift: {
        ...base,
        sampleSize,
        outcome: Verdict.Inconclusive,
        reason: 'InsufficientData',
        message: `${sampleSize} labelled row(s), the minimum sample size is ${concept.minSampleSize}`,
      },
    };
  }
  let value: number;
  try {
    value = qualityMetric(concept.metric, rows);
  } catch (error) {
    if (!(error instanceof QualityError)) throw error;
    const failure = { reason: FailureCause.InvalidData, message: `labels: ${error.message}` } as const;
    return { conceptDrift: { ...base, sampleSize, outcome: 'Failed', ...failure }, failure };
  }
  const worse = degradation(concept.metric, value, concept.baseline);
  const drifted = worse > concept.maxDegradation;
  const part: ConceptPart = {
    conceptDrift: { ...base, value, sampleSize, outcome: drifted ? Verdict.Drift : Verdict.NoDrift },
  };
  if (drifted) {
    part.breach = `${concept.metric} ${value.toPrecision(4)} vs baseline ${concept.baseline} (worse by ${worse.toPrecision(3)} > ${concept.maxDegradation})`;
  }
  return part;
}
