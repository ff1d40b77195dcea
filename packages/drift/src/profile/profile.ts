import type { DriftCheckConfig } from '../config.ts';
import {
  addCell,
  type Cell,
  emptyFeature,
  type FeatureOptions,
  type FeatureProfile,
  mergeFeature,
} from './feature.ts';

/** A dataset summary built in one streaming pass; merge() combines shards. */
export interface Profile {
  rows: number;
  features: Map<string, FeatureProfile>;
}

/** A batch of rows as readers yield it; `columns` may grow between chunks (JSONL keys). */
export interface TableChunk {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
}

export interface ProfileOptions {
  /** Declared types and fixed edges per feature (the DriftMonitor's features). */
  config?: Pick<DriftCheckConfig, 'features'>;
  /** Keep every finite numeric value too, for exact data-vs-data methods (8 bytes per value). */
  keepSamples?: boolean;
  maxCategories?: number;
  sketchK?: number;
}

/** Growable buffer of one column's finite values. */
class SampleBuffer {
  values = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = x;
  }
}

export class ProfileBuilder {
  readonly profile: Profile = { rows: 0, features: new Map() };
  readonly #options: ProfileOptions;
  readonly #samples = new Map<string, SampleBuffer>();

  constructor(options: ProfileOptions = {}) {
    this.#options = options;
  }

  #featureOptions(name: string): FeatureOptions {
    const configured = this.#options.config?.features?.find((f) => f.name === name);
    const options: FeatureOptions = {};
    if (configured?.type) options.declaredType = configured.type;
    if (configured?.edges) options.edges = configured.edges;
    if (this.#options.maxCategories !== undefined) options.maxCategories = this.#options.maxCategories;
    if (this.#options.sketchK !== undefined) options.sketchK = this.#options.sketchK;
    return options;
  }

  add(chunk: TableChunk): void {
    const features = chunk.columns.map((name) => {
      let feature = this.profile.features.get(name);
      if (feature === undefined) {
        feature = emptyFeature(name, this.#featureOptions(name));
        // A column first seen after some rows (JSONL) was missing, i.e. null, in those rows.
        feature.nulls = this.profile.rows;
        this.profile.features.set(name, feature);
      }
      return feature;
    });
    const samples = this.#options.keepSamples
      ? chunk.columns.map((name) => {
          let buffer = this.#samples.get(name);
          if (buffer === undefined) {
            buffer = new SampleBuffer();
            this.#samples.set(name, buffer);
          }
          return buffer;
        })
      : undefined;
    for (const row of chunk.rows) {
      for (let c = 0; c < features.length; c++) {
        const x = addCell(features[c] as FeatureProfile, row[c]);
        if (samples !== undefined && x !== undefined && Number.isFinite(x))
          (samples[c] as SampleBuffer).push(x);
      }
    }
    this.profile.rows += chunk.rows.length;
    // Columns missing from this chunk (JSONL rows without the key) count as nulls.
    if (features.length < this.profile.features.size) {
      const present = new Set(chunk.columns);
      for (const [name, feature] of this.profile.features)
        if (!present.has(name)) feature.nulls += chunk.rows.length;
    }
  }

  /** The finite numeric values per column, when built with keepSamples. */
  samples(): Map<string, Float64Array> {
    return new Map([...this.#samples].map(([name, b]) => [name, b.values.subarray(0, b.length)]));
  }
}

/**
 * Merges `other` into `into` and returns `into`: counts, category counts and fixed-edge histograms
 * add up exactly, moments by Chan's formula, sketches as sketches. `into` is updated in place and
 * may adopt `other`'s feature objects, so `other` must not be used afterwards.
 */
export function mergeProfiles(into: Profile, other: Profile): Profile {
  for (const [name, feature] of into.features) {
    if (!other.features.has(name)) feature.nulls += other.rows;
  }
  for (const [name, feature] of other.features) {
    const existing = into.features.get(name);
    if (existing) mergeFeature(existing, feature);
    else {
      into.features.set(name, feature);
      feature.nulls += into.rows;
    }
  }
  into.rows += other.rows;
  return into;
}
