import { z } from 'zod';
import { celString, withCel } from './cel.ts';

// Rules on numeric values, each written once for CEL (`rule`, run by the API server) and once for zod (`check`,
// run by Steward code), and applied with crossFieldRule so both name the same field.

type Bounds = { readonly min?: number | undefined; readonly max?: number | undefined };

export const boundsShape = {
  min: z.number().optional().describe('Lowest acceptable value (inclusive). Omit for no lower bound.'),
  max: z.number().optional().describe('Highest acceptable value (inclusive). Omit for no upper bound.'),
};

/** Bounds need at least one side. */
export const boundsPresentRule = (message = 'set at least one of min or max') => ({
  rule: 'has(self.min) || has(self.max)',
  message,
  check: (bounds: Bounds) => bounds.min !== undefined || bounds.max !== undefined,
});

/** A lower side that is not above the upper side; the error names min. */
export const boundsOrderRule = (lower = 'min', upper = 'max') => ({
  rule: `!has(self.${lower}) || !has(self.${upper}) || self.${lower} <= self.${upper}`,
  message: `${lower} must be less than or equal to ${upper}`,
  fieldPath: `.${lower}`,
  check: (value: Readonly<Record<string, unknown>>) => {
    const low = value[lower];
    const high = value[upper];
    return typeof low !== 'number' || typeof high !== 'number' || low <= high;
  },
});

/** Quality metrics whose value is a share between 0 and 1 (matched case-insensitively by name). */
export const UNIT_INTERVAL_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const;

const isUnitIntervalName = (name: string) =>
  (UNIT_INTERVAL_METRICS as readonly string[]).includes(name.toLowerCase());

/** A condition under which a value must lie in [0, 1], for both checkers; `says` completes the message. */
interface Condition<T> {
  readonly rule: string;
  readonly check: (value: T) => boolean;
  readonly says: string;
}

/** The metric named by `key` is one of UNIT_INTERVAL_METRICS. */
export function namedUnitIntervalMetric(key: string): Condition<Readonly<Record<string, unknown>>> {
  return {
    rule: `self.${key}.lowerAscii() in [${UNIT_INTERVAL_METRICS.map(celString).join(', ')}]`,
    check: (value) => isUnitIntervalName(String(value[key])),
    says: ` when ${key} is ${UNIT_INTERVAL_METRICS.join(', ')}`,
  };
}

/** `key`, when set, lies within [0, 1] (always, or only under `when`); the error names `key`. */
export function unitIntervalRule<T extends Readonly<Record<string, unknown>>>(
  key: string,
  when?: Condition<T>,
) {
  return {
    rule: `${when === undefined ? '' : `!(${when.rule}) || `}!has(self.${key}) || (self.${key} >= 0.0 && self.${key} <= 1.0)`,
    message: `${key} must be between 0 and 1${when?.says ?? ''}`,
    fieldPath: `.${key}`,
    check: (value: T) => {
      if (when !== undefined && !when.check(value)) return true;
      const number = value[key];
      return typeof number !== 'number' || (number >= 0 && number <= 1);
    },
  };
}

/** A map of metric values by name whose accuracy, precision, recall, f1 and auc entries lie in [0, 1]. */
export function unitIntervalMetricMap<T extends z.ZodType<Readonly<Record<string, number>>>>(map: T) {
  const message = `${UNIT_INTERVAL_METRICS.join(', ')} must be between 0 and 1`;
  return withCel(
    map.refine(
      (metrics) =>
        Object.entries(metrics).every(
          ([name, value]) => !isUnitIntervalName(name) || (value >= 0 && value <= 1),
        ),
      { message },
    ),
    {
      rule: `self.all(name, !(name.lowerAscii() in [${UNIT_INTERVAL_METRICS.map(celString).join(', ')}]) || (self[name] >= 0.0 && self[name] <= 1.0))`,
      message,
    },
  );
}
