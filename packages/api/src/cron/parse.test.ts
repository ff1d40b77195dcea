import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRON_CASES } from './cases.ts';
import { FIELD_PATTERNS, integerPattern, STEP_ABOVE_INT64_PATTERN, TOKEN_PATTERN } from './cel.ts';
import { isGoDuration } from './go-duration.ts';
import { CRON_FIELDS, cronScheduleError } from './parse.ts';
import { CRON_MESSAGE, cronScheduleSchema, timeZoneSchema } from './schema.ts';
import { isKubernetesTimeZoneName } from './time-zone-syntax.ts';
import { TIME_ZONE_NAMES } from './time-zones.ts';

describe('cron schedules, as robfig/cron v3 ParseStandard reads them', () => {
  it.each(CRON_CASES.filter((c) => c.accepted))('"$schedule" is accepted: $why', ({ schedule }) => {
    expect(cronScheduleError(schedule)).toBeUndefined();
    expect(cronScheduleSchema.parse(schedule)).toBe(schedule);
  });

  it.each(CRON_CASES.filter((c) => !c.accepted))('"$schedule" is rejected: $why', ({ schedule }) => {
    expect(cronScheduleError(schedule)).toBeDefined();
    expect(cronScheduleSchema.safeParse(schedule).success).toBe(false);
  });

  it('names the field and the value in the zod message', () => {
    const issues = cronScheduleSchema.safeParse('0 0 * * 7').error?.issues ?? [];
    expect(issues.map((i) => i.message)).toEqual([
      `${CRON_MESSAGE} (day of week: end of range (7) above maximum (6): 7)`,
    ]);
  });
});

describe('the regular expression inside the CEL rule', () => {
  it.each(CRON_FIELDS.map((f) => [f.name, f.min, f.max] as const))(
    'matches exactly the integers of %s (%d-%d)',
    (_name, min, max) => {
      const pattern = new RegExp(`^(${integerPattern(min, max)})$`);
      const matched = Array.from({ length: 100 }, (_, n) => n).filter((n) => pattern.test(String(n)));
      expect(matched).toEqual(Array.from({ length: max - min + 1 }, (_, i) => min + i));
    },
  );

  // The same regular expressions, run the way the CEL rule runs them, must decide every five-field schedule as the
  // parser does; the rule's other branch (descriptors) is plain list membership.
  const celVerdict = (schedule: string) => {
    const tokens =
      schedule
        .replaceAll('\u0130', 'i')
        .replace(/[A-Z]/g, (c) => c.toLowerCase())
        .match(new RegExp(TOKEN_PATTERN, 'g')) ?? [];
    return (
      !schedule.includes('TZ') &&
      tokens.length === FIELD_PATTERNS.length &&
      FIELD_PATTERNS.every((pattern, index) => new RegExp(pattern).test(`${tokens[index]},`)) &&
      !new RegExp(STEP_ABOVE_INT64_PATTERN).test(schedule)
    );
  };

  it.each(CRON_CASES.filter((c) => !c.schedule.startsWith('@')))(
    'decides "$schedule" as the table says',
    ({ schedule, accepted }) => {
      expect(celVerdict(schedule)).toBe(accepted);
    },
  );

  it('agrees with the parser on generated five-field schedules', () => {
    const valid = [
      '*',
      '?',
      '*/5',
      '1',
      '01',
      '+6',
      '1-3',
      '2/7',
      'jan',
      'DEC',
      'sun',
      'Sat',
      '*-z',
      '',
      '3-3',
    ];
    const invalid = [
      '0',
      '7',
      '12',
      '13',
      '24',
      '31',
      '32',
      '60',
      'x',
      'mon-fri',
      '-1',
      '1-',
      '/2',
      '*/0',
      '1-2-3',
    ];
    const ranges = ['5-1', '0-59', '1-31', 'jan-mar', 'mar-jan', 'fri-sun', 'sun-sat', '2-dec', 'nov-3'];
    const piece = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...valid) },
      { weight: 1, arbitrary: fc.constantFrom(...invalid) },
      { weight: 1, arbitrary: fc.constantFrom(...ranges) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '*/9223372036854775807',
          '*/9223372036854775808',
          '1/09999999999999999999',
        ),
      },
    );
    const field = fc.array(piece, { minLength: 1, maxLength: 2 }).map((items) => items.join(','));
    const fieldCount = fc.oneof({ weight: 9, arbitrary: fc.constant(5) }, fc.constantFrom(4, 6));
    const separator = fc.constantFrom(' ', '  ', '\t', '\u3000');
    const schedule = fc
      .tuple(fieldCount, separator)
      .chain(([count, sep]) =>
        fc.array(field, { minLength: count, maxLength: count }).map((f) => f.join(sep)),
      );
    const verdicts = fc
      .sample(schedule, { numRuns: 3000, seed: 20261129 })
      .map((s) => ({ s, parser: cronScheduleError(s) === undefined, cel: celVerdict(s) }));
    expect(verdicts.filter((v) => v.parser !== v.cel)).toEqual([]);
    // Both verdicts occur often, so the comparison is not vacuous.
    expect(verdicts.filter((v) => v.parser).length).toBeGreaterThan(30);
    expect(verdicts.filter((v) => !v.parser).length).toBeGreaterThan(30);
  });

  it('separates fields by exactly the characters Go calls whitespace', () => {
    // Go's unicode.White_Space table (unicode/tables.go), which unicode.IsSpace and strings.Fields use.
    const goSpaces = [
      0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
    ];
    const isGoSpace = (code: number) => goSpaces.includes(code) || (code >= 0x2000 && code <= 0x200a);
    for (let code = 0; code <= 0x3000; code++) {
      const schedule = `0${String.fromCharCode(code)}0 * * *`;
      expect(cronScheduleError(schedule) === undefined, `U+${code.toString(16)}`).toBe(isGoSpace(code));
      expect(celVerdict(schedule), `U+${code.toString(16)}`).toBe(isGoSpace(code));
    }
  });
});

describe('Go durations, as @every reads them', () => {
  it.each(['0', '-0', '+0', '1h', '1h30m', '1.5h', '.5s', '1.s', '300ms', '2us', '2µs', '2μs', '5ns', '-1m'])(
    '"%s" parses',
    (text) => {
      expect(isGoDuration(text)).toBe(true);
    },
  );
  it.each(['', '1', '00', '1d', 'h', '.h', '1hm', '1 h', '+', '9223372036854775808ns', '2562048h'])(
    '"%s" does not parse',
    (text) => {
      expect(isGoDuration(text)).toBe(false);
    },
  );
  it('accepts the int64 extremes and nothing beyond them', () => {
    expect(isGoDuration('9223372036854775807ns')).toBe(true);
    expect(isGoDuration('-9223372036854775808ns')).toBe(true);
    expect(isGoDuration('-9223372036854775809ns')).toBe(false);
    expect(isGoDuration('2562047h47m16.854775807s')).toBe(true);
    expect(isGoDuration('2562047h47m16.854775808s')).toBe(false);
  });
});

describe('time zones', () => {
  it('lists only names the API server lets through to time.LoadLocation', () => {
    expect(TIME_ZONE_NAMES.length).toBeGreaterThan(500);
    expect(TIME_ZONE_NAMES.filter((name) => !isKubernetesTimeZoneName(name))).toEqual([]);
  });

  it.each(['Etc/UTC', 'UTC', 'Europe/Berlin', 'America/Argentina/ComodRivadavia', 'US/Pacific'])(
    '%s is accepted',
    (zone) => {
      expect(timeZoneSchema.parse(zone)).toBe(zone);
    },
  );

  it.each(['Local', 'local', 'Mars/Olympus', 'Europe/berlin', 'Europe Berlin', '', '../etc/passwd', 'CET '])(
    '"%s" is rejected',
    (zone) => {
      expect(timeZoneSchema.safeParse(zone).success).toBe(false);
    },
  );
});
