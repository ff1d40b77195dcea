export {
  DEFAULT_DRIFT_SHARE,
  DEFAULT_MIN_SAMPLE_SIZE,
  type DriftCheckConfig,
  type DriftMethod,
  driftCheckConfigSchema,
  driftMethods,
  type FeatureConfig,
  type FeatureType,
  featureConfigSchema,
  featureTypes,
} from './config.ts';
