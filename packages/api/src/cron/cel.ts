import { celString } from '../cel.ts';
import { CRON_DESCRIPTORS, CRON_FIELDS, type CronField, EVERY_PREFIX, GO_WHITESPACE } from './parse.ts';

// The CEL rule the API server runs on a schedule, built from the same field table as the zod check (parse.ts).
// CEL has no cron parser, so the rule is regular expressions (RE2; written in the syntax JavaScript reads the same
// way, so the unit tests run them too) plus three checks a regular expression cannot make: low <= high in each
// range, a 19-digit step at most the int64 maximum, and an `@every` duration that fits Go's int64 nanoseconds.
// test/integration/api-cron.test.ts proves the verdicts equal the API server's own CronJob validation.

const WHITESPACE = `[${GO_WHITESPACE}]`;

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

// strconv.Atoi reads an optional "+" and leading zeros; steps are 1 .. 2^63-1 (at most 19 significant digits).
const MAX_STEP = '9223372036854775807';
const STEP = `/[+]?0*[1-9][0-9]{0,${MAX_STEP.length - 1}}`;
const LONGEST_STEP = `/[+]?0*[1-9][0-9]{${MAX_STEP.length - 1}}`;

/** One comma-separated item of a field, on the ASCII-lowercased schedule. */
function itemPattern(field: CronField): string {
  const names = Object.keys(field.names);
  const value = `([+]?0*(${integerPattern(field.min, field.max)})${names.length > 0 ? `|${names.join('|')}` : ''})`;
  // robfig ignores what follows "*-" up to the step or the item's end.
  const star = `[*?](-[^/,${GO_WHITESPACE}]*)?`;
  return `(${star}|${value}(-${value})?)(${STEP})?`;
}

/** A field: items separated by commas; empty items are skipped, so "," alone is a valid field. */
function fieldPattern(field: CronField): string {
  const item = itemPattern(field);
  return `(,+|,*${item}(,+${item})*,*)`;
}

/** Five fields, each within its range and names: everything but low <= high and the int64 step limit. */
export const FIVE_FIELDS_PATTERN = `^${WHITESPACE}*${CRON_FIELDS.map(fieldPattern).join(`${WHITESPACE}+`)}${WHITESPACE}*$`;

/** Go's time.ParseDuration syntax; whether the value fits int64 nanoseconds is left to CEL's duration(). */
export const EVERY_PATTERN = `^${EVERY_PREFIX}[-+]?(0|(([0-9]+([.][0-9]*)?|[.][0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$`;

/** A range "low-high" at the start of an item, with the separator before it. */
export const RANGE_PATTERN = `(^|[,${GO_WHITESPACE}])[+]?[0-9a-z]+-[+]?[0-9a-z]+`;
const RANGE_END_PATTERN = '[+]?[0-9a-z]+';

// Go's smallest duration: any duration Go parses compares >= it, so the comparison only forces duration() to parse.
const MIN_GO_DURATION = '-2562047h47m16.854775808s';

const NAME_VALUES = Object.assign({}, ...CRON_FIELDS.map((field) => field.names)) as Record<string, number>;
const celNameMap = `{${Object.entries(NAME_VALUES)
  .map(([name, value]) => `${celString(name)}: ${value}`)
  .join(', ')}}`;
const celValue = (token: string) =>
  `(${token}.matches('^[+]?[0-9]+$') ? int(${token}) : ${celNameMap}[${token}])`;

// Go lowercases U+0130 to "i" (see goToLower); lowerAscii leaves it, so it is replaced first.
const LOWERED = `self.replace(${celString('\u0130')}, 'i').lowerAscii()`;

/** The CEL rule: true exactly when the API server would accept `self` as a CronJob's spec.schedule. */
export const CRON_CEL_RULE = [
  "!self.contains('TZ') && (self.startsWith('@')",
  `  ? (self in [${CRON_DESCRIPTORS.map(celString).join(', ')}]`,
  `    || (self.matches(${celString(EVERY_PATTERN)})`,
  `        && duration(self.substring(${EVERY_PREFIX.length})) >= duration(${celString(MIN_GO_DURATION)})))`,
  `  : (${LOWERED}.matches(${celString(FIVE_FIELDS_PATTERN)})`,
  `    && ${LOWERED}.findAll(${celString(RANGE_PATTERN)}).all(range,`,
  `         ${celValue(`range.findAll(${celString(RANGE_END_PATTERN)})[0]`)}`,
  `           <= ${celValue(`range.findAll(${celString(RANGE_END_PATTERN)})[1]`)})`,
  `    && self.findAll(${celString(LONGEST_STEP)}).all(step, step.substring(size(step) - ${MAX_STEP.length}) <= ${celString(MAX_STEP)})))`,
].join('\n');
