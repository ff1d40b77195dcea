export {
  checkDrift,
  type Dataset,
  DEFAULT_DISTANCE_THRESHOLD,
  DEFAULT_P_VALUE_THRESHOLD,
  type DriftReport,
  defaultMethod,
  type FeatureResult,
  SMALL_REFERENCE_MAX,
} from './check/check.ts';
export {
  configThresholdWarnings,
  PLAUSIBLE_MAX_THRESHOLD,
  thresholdWarning,
} from './check/plausibility.ts';
export { InconclusiveReason, isBreach, SchemaDriftReason, Verdict } from './check/reasons.ts';
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
export { isProfileLocation, openDataset, profileData, readProfileFile } from './dataset.ts';
export {
  baselineWithInjectedCopy,
  type DriftInjection,
  InjectionError,
  InjectionKind,
} from './inject.ts';
export { profileDataIsolated, READER_YOUNG_GENERATION_MB } from './isolated.ts';
export { ConfigError, DRIFT_MONITOR_KIND, parseDriftMonitorConfig } from './manifest.ts';
export { type JoinCounts, type JoinSpec, joinByKey, MAX_JOINED_LABELS } from './monitor/join.ts';
export {
  type PrometheusQueryOptions,
  prometheusInstantQuery,
  type QueryResult,
} from './monitor/prometheus.ts';
export {
  DECISION_THRESHOLD,
  degradation,
  type LabelledRow,
  LOG_LOSS_EPSILON,
  LOWER_IS_BETTER,
  QualityError,
  type QualityMetric,
  qualityMetric,
  qualityMetrics,
} from './monitor/quality.ts';
export type { Cell, FeatureProfile } from './profile/feature.ts';
export { DEFAULT_SKETCH_K } from './profile/kll.ts';
export {
  mergeProfiles,
  type Profile,
  ProfileBuilder,
  type ProfileOptions,
  type TableChunk,
} from './profile/profile.ts';
export { type ProfileFile, profileFileSchema, profileFromJson, profileToJson } from './profile/serialize.ts';
export { DEFAULT_MAX_CATEGORIES, LOW_CARDINALITY_MAX } from './profile/summaries.ts';
export * from './read/index.ts';
export * from './stats/index.ts';
