import { celString } from '../cel.ts';
import { CRON_DESCRIPTORS, CRON_FIELDS, type CronField, EVERY_PREFIX, GO_WHITESPACE } from './parse.ts';

// The CEL rule the API server runs on a schedule, built from the same field table as the zod check (parse.ts).
// CEL has no cron parser, so the rule is regular expressions (RE2, in the syntax JavaScript reads the same way, so
// the unit tests run them too): one per field, which also orders each range's ends by listing, for every low end,
// the high ends allowed with it. Iterating over the ranges in CEL instead would be simpler to read, but the API
// server estimates such a loop at 2.4 million cost units, above its per-call limit of one million; this rule is
// estimated at 0.19 million (measured by test/integration/api-cron.test.ts, figure in docs/benchmarks.md).

/** Decimal integers min..max (0 <= min <= max <= 99) as a regular-expression alternation. */
export function integerPattern(min: number, max: number): string {
  const alternatives: string[] = [];
  for (let tens = Math.floor(min / 10); tens <= Math.floor(max / 10); tens++) {
    const low = Math.max(min, tens * 10) % 10;
    const high = Math.min(max, tens * 10 + 9) % 10;
    alternatives.push(`${tens === 0 ? '' : tens}[${low}-${high}]`);
  }
  return alternatives.join('|');
}

// strconv.Atoi reads an optional "+" and leading zeros. Every name is lowercase: the rule lowercases the schedule.
const number = (pattern: string) => `[+]?0*(${pattern})`;
const namesFrom = (field: CronField, low: number) =>
  Object.entries(field.names).flatMap(([name, value]) => (value >= low ? [name] : []));

/** The values low..max of a field, as numbers or names. */
function valuesFrom(field: CronField, low: number): string {
  return [number(integerPattern(low, field.max)), ...namesFrom(field, low)].join('|');
}

/** "low-high" with low <= high: for every low end, the high ends allowed with it. */
function orderedRangePattern(field: CronField): string {
  const alternatives: string[] = [];
  for (let low = field.min; low <= field.max; low++) {
    const lowForms = [number(String(low)), ...Object.keys(field.names).filter((n) => field.names[n] === low)];
    alternatives.push(`(${lowForms.join('|')})-(${valuesFrom(field, low)})`);
  }
  return alternatives.join('|');
}

// Steps are 1 .. 2^63-1; a 19-digit step above the maximum is refused by STEP_ABOVE_INT64_PATTERN.
const MAX_STEP = '9223372036854775807';
const STEP = `/[+]?0*[1-9][0-9]{0,${MAX_STEP.length - 1}}`;

/** 19-digit numbers above MAX_STEP: a prefix of it, then a greater digit, then any digits. */
function aboveMaxStep(): string {
  const alternatives: string[] = [];
  for (let i = 0; i < MAX_STEP.length; i++) {
    const digit = Number(MAX_STEP[i]);
    if (digit < 9) {
      const rest = MAX_STEP.length - i - 1;
      alternatives.push(`${MAX_STEP.slice(0, i)}[${digit + 1}-9][0-9]{${rest}}`);
    }
  }
  return alternatives.join('|');
}
export const STEP_ABOVE_INT64_PATTERN = `/[+]?0*(${aboveMaxStep()})`;

/** One field, with a comma appended: every item is followed by a comma, so two items can never run together. */
function fieldPattern(field: CronField): string {
  // robfig ignores what follows "*-" up to the step or the item's end.
  const star = `[*?](-[^/,${GO_WHITESPACE}]*)?`;
  const item = `(${star}|${valuesFrom(field, field.min)}|${orderedRangePattern(field)})(${STEP})?`;
  // Empty items are skipped (strings.FieldsFunc), so "," alone is a valid field.
  return `^(,|(${item}),)+$`;
}
export const FIELD_PATTERNS: readonly string[] = CRON_FIELDS.map(fieldPattern);
/** strings.Fields: the maximal runs of non-whitespace. */
export const TOKEN_PATTERN = `[^${GO_WHITESPACE}]+`;

/** Go's time.ParseDuration syntax; whether the value fits int64 nanoseconds is left to CEL's duration(). */
export const EVERY_PATTERN = `^${EVERY_PREFIX}[-+]?(0|(([0-9]+([.][0-9]*)?|[.][0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$`;

// Go's smallest duration: any duration Go parses compares >= it, so the comparison only forces duration() to parse.
const MIN_GO_DURATION = '-2562047h47m16.854775808s';

// Go lowercases U+0130 to "i" (see goToLower); lowerAscii leaves it, so it is replaced first.
const TOKENS = `self.replace(${celString('\u0130')}, 'i').lowerAscii().findAll(${celString(TOKEN_PATTERN)})`;

/** The CEL rule: true exactly when the API server would accept `self` as a CronJob's spec.schedule. */
export const CRON_CEL_RULE = [
  "!self.contains('TZ') && (self.startsWith('@')",
  `  ? (self in [${CRON_DESCRIPTORS.map(celString).join(', ')}]`,
  `    || (self.matches(${celString(EVERY_PATTERN)})`,
  `        && duration(self.substring(${EVERY_PREFIX.length})) >= duration(${celString(MIN_GO_DURATION)})))`,
  `  : (size(${TOKENS}) == ${CRON_FIELDS.length}`,
  ...FIELD_PATTERNS.map(
    (pattern, index) => `    && (${TOKENS}[${index}] + ',').matches(${celString(pattern)})`,
  ),
  `    && !self.matches(${celString(STEP_ABOVE_INT64_PATTERN)})))`,
].join('\n');
