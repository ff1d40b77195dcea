/**
 * Which requests for a run (or a drill) are new, pure. Each request is acted on once: status.handledTriggers
 * records the last one of each kind, and times before the pipeline existed never count (like a CronJob,
 * which does not run for schedule times before it was created).
 */
import {
  DRILL_REQUESTED_ANNOTATION,
  RETRAIN_REQUESTED_ANNOTATION,
  type RetrainPipelineSpec,
  type RetrainPipelineStatus,
  RunTrigger,
} from '@steward/api';
import { latestScheduleTime, nextScheduleTime, parseSchedule } from './schedule.ts';

type Handled = NonNullable<RetrainPipelineStatus['handledTriggers']>;

/** The parts of a DriftMonitor the pipeline reads: which pipeline it names, and its last request. */
export interface ObservedDriftMonitor {
  metadata?: { name?: string };
  spec?: { onDrift?: { retrainPipeline?: string } } & Record<string, unknown>;
  status?: { lastRetrainTrigger?: { time?: string; pipeline?: string; reason?: string } };
}

export interface RunRequest {
  trigger: (typeof RunTrigger)[keyof typeof RunTrigger];
  /** What the run id derives from: the trigger's time, or the annotation value. */
  key: Date | string;
  reason: string;
}

export interface PendingTriggers {
  /** New run requests, most important first (manual, drift, schedule). */
  runs: RunRequest[];
  drill: RunRequest | undefined;
  /** handledTriggers after acting on every pending request. */
  handled: Handled;
  /** Requests from monitors this pipeline does not accept (triggers.driftMonitors). */
  ignoredMonitors: string[];
  /** The next time a schedule fires, to reconcile then. */
  nextWake: Date | undefined;
}

export interface TriggerInput {
  name: string;
  created: Date;
  annotations: Readonly<Record<string, string>>;
  spec: RetrainPipelineSpec;
  handled: Handled;
  monitors: readonly ObservedDriftMonitor[];
  now: Date;
}

function scheduled(field: string, expression: string, timeZone: string | undefined, after: Date, now: Date) {
  let schedule: ReturnType<typeof parseSchedule>;
  try {
    schedule = parseSchedule(expression, timeZone);
  } catch (error) {
    throw new Error(`${field} "${expression}": ${(error as Error).message}`);
  }
  return { latest: latestScheduleTime(schedule, after, now), next: nextScheduleTime(schedule, now, after) };
}

function later(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

export function pendingTriggers(input: TriggerInput): PendingTriggers {
  const { spec, handled, now } = input;
  const runs: RunRequest[] = [];
  const next: Handled = { ...handled };
  let nextWake: Date | undefined;

  const manual = input.annotations[RETRAIN_REQUESTED_ANNOTATION];
  if (manual !== undefined && manual !== '' && manual !== handled.manualRequest) {
    runs.push({
      trigger: RunTrigger.Manual,
      key: manual,
      reason: `${RETRAIN_REQUESTED_ANNOTATION}=${manual}`,
    });
    next.manualRequest = manual;
  }

  const allowed = spec.triggers?.driftMonitors;
  const since = handled.driftRequestTime === undefined ? input.created : new Date(handled.driftRequestTime);
  const ignoredMonitors: string[] = [];
  const requests = input.monitors
    .map((monitor) => ({ name: monitor.metadata?.name ?? '', request: monitor.status?.lastRetrainTrigger }))
    .filter(
      ({ request }) =>
        request?.pipeline === input.name && request.time !== undefined && new Date(request.time) > since,
    )
    .filter(({ name }) => {
      if (allowed === undefined || allowed.includes(name)) return true;
      ignoredMonitors.push(name);
      return false;
    })
    .sort((a, b) => String(a.request?.time).localeCompare(String(b.request?.time)));
  const newest = requests.at(-1);
  if (newest?.request?.time !== undefined) {
    const reason = requests
      .map(({ name, request }) => `DriftMonitor ${name}: ${request?.reason ?? 'drift'}`)
      .join('; ');
    runs.push({ trigger: RunTrigger.Drift, key: new Date(newest.request.time), reason });
    next.driftRequestTime = newest.request.time;
  }

  if (spec.triggers?.schedule !== undefined) {
    const after = handled.scheduleTime === undefined ? input.created : new Date(handled.scheduleTime);
    const { latest, next: upcoming } = scheduled(
      'spec.triggers.schedule',
      spec.triggers.schedule,
      spec.triggers.timeZone,
      after,
      now,
    );
    if (latest !== undefined) {
      runs.push({
        trigger: RunTrigger.Schedule,
        key: latest,
        reason: `schedule "${spec.triggers.schedule}" at ${latest.toISOString()}`,
      });
      next.scheduleTime = latest.toISOString();
    }
    nextWake = later(nextWake, upcoming);
  }

  let drill: RunRequest | undefined;
  if (spec.fireDrill !== undefined) {
    const requested = input.annotations[DRILL_REQUESTED_ANNOTATION];
    const after = handled.drillTime === undefined ? input.created : new Date(handled.drillTime);
    const { latest, next: upcoming } = scheduled(
      'spec.fireDrill.schedule',
      spec.fireDrill.schedule,
      spec.fireDrill.timeZone,
      after,
      now,
    );
    if (requested !== undefined && requested !== '' && requested !== handled.drillRequest) {
      drill = {
        trigger: RunTrigger.Drill,
        key: requested,
        reason: `${DRILL_REQUESTED_ANNOTATION}=${requested}`,
      };
      next.drillRequest = requested;
    }
    if (latest !== undefined) {
      drill ??= {
        trigger: RunTrigger.Drill,
        key: latest,
        reason: `schedule "${spec.fireDrill.schedule}" at ${latest.toISOString()}`,
      };
      next.drillTime = latest.toISOString();
    }
    nextWake = later(nextWake, upcoming);
  }
  return { runs, drill, handled: next, ignoredMonitors, nextWake };
}
