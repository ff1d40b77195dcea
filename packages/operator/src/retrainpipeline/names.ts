/**
 * Deterministic names: a run's id comes from what triggered it, and its Jobs' names from the id, so a
 * reconcile that runs again (after a crash, with a stale cache) finds the Job it made instead of making
 * another.
 */
import { createHash } from 'node:crypto';
import { RunTrigger } from '@steward/api';

export const Stage = { Train: 'train', Validate: 'validate', Check: 'check' } as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** Labels on every Job and Pod of a run; the operator caches only Pods that carry RUN_LABEL. */
export const PIPELINE_LABEL = 'mlops.steward.dev/retrain-pipeline';
export const RUN_LABEL = 'mlops.steward.dev/run';
export const STAGE_LABEL = 'mlops.steward.dev/stage';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'steward';
export { JOB_NAME_LABEL } from '../indexes.ts';

// Object names and label values longer than 63 characters are rejected (a Job name becomes a label value).
const MAX_NAME = 63;
// A ServiceAccount's name is a DNS subdomain, and nothing copies it into a label.
const MAX_ACCOUNT_NAME = 253;
const HASH_LENGTH = 8;

function hash(text: string, length = HASH_LENGTH): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** `name`, or a prefix of it plus a hash of all of it when it would not fit in `max` characters. */
export function fit(name: string, max = MAX_NAME): string {
  if (name.length <= max) return name;
  return `${name.slice(0, max - HASH_LENGTH - 1).replace(/[-.]+$/, '')}-${hash(name)}`;
}

/** `2026-11-29T16:05:00Z` -> `20261129-160500`. */
function compactTime(time: Date): string {
  return time.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

const RUN_PREFIX: Record<(typeof RunTrigger)[keyof typeof RunTrigger], string> = {
  [RunTrigger.Manual]: 'manual',
  [RunTrigger.Drift]: 'drift',
  [RunTrigger.Schedule]: 'sched',
  [RunTrigger.Drill]: 'drill',
};

/**
 * A run's id: trigger kind plus the trigger's time, or a hash of a request annotation's value. `taken`
 * holds the ids already in the run history: a value requested again later gets `-2`, `-3` ..., never
 * the Jobs of the earlier run.
 */
export function runId(
  trigger: (typeof RunTrigger)[keyof typeof RunTrigger],
  key: Date | string,
  taken: ReadonlySet<string>,
): string {
  const base = `${RUN_PREFIX[trigger]}-${typeof key === 'string' ? hash(key) : compactTime(key)}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function jobName(pipeline: string, run: string, stage: Stage): string {
  const suffix = `-${run}-${stage}`;
  return `${fit(pipeline, MAX_NAME - suffix.length)}${suffix}`;
}

/** The ServiceAccount the operator makes for the pipeline's Jobs when they name none. */
export function jobAccountName(pipeline: string): string {
  const suffix = '-jobs';
  return `${fit(pipeline, MAX_ACCOUNT_NAME - suffix.length)}${suffix}`;
}

/** A label value for the pipeline's name (names may be up to 253 characters, label values 63). */
export function pipelineLabelValue(pipeline: string): string {
  return fit(pipeline);
}
