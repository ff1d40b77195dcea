import type { FeatureConfig } from '../config.ts';
import type { FeatureProfile } from '../profile/feature.ts';
import { LOW_CARDINALITY_MAX } from '../profile/summaries.ts';
import { InconclusiveReason, SchemaDriftReason, Verdict } from './reasons.ts';

export interface CategoricalSide {
  count: number;
  categories: Map<string, number>;
  overflow: number;
}

/** What the engine compares for one feature: numbers on both sides, or category counts on both. */
export type PairView =
  | { type: 'numeric'; referenceCount: number; currentCount: number }
  | { type: 'categorical'; reference: CategoricalSide; current: CategoricalSide }
  | {
      type: 'unjudged';
      verdict: typeof Verdict.Inconclusive | typeof Verdict.SchemaDrift;
      reason: InconclusiveReason | SchemaDriftReason;
      message: string;
    };

const inconclusive = (reason: InconclusiveReason, message: string): PairView => ({
  type: 'unjudged',
  verdict: Verdict.Inconclusive,
  reason,
  message,
});
const schemaDrift = (reason: SchemaDriftReason, message: string): PairView => ({
  type: 'unjudged',
  verdict: Verdict.SchemaDrift,
  reason,
  message,
});

const numbers = (f: FeatureProfile) => f.numeric.count + f.numeric.nonFinite;
const values = (f: FeatureProfile) => numbers(f) + f.text.count;

/** Category counts of one side, numbers folded in as their text; undefined when too many distinct numbers. */
function categoricalSide(feature: FeatureProfile): CategoricalSide | undefined {
  const categories = new Map(feature.text.categories);
  if (numbers(feature) > 0) {
    if (feature.numeric.distinct === null) return undefined;
    for (const [value, n] of feature.numeric.distinct)
      categories.set(String(value), (categories.get(String(value)) ?? 0) + n);
  }
  const count = [...categories.values()].reduce((s, n) => s + n, 0) + feature.text.overflow;
  return { count, categories, overflow: feature.text.overflow };
}

/**
 * Numbers with few distinct values on both sides together are codes (common practice: at most
 * LOW_CARDINALITY_MAX). Both samples decide, so a current window that widens past the baseline's few
 * values keeps the feature numeric instead of making it unjudgeable. NaN/Infinity keep it numeric.
 */
function lowCardinality(reference: FeatureProfile, current: FeatureProfile): boolean {
  const r = reference.numeric;
  const c = current.numeric;
  if (r.distinct === null || c.distinct === null || r.nonFinite + c.nonFinite > 0) return false;
  return new Set([...r.distinct.keys(), ...c.distinct.keys()]).size <= LOW_CARDINALITY_MAX;
}

function categoricalPair(reference: FeatureProfile, current: FeatureProfile, declared: boolean): PairView {
  const name = reference.name;
  const ref = categoricalSide(reference);
  if (ref === undefined) {
    // The profile was built before the type was declared: its numbers were summarised, not counted.
    return inconclusive(
      InconclusiveReason.WrongType,
      `${name}: categorical, but the baseline holds more than ${LOW_CARDINALITY_MAX} distinct numbers; declare its type when profiling`,
    );
  }
  const cur = categoricalSide(current);
  if (cur === undefined) {
    return declared
      ? inconclusive(
          InconclusiveReason.WrongType,
          `${name}: declared categorical, but the current profile holds more than ${LOW_CARDINALITY_MAX} distinct numbers; declare its type when profiling`,
        )
      : schemaDrift(
          SchemaDriftReason.WrongType,
          `${name}: text in the baseline, but the current data holds more than ${LOW_CARDINALITY_MAX} distinct numbers, e.g. ${current.numeric.min}`,
        );
  }
  return { type: 'categorical', reference: ref, current: cur };
}

/**
 * Decides how a feature is compared, from both profiles. The baseline defines the schema: a fault in
 * it makes the feature Inconclusive (the reference needs fixing). Current data that lost the feature's
 * values or their type is SchemaDrift, a breach in its own right; `minSampleSize` only spares a window
 * too small to tell an empty column from a few empty rows. A declared type wins over inference.
 */
export function viewPair(
  reference: FeatureProfile,
  current: FeatureProfile,
  declared: FeatureConfig['type'],
  minSampleSize: number,
): PairView {
  const name = reference.name;
  if (values(reference) === 0) {
    return inconclusive(InconclusiveReason.NoValues, `${name}: every baseline value is empty`);
  }
  if (declared === 'numeric' && reference.text.count > 0) {
    return inconclusive(
      InconclusiveReason.WrongType,
      `${name}: declared numeric but ${reference.text.count} baseline value(s) are not numbers, e.g. ${JSON.stringify(reference.textExample)}`,
    );
  }
  if (declared === undefined && numbers(reference) > 0 && reference.text.count > 0) {
    return inconclusive(
      InconclusiveReason.MixedTypes,
      `${name}: the baseline mixes ${numbers(reference)} number(s) and ${reference.text.count} text value(s), e.g. ${JSON.stringify(reference.textExample)}; declare its type`,
    );
  }
  const numericBaseline = declared === 'numeric' || (declared === undefined && reference.text.count === 0);
  if (numericBaseline && reference.numeric.count === 0) {
    return inconclusive(
      InconclusiveReason.NoValues,
      `${name}: no finite baseline values (${reference.numeric.nonFinite} NaN or Infinity)`,
    );
  }
  const currentLost =
    values(current) === 0 || (numericBaseline && current.numeric.count + current.text.count === 0);
  if (currentLost) {
    const rows = current.nulls + values(current);
    if (rows < minSampleSize) {
      return inconclusive(
        InconclusiveReason.InsufficientData,
        `${name}: ${rows} current row(s), the minimum sample size is ${minSampleSize}`,
      );
    }
    return schemaDrift(
      SchemaDriftReason.NoValues,
      values(current) === 0
        ? `${name}: all ${rows} current values are empty`
        : `${name}: no finite current values (${current.numeric.nonFinite} NaN or Infinity in ${rows} rows)`,
    );
  }
  if (numericBaseline && current.text.count > 0) {
    return schemaDrift(
      SchemaDriftReason.WrongType,
      `${name}: numeric in the baseline, but ${current.text.count} current value(s) are not numbers, e.g. ${JSON.stringify(current.textExample)}`,
    );
  }
  if (declared === 'categorical') return categoricalPair(reference, current, true);
  if (numericBaseline) {
    if (declared === undefined && lowCardinality(reference, current)) {
      return categoricalPair(reference, current, false);
    }
    return { type: 'numeric', referenceCount: reference.numeric.count, currentCount: current.numeric.count };
  }
  return categoricalPair(reference, current, false);
}
