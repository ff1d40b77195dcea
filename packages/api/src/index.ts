// @steward/api: the four Steward kinds as zod schemas (the single source of truth), their inferred types,
// the condition types and reasons controllers report, and the CRD generator.
export {
  APPROVAL_POLICY_NAME,
  APPROVAL_RULES,
  buildApprovalPolicy,
  buildApprovalPolicyBinding,
} from './admission/approval-policy.ts';
export { type CelRule, withCel } from './cel.ts';
export {
  configMapKeyReferenceSchema,
  DataFormat,
  dataSourceSchema,
  durationSchema,
  localObjectReferenceSchema,
  SEMVER_PATTERN,
  SEMVER_RANGE_PATTERN,
  secretKeyReferenceSchema,
  semverRangeSchema,
  semverSchema,
} from './common.ts';
export { type Condition, ConditionStatus, ConditionType, conditionSchema } from './conditions.ts';
export { KIND_DEFINITIONS, type KindDefinition, type PrinterColumn } from './crd/definitions.ts';
export { buildCrd, type Crd, crdFileName, crdName, renderCrd } from './crd/generate.ts';
export {
  applyAdditions,
  type SchemaNode,
  StructuralSchemaError,
  toStructuralSchema,
} from './crd/structural.ts';
// CRON_CASES: schedules with the API server's known verdict; the unit and integration tests share them.
export { CRON_CASES, type CronCase } from './cron/cases.ts';
export { CRON_CEL_RULE } from './cron/cel.ts';
export { cronScheduleError } from './cron/parse.ts';
export { CRON_MESSAGE, cronScheduleSchema, timeZoneSchema } from './cron/schema.ts';
export { TIME_ZONE_NAMES } from './cron/time-zones.ts';
export {
  DriftCheckEnv,
  type DriftCheckJobResult,
  type DriftCheckReport,
  driftCheckJobResultSchema,
  driftCheckReportSchema,
  FailureCause,
  REPORT_KEY,
} from './drift-check-results.ts';
export { parseDuration } from './duration.ts';
export {
  API_VERSION,
  CATEGORIES,
  DriftMonitorNames,
  GROUP,
  type KindNames,
  ModelDeploymentNames,
  OutputContractNames,
  RetrainPipelineNames,
  VERSION,
} from './group.ts';
export {
  type BoundedCheckResult,
  CHECK_REQUESTED_ANNOTATION,
  CheckOutcome,
  type CheckResult,
  checkResultSchema,
  DEFAULT_MIN_MATCH_RATE,
  DEFAULT_PROMETHEUS_TIMEOUT,
  DEFAULT_RETRAIN_COOLDOWN,
  type DriftMonitorSpec,
  type DriftMonitorStatus,
  driftMonitorSpecSchema,
  driftMonitorStatusSchema,
  type FeatureCheckResult,
  MAX_CHECK_REQUEST,
  MAX_FEATURES,
  P_VALUE_METHODS,
} from './kinds/drift-monitor.ts';
export {
  DEFAULT_REVIEW_INTERVAL,
  Decision,
  MAX_HISTORY,
  type ModelDeploymentSpec,
  type ModelDeploymentStatus,
  modelDeploymentSpecSchema,
  modelDeploymentStatusSchema,
  RiskClass,
} from './kinds/model-deployment.ts';
export {
  ChangeClass,
  HistoryArchiveEncoding,
  MAX_HISTORY_ARCHIVE_CHARS,
  MAX_PUBLISHED_VERSIONS,
  type OutputContractSpec,
  type OutputContractStatus,
  outputContractSpecSchema,
  outputContractStatusSchema,
} from './kinds/output-contract.ts';
export {
  ConcurrencyPolicy,
  DEFAULT_DRILL_STALE_AFTER,
  DRILL_REQUESTED_ANNOTATION,
  DrillInjection,
  type DrillInjectionSpec,
  DrillOutcome,
  DrillStage,
  drillInjectionSchema,
  KUEUE_QUEUE_LABEL,
  MAX_REPORTED_METRICS,
  MAX_REPORTED_RESULTS,
  PromotionMode,
  RETRAIN_REQUESTED_ANNOTATION,
  type RetrainPipelineSpec,
  type RetrainPipelineStatus,
  RunPhase,
  RunTrigger,
  retrainPipelineSpecSchema,
  retrainPipelineStatusSchema,
  SCRATCH_VOLUME,
} from './kinds/retrain-pipeline.ts';
export { PVC_MOUNT_ROOT, pvcClaims } from './pvc-sources.ts';
export {
  DriftMonitorReason,
  ModelDeploymentReason,
  OutputContractReason,
  Reason,
  RetrainPipelineReason,
  SharedReason,
} from './reasons.ts';
export {
  type DriftMonitor,
  driftMonitorSchema,
  type ModelDeployment,
  modelDeploymentSchema,
  type OutputContract,
  objectMetaSchema,
  outputContractSchema,
  type RetrainPipeline,
  resourceSchemas,
  retrainPipelineSchema,
} from './resources.ts';
export {
  type DrillCheckResult,
  drillCheckResultSchema,
  TERMINATION_MESSAGE_MAX_BYTES,
  TERMINATION_MESSAGE_PATH,
  type TrainResult,
  trainResultSchema,
  type ValidateResult,
  validateResultSchema,
} from './retrain-results.ts';
