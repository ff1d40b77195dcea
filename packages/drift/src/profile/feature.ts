import type { FeatureType } from '../config.ts';
import {
  addNumber,
  addText,
  emptyNumeric,
  emptyText,
  mergeNumeric,
  mergeText,
  type NumericSummary,
  type TextSummary,
} from './summaries.ts';

/** One value as a reader yields it: CSV gives strings, JSONL and Parquet typed values. */
export type Cell = string | number | boolean | bigint | null | undefined | object;

/** Everything one streaming pass learns about one column; mergeable with another shard's. */
export interface FeatureProfile {
  name: string;
  declaredType?: FeatureType;
  nulls: number;
  numeric: NumericSummary;
  text: TextSummary;
  /** First value that was not a number, kept for error messages. */
  textExample?: string;
}

export interface FeatureOptions {
  declaredType?: FeatureType;
  edges?: readonly number[];
  maxCategories?: number;
  sketchK?: number;
}

export function emptyFeature(name: string, options: FeatureOptions = {}): FeatureProfile {
  const feature: FeatureProfile = {
    name,
    nulls: 0,
    numeric: emptyNumeric(options.edges, options.sketchK),
    text: emptyText(options.maxCategories),
  };
  if (options.declaredType) feature.declaredType = options.declaredType;
  return feature;
}

const NON_FINITE_TOKEN = /^[+-]?(nan|inf|infinity)$/i;
const RADIX_PREFIX = /^\s*[+-]?0[xob]/i;

/** Parses CSV text as a number; undefined when it is not one. NaN/inf spellings become NaN/Infinity. */
export function parseNumber(text: string): number | undefined {
  // Number() also reads 0x1f, 0o17 and 0b101: in data those are codes, not numbers.
  if (RADIX_PREFIX.test(text)) return undefined;
  const x = Number(text);
  if (!Number.isNaN(x)) return x;
  if (NON_FINITE_TOKEN.test(text))
    return text.toLowerCase().includes('nan') ? Number.NaN : Number(text.replace(/inf(inity)?/i, 'Infinity'));
  return undefined;
}

function addAsText(feature: FeatureProfile, text: string): void {
  if (feature.textExample === undefined) feature.textExample = text;
  addText(feature.text, text);
}

/**
 * Routes one value: empty -> null, numbers to the numeric summary (unless declared categorical),
 * everything else to the category counts. Returns the number recorded, so callers can keep samples.
 */
export function addCell(feature: FeatureProfile, cell: Cell): number | undefined {
  if (cell === null || cell === undefined || cell === '') {
    feature.nulls++;
    return undefined;
  }
  const categorical = feature.declaredType === 'categorical';
  if (typeof cell === 'number' || typeof cell === 'bigint') {
    const x = Number(cell);
    if (categorical) addAsText(feature, String(x));
    else addNumber(feature.numeric, x);
    return categorical ? undefined : x;
  }
  if (typeof cell === 'string') {
    if (!categorical) {
      const x = cell.trim() === '' ? undefined : parseNumber(cell);
      if (x !== undefined) {
        addNumber(feature.numeric, x);
        return x;
      }
    }
    addAsText(feature, cell);
    return undefined;
  }
  addAsText(feature, typeof cell === 'boolean' ? String(cell) : JSON.stringify(cell));
  return undefined;
}

export function mergeFeature(into: FeatureProfile, other: FeatureProfile): void {
  into.nulls += other.nulls;
  mergeNumeric(into.numeric, other.numeric);
  mergeText(into.text, other.text);
  if (into.textExample === undefined && other.textExample !== undefined) into.textExample = other.textExample;
}
