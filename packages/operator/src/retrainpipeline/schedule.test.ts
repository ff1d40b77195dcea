import { describe, expect, it } from 'vitest';
import { latestScheduleTime, nextScheduleTime, parseSchedule } from './schedule.ts';

const at = (iso: string) => new Date(iso);

describe('cron schedules, read as a CronJob reads them', () => {
  it.each([
    // expression, time zone, after, now, latest fire in (after, now]
    ['*/15 * * * *', 'Etc/UTC', '2026-11-29T11:00:00Z', '2026-11-29T11:52:10Z', '2026-11-29T11:45:00.000Z'],
    [
      '0 2 1 * *',
      'Europe/Berlin',
      '2026-11-01T00:00:00Z',
      '2026-12-01T06:00:00Z',
      '2026-12-01T01:00:00.000Z',
    ],
    [
      '0 2 1 * *',
      'Europe/Berlin',
      '2026-06-15T00:00:00Z',
      '2026-07-01T06:00:00Z',
      '2026-07-01T00:00:00.000Z',
    ],
    ['0 3 * * MON', 'Etc/UTC', '2026-11-01T00:00:00Z', '2026-11-29T12:00:00Z', '2026-11-23T03:00:00.000Z'],
    ['0 3 * * 1-5', 'Etc/UTC', '2026-11-01T00:00:00Z', '2026-11-29T12:00:00Z', '2026-11-27T03:00:00.000Z'],
    ['0 0 * * 7', 'Etc/UTC', '2026-11-01T00:00:00Z', '2026-11-28T12:00:00Z', '2026-11-22T00:00:00.000Z'],
    [
      '30 6 * jan-mar *',
      'Etc/UTC',
      '2026-01-01T00:00:00Z',
      '2026-11-29T12:00:00Z',
      '2026-03-31T06:30:00.000Z',
    ],
    ['5/20 * * * *', 'Etc/UTC', '2026-11-29T11:00:00Z', '2026-11-29T11:50:00Z', '2026-11-29T11:45:00.000Z'],
    ['@daily', 'Etc/UTC', '2026-11-27T12:00:00Z', '2026-11-29T12:00:00Z', '2026-11-29T00:00:00.000Z'],
    ['@weekly', 'Etc/UTC', '2026-11-01T00:00:00Z', '2026-11-29T12:00:00Z', '2026-11-29T00:00:00.000Z'],
    ['@every 2h', 'Etc/UTC', '2026-11-29T07:00:00Z', '2026-11-29T12:30:00Z', '2026-11-29T11:00:00.000Z'],
    // Day of month and day of week both restricted: either matches (the 13th, or any Friday).
    ['0 0 13 * 5', 'Etc/UTC', '2026-11-01T00:00:00Z', '2026-11-16T00:00:00Z', '2026-11-13T00:00:00.000Z'],
    ['0 0 13 * 5', 'Etc/UTC', '2026-11-14T00:00:00Z', '2026-11-21T00:00:00Z', '2026-11-20T00:00:00.000Z'],
  ])('%s (%s) after %s fired last at %s by %s', (expression, zone, after, now, expected) => {
    expect(latestScheduleTime(parseSchedule(expression, zone), at(after), at(now))?.toISOString()).toBe(
      expected,
    );
  });

  it('a day-of-month restriction with a star day-of-week needs the day of month', () => {
    // The 13th only, not every day: "*" in day-of-week does not widen it.
    const schedule = parseSchedule('0 0 13 * *');
    expect(
      latestScheduleTime(schedule, at('2026-11-14T00:00:00Z'), at('2026-12-12T00:00:00Z')),
    ).toBeUndefined();
  });

  it('nothing fired when no time matched since the last one acted on', () => {
    expect(
      latestScheduleTime(parseSchedule('0 2 1 * *'), at('2026-12-01T02:00:00Z'), at('2026-12-20T00:00:00Z')),
    ).toBeUndefined();
  });

  it('a schedule that never matches (30 February) is found out, not searched forever', () => {
    const schedule = parseSchedule('0 0 30 2 *');
    expect(
      latestScheduleTime(schedule, at('2020-01-01T00:00:00Z'), at('2026-11-29T00:00:00Z')),
    ).toBeUndefined();
    expect(nextScheduleTime(schedule, at('2026-11-29T00:00:00Z'))).toBeUndefined();
  });

  it.each([
    ['0 2 1 * *', 'Europe/Berlin', '2026-11-29T12:00:00Z', '2026-12-01T01:00:00.000Z'],
    ['0 3 * * 1', 'Europe/Berlin', '2026-11-29T12:00:00Z', '2026-11-30T02:00:00.000Z'],
    ['*/15 * * * *', 'Etc/UTC', '2026-11-29T11:45:00Z', '2026-11-29T12:00:00.000Z'],
    ['0 9 * * *', 'America/New_York', '2026-11-29T12:00:00Z', '2026-11-29T14:00:00.000Z'],
  ])('%s (%s) after %s fires next at %s', (expression, zone, from, expected) => {
    expect(nextScheduleTime(parseSchedule(expression, zone), at(from))?.toISOString()).toBe(expected);
  });

  it('@every counts from its anchor', () => {
    expect(
      nextScheduleTime(
        parseSchedule('@every 2h'),
        at('2026-11-29T12:30:00Z'),
        at('2026-11-29T07:00:00Z'),
      )?.toISOString(),
    ).toBe('2026-11-29T13:00:00.000Z');
  });

  it.each([
    ['61 * * * *', /61 is outside 0-59/],
    ['5-1 * * * *', /runs backwards/],
    ['*/0 * * * *', /step/],
    ['0 0 * FOO *', /'FOO' is not a number or a name/],
    ['0 0 * *', /expected five fields, found 4/],
  ])('%s is refused with the reason', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(message);
  });
});
