import { z } from 'zod';

/** Method names are part of the DriftMonitor API: status, metrics and docs all use these strings. */
export const driftMethods = ['psi', 'ks', 'chisquare', 'jensenshannon', 'wasserstein', 'ztest'] as const;
export type DriftMethod = (typeof driftMethods)[number];

export const featureTypes = ['numeric', 'categorical'] as const;
export type FeatureType = (typeof featureTypes)[number];

/** Share of drifted features at which the whole dataset counts as drifted (common practice: half). */
export const DEFAULT_DRIFT_SHARE = 0.5;
/** Below this many non-null values on either side a feature is Inconclusive rather than judged. */
export const DEFAULT_MIN_SAMPLE_SIZE = 30;

const featureConfigSchema = z
  .object({
    name: z.string().min(1).describe('Column name of the feature in the data (CSV header or JSON key).'),
    type: z
      .enum(featureTypes)
      .optional()
      .describe(
        'Feature type; overrides inference from the data (numeric columns with few values count as categorical).',
      ),
    method: z
      .enum(driftMethods)
      .optional()
      .describe(
        'Drift method. Default: ks (numeric) or chisquare/ztest (categorical) for small references (<= 1000 rows), wasserstein (numeric) or jensenshannon (categorical) above.',
      ),
    threshold: z
      .number()
      .positive()
      .optional()
      .describe(
        'Drift threshold. For ks, chisquare and ztest a p-value (drift when p < threshold, default 0.05); for psi, jensenshannon and wasserstein a distance (drift when score >= threshold, default 0.1).',
      ),
    bins: z
      .number()
      .int()
      .min(2)
      .max(1000)
      .optional()
      .describe(
        'Number of reference-quantile bins for psi and jensenshannon on numeric features (default 10).',
      ),
    edges: z
      .array(z.number())
      .min(1)
      .optional()
      .describe('Fixed inner bin edges for psi and jensenshannon on numeric features; overrides bins.'),
  })
  .describe('Drift settings of one feature.');

/**
 * The data-drift part of a DriftMonitor (`spec.dataDrift`). @steward/api reuses this schema so the
 * CRD and the `steward drift check --config` reader accept exactly the same thing.
 */
export const driftCheckConfigSchema = z
  .object({
    features: z
      .array(featureConfigSchema)
      .optional()
      .describe(
        'Features to check, with per-feature type, method and threshold. Default: every column of the baseline.',
      ),
    driftShare: z
      .number()
      .gt(0)
      .lte(1)
      .default(DEFAULT_DRIFT_SHARE)
      .describe(
        'Dataset drift is reported when the share of drifted features reaches this value (0 < share <= 1).',
      ),
    minSampleSize: z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_MIN_SAMPLE_SIZE)
      .describe(
        'Minimum non-null values per feature on each side; below it the feature verdict is Inconclusive.',
      ),
  })
  .describe('Data drift check: which features, which methods, which thresholds.');

export type FeatureConfig = z.infer<typeof featureConfigSchema>;
export type DriftCheckConfig = z.infer<typeof driftCheckConfigSchema>;
export { featureConfigSchema };
