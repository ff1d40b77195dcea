import { type BoundedCheckResult, type DriftMonitorSpec, FailureCause, parseDuration } from '@steward/api';
import { DataError, prometheusInstantQuery, readTable, Verdict } from '@steward/drift';
import { failurePart, type PartFailure } from './failures.ts';
import { readSettings } from './sources.ts';

export interface BoundedPart {
  result: BoundedCheckResult;
  breach?: string;
  failure?: PartFailure;
}

interface Bounds {
  name: string;
  min?: number | undefined;
  max?: number | undefined;
}

function withBounds(check: Bounds): Pick<BoundedCheckResult, 'name' | 'min' | 'max'> {
  const result: Pick<BoundedCheckResult, 'name' | 'min' | 'max'> = { name: check.name };
  if (check.min !== undefined) result.min = check.min;
  if (check.max !== undefined) result.max = check.max;
  return result;
}

/** NoDrift inside [min, max] (inclusive), Drift outside, with the breach said in words. */
export function judge(check: Bounds, value: number, extra: Partial<BoundedCheckResult> = {}): BoundedPart {
  const below = check.min !== undefined && value < check.min;
  const above = check.max !== undefined && value > check.max;
  const result: BoundedCheckResult = {
    ...withBounds(check),
    ...extra,
    value,
    outcome: below || above ? Verdict.Drift : Verdict.NoDrift,
  };
  if (!below && !above) return { result };
  const bound = below ? `< min ${check.min}` : `> max ${check.max}`;
  return { result, breach: `${check.name} ${value.toPrecision(4)} ${bound}` };
}

export interface PrometheusSettings {
  url: string;
  timeoutMs: number;
  bearerToken?: string | undefined;
}

export function prometheusSettings(
  spec: DriftMonitorSpec,
  bearerToken: string | undefined,
): PrometheusSettings | undefined {
  if (spec.prometheus === undefined) return undefined;
  return { url: spec.prometheus.url, timeoutMs: parseDuration(spec.prometheus.timeout), bearerToken };
}

/** One bounded Prometheus query: Failed (PrometheusUnavailable) when it cannot be answered. */
export async function measureQuery(
  check: Bounds & { query: string },
  prometheus: PrometheusSettings | undefined,
): Promise<BoundedPart> {
  if (prometheus === undefined) {
    const failure = {
      reason: FailureCause.PrometheusUnavailable,
      message: 'no prometheus configured',
    } as const;
    return { result: { ...withBounds(check), outcome: 'Failed', ...failure }, failure };
  }
  const answer = await prometheusInstantQuery({ ...prometheus, query: check.query });
  if (answer.kind === 'value') return judge(check, answer.value);
  if (answer.kind === 'noData') {
    return {
      result: {
        ...withBounds(check),
        outcome: Verdict.Inconclusive,
        reason: 'NoData',
        message: answer.message,
      },
    };
  }
  const failure = { reason: FailureCause.PrometheusUnavailable, message: answer.message } as const;
  return { result: { ...withBounds(check), outcome: 'Failed', ...failure }, failure };
}

/** The mean per-sample score of a scored sample file (e.g. an LLM judge's export); scores lie in 0..1. */
export async function measureSamples(
  check: Bounds & { samples: Parameters<typeof readSettings>[0]; scoreColumn: string },
  now: Date,
  pvcRoot: string | undefined,
): Promise<BoundedPart> {
  let total = 0;
  let count = 0;
  let row = 0;
  try {
    const settings = readSettings(check.samples, now, pvcRoot);
    for await (const chunk of readTable(settings.location, settings)) {
      const index = chunk.columns.indexOf(check.scoreColumn);
      if (index < 0) throw new DataError(`${settings.location}: no column '${check.scoreColumn}'`);
      for (const cells of chunk.rows) {
        row++;
        const cell = cells[index];
        if (cell === null || cell === undefined || cell === '') continue;
        const score = typeof cell === 'number' ? cell : Number(cell);
        if (!(score >= 0 && score <= 1)) {
          throw new DataError(
            `${settings.location}: row ${row}: ${check.scoreColumn} ${JSON.stringify(cell)} is not a score in 0..1`,
          );
        }
        total += score;
        count++;
      }
    }
  } catch (error) {
    const failure = failurePart(error);
    return { result: { ...withBounds(check), outcome: 'Failed', ...failure }, failure };
  }
  if (count === 0) {
    return {
      result: {
        ...withBounds(check),
        sampleSize: 0,
        outcome: Verdict.Inconclusive,
        reason: 'NoData',
        message: 'no scored samples',
      },
    };
  }
  return judge(check, total / count, { sampleSize: count });
}
