/**
 * When a cron schedule fires, read the way a Kubernetes CronJob reads it (robfig/cron's standard parser:
 * five fields, names jan-dec and sun-sat, ranges, steps, the @-descriptors and @every), in an IANA time zone.
 * The pipeline has no CronJob of its own: its runs are Jobs started by the controller, so it evaluates
 * the schedule itself, like the CronJob controller does: "the latest scheduled time not yet acted on".
 */
import { parseDuration } from '@steward/api';

const MINUTE_MS = 60_000;
const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR;
// A search visits at most one step per non-matching day, hour or minute; a yearly schedule looked up
// across ten years needs a few thousand. Past this the schedule never fires (e.g. 30 February).
const MAX_SEARCH_STEPS = 200_000;
// robfig rounds @every below one second up to one second.
const MIN_EVERY_MS = 1000;

interface FieldSpec {
  min: number;
  max: number;
  names?: readonly string[];
}
const MINUTE: FieldSpec = { min: 0, max: 59 };
const HOUR: FieldSpec = { min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { min: 1, max: 31 };
const MONTH: FieldSpec = {
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
};
// 7 is Sunday too, as in Vixie cron; the API schema decides whether to admit it.
const DAY_OF_WEEK: FieldSpec = { min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Field {
  values: ReadonlySet<number>;
  /** `*` or `?` without a step: robfig's star bit, which changes how the two day fields combine. */
  star: boolean;
}

export type Schedule =
  | { kind: 'fields'; minute: Field; hour: Field; dom: Field; month: Field; dow: Field; timeZone: string }
  | { kind: 'every'; intervalMs: number };

function parseValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + (spec === MONTH ? 1 : 0) : Number(text);
  if (!/^\d+$/.test(text) && named < 0) throw new Error(`'${text}' is not a number or a name`);
  if (value < spec.min || value > spec.max) throw new Error(`${value} is outside ${spec.min}-${spec.max}`);
  return value;
}

function parseField(text: string, spec: FieldSpec): Field {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new Error(`step '${stepText}' must be a whole number >= 1`);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      [low, high] = [spec.min, spec.max];
      if (step === 1) star = true;
    } else if (range.includes('-')) {
      const [from = '', to = ''] = range.split('-');
      [low, high] = [parseValue(from, spec), parseValue(to, spec)];
      if (low > high) throw new Error(`range ${range} runs backwards`);
    } else {
      low = parseValue(range, spec);
      // robfig: "5/15" means from 5 to the end of the field, every 15.
      high = stepText === undefined ? low : spec.max;
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return { values, star };
}

/** Parses a schedule; throws an Error naming the problem for one the API server should not have admitted. */
export function parseSchedule(expression: string, timeZone = 'Etc/UTC'): Schedule {
  const trimmed = expression.trim();
  if (trimmed.startsWith('@every ')) {
    const ms = parseDuration(trimmed.slice('@every '.length).trim());
    return { kind: 'every', intervalMs: Math.max(MIN_EVERY_MS, ms) };
  }
  const fields = (DESCRIPTORS[trimmed.toLowerCase()] ?? trimmed).split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected five fields, found ${fields.length}`);
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  const weekdays = parseField(dow, DAY_OF_WEEK);
  if (weekdays.values.has(7)) (weekdays.values as Set<number>).add(0);
  return {
    kind: 'fields',
    minute: parseField(minute, MINUTE),
    hour: parseField(hour, HOUR),
    dom: parseField(dom, DAY_OF_MONTH),
    month: parseField(month, MONTH),
    dow: weekdays,
    timeZone,
  };
}

interface WallClock {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function wallClock(instant: number, timeZone: string): WallClock {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

type FieldSchedule = Extract<Schedule, { kind: 'fields' }>;

function dayMatches(s: FieldSchedule, t: WallClock): boolean {
  if (!s.month.values.has(t.month)) return false;
  const dom = s.dom.values.has(t.day);
  const dow = s.dow.values.has(t.weekday);
  // robfig (and Vixie cron): when either day field is a star, both must match; otherwise either may.
  return s.dom.star || s.dow.star ? dom && dow : dom || dow;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The latest time the schedule fired in (after, now], or undefined when it did not. */
export function latestScheduleTime(schedule: Schedule, after: Date, now: Date): Date | undefined {
  const floor = after.getTime();
  if (schedule.kind === 'every') {
    const periods = Math.floor((now.getTime() - floor) / schedule.intervalMs);
    return periods >= 1 ? new Date(floor + periods * schedule.intervalMs) : undefined;
  }
  let t = floorMinute(now.getTime());
  for (let step = 0; step < MAX_SEARCH_STEPS && t > floor; step++) {
    const wall = wallClock(t, schedule.timeZone);
    if (!dayMatches(schedule, wall)) t -= (wall.hour * MINUTES_PER_HOUR + wall.minute + 1) * MINUTE_MS;
    else if (!schedule.hour.values.has(wall.hour)) t -= (wall.minute + 1) * MINUTE_MS;
    else if (!schedule.minute.values.has(wall.minute)) t -= MINUTE_MS;
    else return new Date(t);
  }
  return undefined;
}

/** The first time the schedule fires after `from` (for `from` itself, see latestScheduleTime). */
export function nextScheduleTime(schedule: Schedule, from: Date, anchor?: Date): Date | undefined {
  if (schedule.kind === 'every') {
    const start = (anchor ?? from).getTime();
    const periods = Math.floor((from.getTime() - start) / schedule.intervalMs) + 1;
    return new Date(start + periods * schedule.intervalMs);
  }
  let t = floorMinute(from.getTime()) + MINUTE_MS;
  for (let step = 0; step < MAX_SEARCH_STEPS; step++) {
    const wall = wallClock(t, schedule.timeZone);
    if (!dayMatches(schedule, wall))
      t += (MINUTES_PER_DAY - wall.hour * MINUTES_PER_HOUR - wall.minute) * MINUTE_MS;
    else if (!schedule.hour.values.has(wall.hour)) t += (MINUTES_PER_HOUR - wall.minute) * MINUTE_MS;
    else if (!schedule.minute.values.has(wall.minute)) t += MINUTE_MS;
    else return new Date(t);
  }
  return undefined;
}
