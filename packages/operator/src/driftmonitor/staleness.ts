import { parseDuration } from '@steward/api';
import { nextScheduleTime, parseSchedule } from '../retrainpipeline/schedule.ts';

/** A monitor without a successful check for this many schedule periods is stale (CheckStale=True). */
export const DEFAULT_STALE_AFTER_PERIODS = 3;

/**
 * When the monitor goes stale: the `periods`-th scheduled time after `since` (its last successful
 * check, or its creation), plus the check's timeout, which a check scheduled then may still take.
 * Undefined for a schedule that never fires.
 */
export function staleAt(
  spec: {
    schedule: string;
    timeZone?: string | undefined;
    job?: { timeout?: string | undefined } | undefined;
  },
  since: Date,
  periods: number,
): Date | undefined {
  const schedule = parseSchedule(spec.schedule, spec.timeZone ?? 'Etc/UTC');
  let at: Date | undefined = since;
  for (let i = 0; i < periods && at !== undefined; i++) at = nextScheduleTime(schedule, at, since);
  return at === undefined ? undefined : new Date(at.getTime() + parseDuration(spec.job?.timeout ?? '30m'));
}
