import { z } from 'zod';
import { featureTypes } from '../config.ts';
import type { FeatureProfile } from './feature.ts';
import type { Profile } from './profile.ts';

export const PROFILE_KIND = 'DriftProfile';
export const PROFILE_VERSION = 1;

const count = z.number().int().nonnegative();

const featureProfileSchema = z.object({
  name: z.string(),
  declaredType: z.enum(featureTypes).optional(),
  nulls: count,
  textExample: z.string().optional(),
  numeric: z.object({
    count,
    nonFinite: count,
    // JSON has no Infinity: an empty summary stores null bounds.
    min: z.number().nullable(),
    max: z.number().nullable(),
    mean: z.number(),
    m2: z.number().nonnegative(),
    distinct: z.array(z.tuple([z.number(), count])).nullable(),
    sketch: z.object({
      k: z.number().int().min(8),
      seed: z.number().int(),
      levels: z.array(z.array(z.number())),
    }),
    histogram: z.object({ edges: z.array(z.number()), counts: z.array(count) }).optional(),
  }),
  text: z.object({
    count,
    categories: z.array(z.tuple([z.string(), count])),
    overflow: count,
    maxCategories: z.number().int().positive(),
  }),
});

/** The JSON file `steward drift profile` writes and `drift check --baseline` reads. */
export const profileFileSchema = z.object({
  kind: z.literal(PROFILE_KIND),
  version: z.literal(PROFILE_VERSION),
  rows: count,
  features: z.array(featureProfileSchema),
});
export type ProfileFile = z.infer<typeof profileFileSchema>;

function featureToJson(f: FeatureProfile): z.infer<typeof featureProfileSchema> {
  const { numeric: n, text: t } = f;
  const json: z.infer<typeof featureProfileSchema> = {
    name: f.name,
    nulls: f.nulls,
    numeric: {
      count: n.count,
      nonFinite: n.nonFinite,
      min: n.count > 0 ? n.min : null,
      max: n.count > 0 ? n.max : null,
      mean: n.mean,
      m2: n.m2,
      distinct: n.distinct ? [...n.distinct] : null,
      sketch: { k: n.sketch.k, seed: n.sketch.seed, levels: n.sketch.levels },
    },
    // Most frequent first, so a reader sees the head of the distribution at the top of the file.
    text: {
      count: t.count,
      categories: [...t.categories].sort((a, b) => b[1] - a[1]),
      overflow: t.overflow,
      maxCategories: t.maxCategories,
    },
  };
  if (f.declaredType) json.declaredType = f.declaredType;
  if (f.textExample !== undefined) json.textExample = f.textExample;
  if (n.histogram) json.numeric.histogram = n.histogram;
  return json;
}

export function profileToJson(profile: Profile): ProfileFile {
  return {
    kind: PROFILE_KIND,
    version: PROFILE_VERSION,
    rows: profile.rows,
    features: [...profile.features.values()].map(featureToJson),
  };
}

function featureFromJson(json: z.infer<typeof featureProfileSchema>): FeatureProfile {
  const n = json.numeric;
  const feature: FeatureProfile = {
    name: json.name,
    nulls: json.nulls,
    numeric: {
      count: n.count,
      nonFinite: n.nonFinite,
      min: n.min ?? Number.POSITIVE_INFINITY,
      max: n.max ?? Number.NEGATIVE_INFINITY,
      mean: n.mean,
      m2: n.m2,
      distinct: n.distinct ? new Map(n.distinct) : null,
      sketch: {
        k: n.sketch.k,
        seed: n.sketch.seed,
        levels: n.sketch.levels.length > 0 ? n.sketch.levels : [[]],
      },
    },
    text: {
      count: json.text.count,
      categories: new Map(json.text.categories),
      overflow: json.text.overflow,
      maxCategories: json.text.maxCategories,
    },
  };
  if (n.histogram) feature.numeric.histogram = n.histogram;
  if (json.declaredType) feature.declaredType = json.declaredType;
  if (json.textExample !== undefined) feature.textExample = json.textExample;
  return feature;
}

/** Validates a parsed profile file; throws an Error naming the first offending field. */
export function profileFromJson(value: unknown): Profile {
  const parsed = profileFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `not a drift profile: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return {
    rows: parsed.data.rows,
    features: new Map(parsed.data.features.map((f) => [f.name, featureFromJson(f)])),
  };
}
