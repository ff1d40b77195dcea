// Go's time.ParseDuration (go1.26 src/time/format.go), which robfig/cron's `@every <duration>` uses. Ported, not
// approximated: an `@every` schedule passes Steward's admission exactly when it passes the API server's CronJob
// validation, including the overflow cases (Go computes in uint64 nanoseconds).

const NANOSECONDS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n], // U+00B5 MICRO SIGN
  ['μs', 1_000n], // U+03BC GREEK SMALL LETTER MU
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const TWO_TO_63 = 1n << 63n;
const MAX_INT64 = TWO_TO_63 - 1n;

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Go's leadingInt: the digits at the start of `s`, or undefined when they overflow. */
function leadingInt(s: string): { value: bigint; rest: string } | undefined {
  let value = 0n;
  let i = 0;
  for (; isDigit(s[i]); i++) {
    if (value > TWO_TO_63 / 10n) return undefined;
    value = value * 10n + BigInt(Number(s[i]));
    if (value > TWO_TO_63) return undefined;
  }
  return { value, rest: s.slice(i) };
}

/** Go's leadingFraction: digits after the point; those that would overflow are consumed but ignored. */
function leadingFraction(s: string): { value: bigint; scale: number; rest: string } {
  let value = 0n;
  let scale = 1;
  let overflow = false;
  let i = 0;
  for (; isDigit(s[i]); i++) {
    if (overflow) continue;
    if (value > MAX_INT64 / 10n) {
      overflow = true;
      continue;
    }
    const next = value * 10n + BigInt(Number(s[i]));
    if (next > TWO_TO_63) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  return { value, scale, rest: s.slice(i) };
}

/** Whether Go's time.ParseDuration accepts `text`. */
export function isGoDuration(text: string): boolean {
  let s = text;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  if (s === '0') return true;
  if (s === '') return false;
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return false;
    const before = leadingInt(s);
    if (before === undefined) return false;
    const hasInteger = before.rest.length !== s.length;
    s = before.rest;
    let fraction = { value: 0n, scale: 1, rest: s };
    if (s[0] === '.') {
      fraction = leadingFraction(s.slice(1));
      if (!hasInteger && fraction.rest.length === s.length - 1) return false; // no digits, e.g. ".s"
      s = fraction.rest;
    } else if (!hasInteger) {
      return false;
    }
    let unitLength = 0;
    while (unitLength < s.length && !(s[unitLength] === '.' || isDigit(s[unitLength]))) unitLength++;
    const unit = NANOSECONDS_PER_UNIT.get(s.slice(0, unitLength));
    if (unit === undefined) return false;
    s = s.slice(unitLength);
    if (before.value > TWO_TO_63 / unit) return false;
    let value = before.value * unit;
    if (fraction.value > 0n) {
      // Go converts to float64 here ("to be nanosecond accurate for fractions of hours"); so does this port.
      value += BigInt(Math.trunc(Number(fraction.value) * (Number(unit) / fraction.scale)));
      if (value > TWO_TO_63) return false;
    }
    total += value;
    if (total > TWO_TO_63) return false;
  }
  return text[0] === '-' || total <= MAX_INT64;
}
