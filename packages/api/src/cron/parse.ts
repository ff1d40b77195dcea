import { isGoDuration } from './go-duration.ts';

// What the API server accepts as a CronJob's spec.schedule (kubernetes v1.37 pkg/apis/batch/validation
// validateScheduleFormat): whatever robfig/cron v3.0.1's ParseStandard parses, and nothing that contains "TZ"
// (a time zone belongs in spec.timeZone). This file ports ParseStandard (parser.go, spec.go) rule by rule, with its
// leniencies: empty list items ("1,,2") are skipped, anything after "*-" is ignored ("*-x"), numbers may carry a
// "+" sign and leading zeros, names are case-insensitive, and steps may be as large as an int64.

/** One of the five fields: its range and the names it accepts (robfig/cron spec.go `bounds`). */
export interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names: Readonly<Record<string, number>>;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const numbered = (names: string[], first: number) =>
  Object.fromEntries(names.map((name, index) => [name, first + index]));

export const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59, names: {} },
  { name: 'hour', min: 0, max: 23, names: {} },
  { name: 'day of month', min: 1, max: 31, names: {} },
  { name: 'month', min: 1, max: 12, names: numbered(MONTH_NAMES, 1) },
  // 0-6: robfig/cron, unlike some crons, has no 7 for Sunday.
  { name: 'day of week', min: 0, max: 6, names: numbered(WEEKDAY_NAMES, 0) },
];

export const CRON_DESCRIPTORS = [
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
] as const;
export const EVERY_PREFIX = '@every ';

/**
 * Go's unicode.IsSpace, which strings.Fields splits on, as the inside of a regular-expression character class:
 * ASCII \t-\r and space, NEL, no-break space and the other Unicode White_Space characters.
 */
export const GO_WHITESPACE = '\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000';

// strconv.Atoi on 64-bit platforms: an optional sign, decimal digits, at most the int64 maximum.
const MAX_INT64 = (1n << 63n) - 1n;
const ATOI_SYNTAX = /^[+-]?[0-9]+$/;

/** strconv.Atoi then robfig's "no negative numbers" check: the value, or an error message. */
function nonNegativeInt(text: string): number | string {
  if (!ATOI_SYNTAX.test(text) || BigInt(text) > MAX_INT64 || BigInt(text) < -MAX_INT64 - 1n) {
    return `failed to parse int from ${text}`;
  }
  const value = BigInt(text);
  if (value < 0n) return `negative number (${value}) not allowed: ${text}`;
  // Steps above 2^53 lose precision as numbers, but only "is it at least 1" is asked of them.
  return Number(value);
}

/**
 * Go's strings.ToLower maps U+0130 (capital I with dot) to a plain "i"; JavaScript's toLowerCase adds a combining
 * dot. Only that character (and U+212A, the Kelvin sign, which both map to "k") lowercases to ASCII, so this makes
 * the name lookup match Go's.
 */
export const goToLower = (text: string) => text.replaceAll('\u0130', 'i').toLowerCase();

function intOrName(text: string, field: CronField): number | string {
  return field.names[goToLower(text)] ?? nonNegativeInt(text);
}

/** robfig's getRange: one comma-separated item, `number | number "-" number [ "/" number ]` or `*` / `?`. */
function rangeError(item: string, field: CronField): string | undefined {
  const rangeAndStep = item.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // robfig ignores whatever follows "*-": "*-5" and "*-x" both mean "*".
    start = field.min;
    end = field.max;
  } else {
    const low = intOrName(lowAndHigh[0] ?? '', field);
    if (typeof low === 'string') return low;
    if (lowAndHigh.length > 2) return `too many hyphens: ${item}`;
    const high = lowAndHigh.length === 2 ? intOrName(lowAndHigh[1] ?? '', field) : low;
    if (typeof high === 'string') return high;
    start = low;
    end = high;
  }
  let step = 1;
  if (rangeAndStep.length > 2) return `too many slashes: ${item}`;
  if (rangeAndStep.length === 2) {
    const parsed = nonNegativeInt(rangeAndStep[1] ?? '');
    if (typeof parsed === 'string') return parsed;
    step = parsed;
    // "N/step" means "N-max/step".
    if (lowAndHigh.length === 1) end = field.max;
  }
  if (start < field.min) return `beginning of range (${start}) below minimum (${field.min}): ${item}`;
  if (end > field.max) return `end of range (${end}) above maximum (${field.max}): ${item}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${item}`;
  if (step === 0) return `step of range should be a positive number: ${item}`;
  return undefined;
}

const FIELD_SEPARATOR = new RegExp(`[${GO_WHITESPACE}]+`);

/**
 * Why the API server would reject `schedule` as a CronJob's spec.schedule, or undefined when it would accept it.
 * The messages are robfig/cron's, prefixed with the field they concern.
 */
export function cronScheduleError(schedule: string): string | undefined {
  if (schedule === '') return 'empty spec string';
  if (schedule.includes('TZ')) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  if (schedule.startsWith('@')) {
    if ((CRON_DESCRIPTORS as readonly string[]).includes(schedule)) return undefined;
    if (schedule.startsWith(EVERY_PREFIX)) {
      const duration = schedule.slice(EVERY_PREFIX.length);
      return isGoDuration(duration) ? undefined : `failed to parse duration ${schedule}`;
    }
    return `unrecognized descriptor: ${schedule}`;
  }
  const fields = schedule.split(FIELD_SEPARATOR).filter((field) => field !== '');
  if (fields.length !== CRON_FIELDS.length) {
    return `expected exactly ${CRON_FIELDS.length} fields, found ${fields.length}`;
  }
  for (const [index, field] of CRON_FIELDS.entries()) {
    // strings.FieldsFunc drops empty items, so "1,,2" and "," are accepted.
    for (const item of (fields[index] ?? '').split(',').filter((part) => part !== '')) {
      const error = rangeError(item, field);
      if (error !== undefined) return `${field.name}: ${error}`;
    }
  }
  return undefined;
}
