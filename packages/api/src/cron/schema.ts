import { z } from 'zod';
import { celString, withCel } from '../cel.ts';
import { CRON_CEL_RULE } from './cel.ts';
import { cronScheduleError } from './parse.ts';
import { TIME_ZONE_DATABASE_VERSION, TIME_ZONE_NAMES } from './time-zones.ts';

// Long enough for any sensible schedule; the bound keeps the CEL rule's cost estimate small (see docs/api.md).
export const MAX_SCHEDULE_LENGTH = 256;
// The longest zone name is 32 characters (America/Argentina/ComodRivadavia).
const MAX_TIME_ZONE_LENGTH = 64;

export const CRON_MESSAGE =
  'must be a schedule a CronJob accepts: five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or jan-dec, day of week 0-6 or sun-sat), e.g. "0 */6 * * *", or @hourly, @daily, @weekly, @monthly, @yearly or @every <duration>; a time zone goes in timeZone, not in the schedule';

/** A schedule passes here exactly when the API server would accept it in a CronJob: zod and CEL both check it. */
export const cronScheduleSchema = withCel(
  z
    .string()
    .min(1)
    .max(MAX_SCHEDULE_LENGTH)
    .superRefine((schedule, ctx) => {
      const error = cronScheduleError(schedule);
      if (error !== undefined) ctx.addIssue({ code: 'custom', message: `${CRON_MESSAGE} (${error})` });
    }),
  { rule: CRON_CEL_RULE, message: CRON_MESSAGE },
).describe(
  'A cron schedule as a CronJob takes it: five fields (minute hour day-of-month month day-of-week), @hourly, @daily, @weekly, @monthly, @yearly or @every <duration>.',
);

const TIME_ZONES: ReadonlySet<string> = new Set(TIME_ZONE_NAMES);
const TIME_ZONE_MESSAGE = `must be a time zone name of the IANA database (tzdata ${TIME_ZONE_DATABASE_VERSION}, which the API server embeds), e.g. Etc/UTC or Europe/Berlin`;

/** The zone names every kube-apiserver accepts as a CronJob's spec.timeZone (it embeds this database). */
export const timeZoneSchema = withCel(
  z
    .string()
    .min(1)
    .max(MAX_TIME_ZONE_LENGTH)
    .refine((name) => TIME_ZONES.has(name), { message: TIME_ZONE_MESSAGE }),
  { rule: `self in [${TIME_ZONE_NAMES.map(celString).join(', ')}]`, message: TIME_ZONE_MESSAGE },
).describe(
  'IANA time zone the schedule is evaluated in, e.g. Europe/Berlin. Unset: the time zone of kube-controller-manager, as for any CronJob.',
);
