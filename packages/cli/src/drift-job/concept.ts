import { type CheckResult, DEFAULT_MIN_MATCH_RATE, type DriftMonitorSpec, FailureCause } from '@steward/api';
import {
  type Cell,
  DataError,
  degradation,
  InconclusiveReason,
  type JoinCounts,
  joinByKey,
  type LabelledRow,
  QualityError,
  qualityMetric,
  readTable,
  Verdict,
} from '@steward/drift';
import { failurePart, type PartFailure } from './failures.ts';
import { readSettings } from './sources.ts';

type ConceptResult = NonNullable<CheckResult['conceptDrift']>;

export interface ConceptPart {
  conceptDrift: ConceptResult;
  breach?: string;
  failure?: PartFailure;
}

type ConceptSpec = NonNullable<DriftMonitorSpec['conceptDrift']>;

const empty = (cell: Cell) => cell === null || cell === undefined || cell === '';

/** The rows of a source holding predictions and labels already joined: both columns set, others skipped. */
async function prejoinedRows(
  spec: ConceptSpec,
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

/** The labels joined to the predictions by key, with what the join could not use counted. */
async function joinedRows(
  spec: ConceptSpec,
  predictions: NonNullable<ConceptSpec['predictions']>,
  keyColumns: readonly string[],
  now: Date,
  pvcRoot: string | undefined,
): Promise<{ rows: LabelledRow[]; counts: JoinCounts }> {
  const labels = readSettings(spec.labels, now, pvcRoot);
  const served = readSettings(predictions, now, pvcRoot);
  return joinByKey(
    readTable(labels.location, labels),
    readTable(served.location, served),
    { keyColumns, predictionColumn: spec.predictionColumn, labelColumn: spec.labelColumn },
    { labels: labels.location, predictions: served.location },
  );
}

/** Too few labels matched for the metric to describe the model's traffic: the Inconclusive message, or undefined. */
function lowMatchRate(spec: ConceptSpec, counts: JoinCounts): string | undefined {
  const minimum = spec.minMatchRate ?? DEFAULT_MIN_MATCH_RATE;
  if (counts.matchRate >= minimum) return undefined;
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  return `${percent(counts.matchRate)} of ${counts.labelRows} label(s) found their prediction by ${spec.keyColumns?.join(', ')}, the minimum match rate is ${percent(minimum)}`;
}

/** Model quality on delayed labels against the baseline; never throws for bad or unreachable data. */
export async function measureConceptDrift(
  spec: DriftMonitorSpec,
  now: Date,
  pvcRoot?: string,
): Promise<ConceptPart | undefined> {
  const concept = spec.conceptDrift;
  if (concept === undefined) return undefined;
  const base: Omit<ConceptResult, 'sampleSize' | 'outcome'> = {
    metric: concept.metric,
    baseline: concept.baseline,
    maxDegradation: concept.maxDegradation,
  };
  let rows: LabelledRow[];
  let join: JoinCounts | undefined;
  try {
    if (concept.predictions !== undefined && concept.keyColumns !== undefined) {
      ({ rows, counts: join } = await joinedRows(
        concept,
        concept.predictions,
        concept.keyColumns,
        now,
        pvcRoot,
      ));
    } else {
      rows = await prejoinedRows(concept, now, pvcRoot);
    }
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
  if (join !== undefined) base.join = join;
  const fewMatches = join === undefined ? undefined : lowMatchRate(concept, join);
  if (fewMatches !== undefined) {
    return {
      conceptDrift: {
        ...base,
        sampleSize,
        outcome: Verdict.Inconclusive,
        reason: InconclusiveReason.LowMatchRate,
        message: fewMatches,
      },
    };
  }
  if (sampleSize < concept.minSampleSize) {
    return {
      conceptDrift: {
        ...base,
        sampleSize,
        outcome: Verdict.Inconclusive,
        reason: InconclusiveReason.InsufficientData,
        message: `${sampleSize} labelled row(s)${join === undefined ? '' : ' matched'}, the minimum sample size is ${concept.minSampleSize}`,
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
