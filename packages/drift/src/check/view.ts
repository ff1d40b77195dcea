import type { FeatureConfig } from '../config.ts';
import type { FeatureProfile } from '../profile/feature.ts';
import { LOW_CARDINALITY_MAX } from '../profile/summaries.ts';
import { InconclusiveReason } from './reasons.ts';

/** What the engine sees of a feature: numbers with moments and a CDF, or category counts. */
export type FeatureView =
  | { type: 'numeric'; count: number }
  | { type: 'categorical'; count: number; categories: Map<string, number>; overflow: number }
  | { type: 'inconclusive'; reason: InconclusiveReason; message: string };

function categoricalView(feature: FeatureProfile): FeatureView {
  const categories = new Map(feature.text.categories);
  const { numeric } = feature;
  if (numeric.count + numeric.nonFinite > 0) {
    if (numeric.distinct === null) {
      return {
        type: 'inconclusive',
        reason: InconclusiveReason.WrongType,
        // Either the profile was built before the type was declared, or the numbers stopped being few.
        message: `${feature.name}: categorical, but it holds more than ${LOW_CARDINALITY_MAX} distinct numbers; declare its type when profiling`,
      };
    }
    for (const [value, n] of numeric.distinct)
      categories.set(String(value), (categories.get(String(value)) ?? 0) + n);
  }
  const count = [...categories.values()].reduce((s, n) => s + n, 0) + feature.text.overflow;
  return { type: 'categorical', count, categories, overflow: feature.text.overflow };
}

/**
 * Decides how a profiled column is treated. A declared type wins; otherwise numbers are numeric unless
 * they take at most LOW_CARDINALITY_MAX distinct values, text is categorical, and a mix is Inconclusive.
 */
export function viewFeature(feature: FeatureProfile, declared: FeatureConfig['type']): FeatureView {
  const { numeric, text } = feature;
  const numbers = numeric.count + numeric.nonFinite;
  if (numbers + text.count === 0) {
    return {
      type: 'inconclusive',
      reason: InconclusiveReason.NoValues,
      message: `${feature.name}: every value is empty`,
    };
  }
  if (declared === 'categorical') return categoricalView(feature);
  if (declared === 'numeric' || (numbers > 0 && text.count === 0)) {
    if (text.count > 0) {
      return {
        type: 'inconclusive',
        reason: InconclusiveReason.WrongType,
        message: `${feature.name}: declared numeric but ${text.count} value(s) are not numbers, e.g. ${JSON.stringify(feature.textExample)}`,
      };
    }
    if (numeric.count === 0) {
      return {
        type: 'inconclusive',
        reason: InconclusiveReason.NoValues,
        message: `${feature.name}: no finite values (${numeric.nonFinite} NaN or Infinity)`,
      };
    }
    if (declared === undefined && numeric.distinct !== null && numeric.nonFinite === 0)
      return categoricalView(feature);
    return { type: 'numeric', count: numeric.count };
  }
  if (numbers > 0) {
    return {
      type: 'inconclusive',
      reason: InconclusiveReason.MixedTypes,
      message: `${feature.name}: mixes ${numbers} number(s) and ${text.count} text value(s), e.g. ${JSON.stringify(feature.textExample)}; declare its type`,
    };
  }
  return categoricalView(feature);
}
