import type { CheckOutcome, CheckResult, DriftMonitorSpec } from '@steward/api';
import { Verdict } from '@steward/drift';
import { type BoundedPart, measureQuery, measureSamples, prometheusSettings } from './bounded.ts';
import { measureConceptDrift } from './concept.ts';
import { measureDataDrift } from './data-drift.ts';

export interface CheckEnvironment {
  now: () => Date;
  baselineProfilePath?: string | undefined;
  /** From the Secret spec.prometheus.bearerTokenSecretRef names; never logged. */
  prometheusToken?: string | undefined;
  pvcRoot?: string | undefined;
}

/**
 * The check's outcome from its parts' outcomes. SchemaDrift comes first: the data is broken, and
 * retraining on it would make things worse. Then Drift (a breach: retrain), Failed (a part could not
 * run), Inconclusive (too little data), NoDrift.
 */
const PRECEDENCE: readonly CheckOutcome[] = [
  Verdict.SchemaDrift,
  Verdict.Drift,
  'Failed',
  Verdict.Inconclusive,
  Verdict.NoDrift,
];

export function overallOutcome(outcomes: readonly CheckOutcome[]): CheckOutcome {
  return PRECEDENCE.find((outcome) => outcomes.includes(outcome)) ?? Verdict.NoDrift;
}

/** The most summary text a termination message or a retrain reason carries. */
const SUMMARY_MAX = 1024;

function summaryOf(outcome: CheckOutcome, lines: readonly string[]): string {
  const text = lines.length > 0 ? `${outcome}: ${lines.join('; ')}` : outcome;
  return text.length <= SUMMARY_MAX ? text : `${text.slice(0, SUMMARY_MAX - 1)}…`;
}

/** Runs every configured part of a DriftMonitor's check and returns the values it measured. */
export async function runCheck(
  spec: DriftMonitorSpec,
  env: CheckEnvironment,
): Promise<{ result: CheckResult; summary: string }> {
  const startedAt = env.now();
  const prometheus = prometheusSettings(spec, env.prometheusToken);
  const [data, concept, kpis, quality] = await Promise.all([
    measureDataDrift({
      spec,
      now: startedAt,
      baselineProfilePath: env.baselineProfilePath,
      pvcRoot: env.pvcRoot,
    }),
    measureConceptDrift(spec, startedAt, env.pvcRoot),
    Promise.all((spec.businessKpis ?? []).map((kpi) => measureQuery(kpi, prometheus))),
    Promise.all(
      (spec.outputQuality ?? []).map((check) =>
        check.query !== undefined
          ? measureQuery({ ...check, query: check.query }, prometheus)
          : measureSamples(
              {
                ...check,
                samples: check.samples as NonNullable<typeof check.samples>,
                scoreColumn: check.scoreColumn ?? '',
              },
              startedAt,
              env.pvcRoot,
            ),
      ),
    ),
  ]);
  const outcomes: CheckOutcome[] = [];
  const lines: string[] = [];
  const result: CheckResult = { outcome: Verdict.NoDrift, startedAt: startedAt.toISOString() };
  if (data) {
    result.dataDrift = data.dataDrift;
    if (data.features) result.features = data.features;
    if (data.driftShare !== undefined) result.driftShare = data.driftShare;
    if (data.warnings.length > 0) result.warnings = data.warnings;
    outcomes.push(data.dataDrift.outcome);
    const counts = `${data.dataDrift.driftedFeatures ?? 0}/${data.dataDrift.totalFeatures ?? 0} features`;
    if (data.failure) lines.push(`data drift failed: ${data.failure.message}`);
    else if (data.breaches.length > 0) lines.push(`data ${counts} drifted (${data.breaches.join(', ')})`);
  }
  if (concept) {
    result.conceptDrift = concept.conceptDrift;
    outcomes.push(concept.conceptDrift.outcome);
    if (concept.failure) lines.push(`concept drift failed: ${concept.failure.message}`);
    else if (concept.breach) lines.push(`concept drift: ${concept.breach}`);
  }
  const bounded = (parts: BoundedPart[], what: string) => {
    for (const part of parts) {
      outcomes.push(part.result.outcome);
      if (part.failure) lines.push(`${what} ${part.result.name} failed: ${part.failure.message}`);
      else if (part.breach) lines.push(`${what} ${part.breach}`);
    }
    return parts.map((p) => p.result);
  };
  if (kpis.length > 0) result.businessKpis = bounded(kpis, 'KPI');
  if (quality.length > 0) result.outputQuality = bounded(quality, 'output quality');
  result.outcome = overallOutcome(outcomes);
  result.completedAt = env.now().toISOString();
  const summary = summaryOf(result.outcome, lines);
  result.message = summary;
  return { result, summary };
}
