import {
  type CheckResult,
  type DriftCheckReport,
  driftCheckJobResultSchema,
  driftCheckReportSchema,
  FailureCause,
  REPORT_KEY,
} from '@steward/api';
import type { ConfigMap, Job, Pod } from '@steward/runtime';
import { resultGraceEnd } from '../job-results.ts';
import { JOB_NAME_LABEL } from './names.ts';

/** A finished check Job and what it measured. */
export interface FinishedCheck {
  kind: 'finished';
  job: string;
  finishedAt: string;
  result: CheckResult;
}

/** A check Job that completed, whose result the caches do not show yet (../job-results.ts). */
export interface AwaitedCheck {
  kind: 'awaitingResult';
  job: string;
  /** Look again then; a Pod or report event usually comes first. */
  until: Date;
}

function finishedAt(job: Job): string | undefined {
  const done = job.status?.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  return done === undefined ? undefined : (job.status?.completionTime ?? done.lastTransitionTime);
}

function failedCondition(job: Job) {
  return job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The full report, when the report ConfigMap holds this Job's. */
function fromReport(job: string, report: ConfigMap | undefined): CheckResult | undefined {
  const parsed = driftCheckReportSchema.safeParse(parseJson(report?.data?.[REPORT_KEY]));
  const value: DriftCheckReport | undefined = parsed.success ? parsed.data : undefined;
  return value?.job === job ? value.result : undefined;
}

/** The compact result of the Job's Pod termination message. */
function fromTerminationMessage(pods: readonly Pod[]): CheckResult | undefined {
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) {
      const message = status.state?.terminated?.message;
      const parsed = driftCheckJobResultSchema.safeParse(parseJson(message));
      if (parsed.success) return parsed.data.result;
    }
  }
  return undefined;
}

/** A Job that ended without a readable result: the check itself failed; say what Kubernetes says. */
function failedWithout(job: Job, pods: readonly Pod[], at: string): CheckResult {
  const failed = failedCondition(job);
  const terminated = pods.flatMap((p) => p.status?.containerStatuses ?? []).find((s) => s.state?.terminated)
    ?.state?.terminated;
  const detail = failed
    ? `${failed.reason ?? 'Failed'}: ${failed.message ?? ''}`.trim()
    : 'completed without a result in its termination message or the report ConfigMap';
  const container = terminated
    ? `; container ${terminated.reason ?? 'terminated'} with exit code ${terminated.exitCode}${terminated.message ? `: ${terminated.message.slice(0, 512)}` : ''}`
    : '';
  return {
    outcome: 'Failed',
    job: job.metadata?.name ?? '',
    startedAt: job.status?.startTime ?? at,
    completedAt: at,
    message: `check Job ${job.metadata?.name} ${detail}${container}`.slice(0, 4096),
  };
}

/**
 * The newest finished check Job with its result: from the report ConfigMap when it holds this Job's
 * report (all features), else from the termination message (breaches first, as many as fit), else a
 * Failed result saying why there is none. Both channels outlive an operator that was down meanwhile.
 * A Job that completed without a result in either channel is awaited for RESULT_GRACE_MS first: the
 * Pod and ConfigMap caches may not show what the Job wrote yet.
 */
export function latestFinishedCheck(
  jobs: readonly Job[],
  podsOf: (job: string) => readonly Pod[],
  report: ConfigMap | undefined,
  now: Date,
): FinishedCheck | AwaitedCheck | undefined {
  const finished = jobs
    .flatMap((job) => {
      const at = finishedAt(job);
      return at === undefined || job.metadata?.name === undefined
        ? []
        : [{ job, at, name: job.metadata.name }];
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.name.localeCompare(b.name));
  const newest = finished[finished.length - 1];
  if (newest === undefined) return undefined;
  const pods = podsOf(newest.name).filter((p) => p.metadata?.labels?.[JOB_NAME_LABEL] === newest.name);
  const reported = fromReport(newest.name, report) ?? fromTerminationMessage(pods);
  if (reported === undefined && failedCondition(newest.job) === undefined) {
    const until = resultGraceEnd(newest.job.status?.completionTime, now);
    if (until !== undefined) return { kind: 'awaitingResult', job: newest.name, until };
  }
  const result = reported ?? failedWithout(newest.job, pods, newest.at);
  return {
    kind: 'finished',
    job: newest.name,
    finishedAt: newest.at,
    result: { ...result, job: newest.name },
  };
}

/** The parts of a result that could not run, as "part: cause: message" lines (empty when all ran). */
export function failedParts(result: CheckResult): string[] {
  const lines: string[] = [];
  const part = (
    what: string,
    p: { outcome: string; reason?: string | undefined; message?: string | undefined } | undefined,
  ) => {
    if (p?.outcome === 'Failed')
      lines.push(`${what}: ${p.reason ?? FailureCause.CheckFailed}: ${p.message ?? 'failed'}`);
  };
  part('data drift', result.dataDrift);
  part('concept drift', result.conceptDrift);
  for (const kpi of result.businessKpis ?? []) part(`KPI ${kpi.name}`, kpi);
  for (const q of result.outputQuality ?? []) part(`output quality ${q.name}`, q);
  if (lines.length === 0 && result.outcome === 'Failed') lines.push(result.message ?? 'the check failed');
  return lines;
}
