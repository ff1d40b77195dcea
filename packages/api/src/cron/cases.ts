/**
 * Schedules with the API server's verdict on them as a CronJob's spec.schedule, each derived from robfig/cron
 * v3.0.1's parser.go (the line that decides is named). The unit tests check the zod side against this table; the
 * integration test (test/integration/api-cron.test.ts) submits every one as a CronJob, a DriftMonitor and a
 * RetrainPipeline and requires the same verdict from all three, so the table itself is checked by the API server.
 */
export interface CronCase {
  readonly schedule: string;
  readonly accepted: boolean;
  readonly why: string;
}

const accept = (schedule: string, why: string): CronCase => ({ schedule, accepted: true, why });
const reject = (schedule: string, why: string): CronCase => ({ schedule, accepted: false, why });

export const CRON_CASES: readonly CronCase[] = [
  accept('0 */6 * * *', 'every six hours'),
  accept('*/15 * * * *', 'a step on *'),
  accept('30 8 * * MON-FRI', 'weekday names, upper case (names are lowercased)'),
  accept('30 8 * * mon-fri', 'weekday names, lower case'),
  accept('0 0 1 JAN,jul *', 'month names in a list'),
  accept('0 0 1,15 * ?', '? means * in any field'),
  accept('59 23 31 12 6', 'every field at its maximum'),
  accept('0 0 1 1 0', 'every field at its minimum; Sunday is 0'),
  accept('5/10 * * * *', '"N/step" means N-max/step'),
  accept('1-5/2 * * * *', 'a range with a step'),
  accept('+5 * * * *', 'strconv.Atoi accepts a + sign'),
  accept('007 * * * *', 'leading zeros'),
  accept('1,,2 * * * *', 'strings.FieldsFunc drops the empty item'),
  accept(', * * * *', 'a field of commas only has no items, which robfig does not reject'),
  accept('*-5 * * * *', 'what follows "*-" is ignored'),
  accept('*-x/2 * * * *', 'what follows "*-" is ignored, even letters'),
  accept('  0   0 * * *  ', 'strings.Fields skips runs of whitespace'),
  accept('0\t0 * * *', 'a tab separates fields'),
  accept('0 0 * * *\n', 'a trailing newline is whitespace'),
  accept('0\u00a00 * * *', 'a no-break space is whitespace to Go'),
  accept('*/9223372036854775807 * * * *', 'the largest int64 step'),
  accept('0 0 * * sat/1', 'a name with a step'),
  accept('@daily', 'a descriptor'),
  accept('@annually', 'a descriptor'),
  accept('@midnight', 'a descriptor'),
  accept('@every 1h30m', '@every takes a Go duration'),
  accept('@every 1.5h', 'a fractional Go duration'),
  accept('@every 0', 'Go parses a bare 0; robfig runs it every second'),
  accept('@every -5m', 'Go parses negative durations; robfig runs it every second'),
  accept('@every 2562047h', 'the largest whole-hour Go duration'),
  reject('0 0 * * 7', 'day of week ends at 6: end of range above maximum'),
  reject('0 0 * FOO *', 'FOO is no month name: failed to parse int'),
  reject('61 * * * *', 'minute ends at 59'),
  reject('5-1 * * * *', 'beginning of range beyond end of range'),
  reject('0 24 * * *', 'hour ends at 23'),
  reject('0 0 0 * *', 'day of month starts at 1'),
  reject('0 0 * 0 *', 'month starts at 1'),
  reject('0 0 * 13 *', 'month ends at 12'),
  reject('0 0 * * fri-mon', 'names in a descending range'),
  reject('0 0 * jan-mon *', 'a weekday name in the month field'),
  reject('0 0 * * jan', 'a month name in the day-of-week field'),
  reject('mon 0 * * *', 'names only in month and day of week'),
  reject('*/0 * * * *', 'step of range should be a positive number'),
  reject('*/ * * * *', 'an empty step'),
  reject('1-2-3 * * * *', 'too many hyphens'),
  reject('*/2/3 * * * *', 'too many slashes'),
  reject('-5 * * * *', 'an empty beginning of range'),
  reject('*/9223372036854775808 * * * *', 'a step above the int64 maximum'),
  reject('* * * *', 'four fields'),
  reject('* * * * * *', 'six fields: the standard parser has no seconds'),
  reject('', 'empty spec string'),
  reject('every day', 'not a schedule'),
  reject('@fortnightly', 'unrecognized descriptor'),
  reject('@DAILY', 'descriptors are case-sensitive'),
  reject(' @daily', 'a descriptor must start the schedule'),
  reject('@every 1d', 'Go durations have no day unit'),
  reject('@every 1h ', 'trailing space inside the Go duration'),
  reject('@every 9999999999h', 'the duration overflows int64 nanoseconds'),
  reject('CRON_TZ=UTC 0 * * * *', 'a time zone belongs in timeZone, never in the schedule'),
  reject('TZ=Europe/Berlin 0 * * * *', 'a time zone belongs in timeZone, never in the schedule'),
];
