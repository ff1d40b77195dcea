// Numeric range of each of the five cron fields: minute, hour, day of month, month, day of week (7 = Sunday).
const FIELD_RANGES: readonly (readonly [number, number])[] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

/**
 * Whether every number in a five-field cron expression lies in its field's range. Syntax is checked by the
 * pattern in common.ts; this catches "61 * * * *", which a pattern cannot. Macros (@daily) pass.
 */
export function isCronSchedule(schedule: string): boolean {
  if (schedule.startsWith('@')) return true;
  const fields = schedule.split(' ');
  if (fields.length !== FIELD_RANGES.length) return false;
  return fields.every((field, index) => {
    const [low, high] = FIELD_RANGES[index] ?? [0, 0];
    return field.split(',').every((part) => {
      const [range = '', step] = part.split('/');
      if (step !== undefined && Number(step) < 1) return false;
      const numbers = range.match(/[0-9]+/g) ?? [];
      return numbers.every((text) => Number(text) >= low && Number(text) <= high);
    });
  });
}
