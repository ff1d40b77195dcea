import { z } from 'zod';

/**
 * Condition types in `status.conditions`. `Ready` is on every kind (kstatus: Flux and Argo CD read health from it);
 * the others explain which part of the kind's job is or is not working.
 */
export const ConditionType = {
  Ready: 'Ready',
  // ModelDeployment
  OwnerReviewed: 'OwnerReviewed',
  ContractSatisfied: 'ContractSatisfied',
  GovernanceSatisfied: 'GovernanceSatisfied',
  RolloutBlocked: 'RolloutBlocked',
  // OutputContract
  VersionBumpValid: 'VersionBumpValid',
  ConsumersCompatible: 'ConsumersCompatible',
  // DriftMonitor
  DriftDetected: 'DriftDetected',
  CheckStale: 'CheckStale',
  CheckFailing: 'CheckFailing',
  // RetrainPipeline
  Running: 'Running',
  DrillHealthy: 'DrillHealthy',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

/** Machine-readable reasons (CamelCase, per metav1.Condition). Tests, docs, events, metrics and alerts share them. */
export const Reason = {
  // Shared
  Reconciled: 'Reconciled',
  ReferenceNotFound: 'ReferenceNotFound',
  InvalidSpec: 'InvalidSpec',
  // ModelDeployment gates
  AllGatesPassed: 'AllGatesPassed',
  OwnerMissing: 'OwnerMissing',
  OwnerReviewOverdue: 'OwnerReviewOverdue',
  OwnerNeverReviewed: 'OwnerNeverReviewed',
  ContractNotFound: 'ContractNotFound',
  ContractBreaking: 'ContractBreaking',
  ContractVersionOutOfRange: 'ContractVersionOutOfRange',
  ConsumerRangeUnsatisfied: 'ConsumerRangeUnsatisfied',
  ApprovalMissing: 'ApprovalMissing',
  FairnessBoundViolated: 'FairnessBoundViolated',
  GovernanceIncomplete: 'GovernanceIncomplete',
  VersionPending: 'VersionPending',
  RolloutProgressing: 'RolloutProgressing',
  RolledOut: 'RolledOut',
  RolledBack: 'RolledBack',
  Paused: 'Paused',
  ApprovalRecorded: 'ApprovalRecorded',
  DeploymentReverted: 'DeploymentReverted',
  // OutputContract
  Published: 'Published',
  BreakingChangeWithoutMajorBump: 'BreakingChangeWithoutMajorBump',
  VersionNotIncreased: 'VersionNotIncreased',
  // DriftMonitor
  CheckScheduled: 'CheckScheduled',
  Suspended: 'Suspended',
  NoDrift: 'NoDrift',
  DataDriftDetected: 'DataDriftDetected',
  SchemaDriftDetected: 'SchemaDriftDetected',
  ConceptDriftDetected: 'ConceptDriftDetected',
  KpiOutOfBounds: 'KpiOutOfBounds',
  OutputQualityOutOfBounds: 'OutputQualityOutOfBounds',
  Inconclusive: 'Inconclusive',
  CheckFailed: 'CheckFailed',
  CheckSucceeded: 'CheckSucceeded',
  NoRecentSuccess: 'NoRecentSuccess',
  RecentSuccess: 'RecentSuccess',
  AwaitingFirstCheck: 'AwaitingFirstCheck',
  SourceUnreachable: 'SourceUnreachable',
  PrometheusUnavailable: 'PrometheusUnavailable',
  RetrainTriggered: 'RetrainTriggered',
  CooldownActive: 'CooldownActive',
  // RetrainPipeline
  Idle: 'Idle',
  RunInProgress: 'RunInProgress',
  TrainingFailed: 'TrainingFailed',
  ValidationJobFailed: 'ValidationJobFailed',
  ValidationFailed: 'ValidationFailed',
  RunCancelled: 'RunCancelled',
  AwaitingApproval: 'AwaitingApproval',
  Promoted: 'Promoted',
  DrillPassed: 'DrillPassed',
  DrillFailed: 'DrillFailed',
  DrillStale: 'DrillStale',
  DrillPending: 'DrillPending',
  DrillNotConfigured: 'DrillNotConfigured',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export const ConditionStatus = { True: 'True', False: 'False', Unknown: 'Unknown' } as const;

// Limits copied from metav1.Condition so Steward conditions validate exactly like built-in ones.
const MAX_CONDITION_TYPE = 316;
const MAX_REASON = 1024;
const MAX_MESSAGE = 32768;
const MAX_CONDITIONS = 16;

/** The metav1.Condition shape. */
export const conditionSchema = z
  .object({
    type: z
      .string()
      .min(1)
      .max(MAX_CONDITION_TYPE)
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/,
      )
      .describe('Type of condition in CamelCase, e.g. Ready.'),
    status: z
      .enum([ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown])
      .describe('Status of the condition: True, False or Unknown.'),
    observedGeneration: z
      .int()
      .min(0)
      .optional()
      .describe('The .metadata.generation the condition was set from.'),
    lastTransitionTime: z.iso.datetime().describe('Last time the condition changed status.'),
    reason: z
      .string()
      .min(1)
      .max(MAX_REASON)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe('Machine-readable CamelCase reason for the last transition (see the Reason constants).'),
    message: z.string().max(MAX_MESSAGE).describe('Human-readable detail of the transition; may be empty.'),
  })
  .describe('A condition of the resource, in metav1.Condition shape.');
export type Condition = z.infer<typeof conditionSchema>;

export const conditionsSchema = z
  .array(conditionSchema)
  .max(MAX_CONDITIONS)
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })
  .describe('Current state of the resource; Ready summarises it for kstatus-aware tools (Flux, Argo CD).');

export const observedGenerationSchema = z
  .int()
  .min(0)
  .describe('The .metadata.generation this status was computed from; lower than generation means stale.');

/** What each condition type means when True; docs/api.md is generated from this. */
export const CONDITION_DOCS: Readonly<Record<ConditionType, string>> = {
  Ready: 'All kinds. The resource is reconciled and doing its job; False carries the blocking reason.',
  OwnerReviewed: 'ModelDeployment. An owner is named and was reviewed within reviewInterval.',
  ContractSatisfied:
    'ModelDeployment. The declared output satisfies the referenced OutputContract and its range.',
  GovernanceSatisfied: 'ModelDeployment. Approvals and fairness bounds required by the risk class hold.',
  RolloutBlocked:
    'ModelDeployment. The desired version fails a gate; the last admitted version keeps serving.',
  VersionBumpValid: 'OutputContract. The change against the previous version is allowed by the version bump.',
  ConsumersCompatible: 'OutputContract. Every consumer accepts the current contract version.',
  DriftDetected:
    'DriftMonitor. The last check breached a data, schema, concept, KPI or output-quality bound; the message lists the values.',
  CheckStale: 'DriftMonitor. No check succeeded within the last three schedule periods.',
  CheckFailing:
    'DriftMonitor. The last check, or a part of it, could not run; the message names what failed.',
  Running: 'RetrainPipeline. A run is in progress.',
  DrillHealthy: 'RetrainPipeline. The last fire drill passed within staleAfter.',
};

/** What each reason says; docs/api.md is generated from this. */
export const REASON_DOCS: Readonly<Record<Reason, string>> = {
  Reconciled: 'Everything this condition checks holds.',
  ReferenceNotFound:
    'A referenced object (ModelDeployment, RetrainPipeline, DriftMonitor ...) does not exist.',
  InvalidSpec: 'The spec passed the API server but fails a rule only the controller can check.',
  AllGatesPassed: 'Every rollout gate passed; the desired version is admitted.',
  OwnerMissing: 'spec.owner is not set: no owner, no rollout.',
  OwnerReviewOverdue: 'spec.owner.lastReviewed is older than reviewInterval.',
  OwnerNeverReviewed: 'spec.owner.lastReviewed is not set.',
  ContractNotFound: 'The OutputContract in spec.outputContract does not exist.',
  ContractBreaking: 'The declared output breaks the contract; the message names each field.',
  ContractVersionOutOfRange: 'The contract version is outside spec.outputContract.versionRange.',
  ConsumerRangeUnsatisfied: 'A consumer of the contract does not accept its current version.',
  ApprovalMissing: 'A high-risk model has no approval for the desired version.',
  FairnessBoundViolated: 'A fairness result lies outside its bounds.',
  GovernanceIncomplete: 'Governance facts the risk class needs are missing.',
  VersionPending: 'versionFrom names a pipeline that has not promoted a version yet.',
  RolloutProgressing: 'The admitted version is rolling out.',
  RolledOut: 'The admitted version serves on every replica.',
  RolledBack: 'The rollout failed and the previous version was restored.',
  Paused: 'spec.paused is true; no new version is admitted.',
  ApprovalRecorded: 'An approval of a model version was recorded in the audit trail (event only).',
  DeploymentReverted:
    'A hand edit of the owned Deployment was overridden back to the admitted version (event only).',
  Published: 'The contract version is recorded.',
  BreakingChangeWithoutMajorBump: 'A breaking change was published without a major version bump.',
  VersionNotIncreased: 'The contract changed but its version did not increase.',
  CheckScheduled: 'The check CronJob exists.',
  Suspended: 'spec.suspend is true.',
  NoDrift: 'The last check found every bound respected.',
  DataDriftDetected: 'The share of drifted features reached dataDrift.driftShare.',
  SchemaDriftDetected:
    'A feature vanished from the current data, lost every value or changed type (a data-quality breach; no retrain).',
  ConceptDriftDetected: 'Model quality on labelled data fell by more than maxDegradation.',
  KpiOutOfBounds: 'A business KPI left its bounds.',
  OutputQualityOutOfBounds: 'An output-quality rate left its bounds.',
  Inconclusive: 'Too little data for a verdict (below minSampleSize).',
  CheckFailed: 'The check job failed; the message says why.',
  CheckSucceeded: 'The last check ran every part it was configured with.',
  NoRecentSuccess: 'No check succeeded within the allowed number of schedule periods.',
  RecentSuccess: 'A check succeeded within the allowed number of schedule periods.',
  AwaitingFirstCheck: 'No check has completed yet, and the monitor is younger than the allowed staleness.',
  SourceUnreachable: 'A data source could not be read.',
  PrometheusUnavailable: 'Prometheus did not answer or returned no single sample.',
  RetrainTriggered: 'A breach triggered the RetrainPipeline in onDrift.',
  CooldownActive: 'A breach did not trigger a retrain because the cooldown has not passed.',
  Idle: 'No run is active.',
  RunInProgress: 'A run is training or validating.',
  TrainingFailed: 'The train Job failed, timed out or reported no usable result.',
  ValidationJobFailed: 'The validate Job failed, timed out or reported no usable result.',
  ValidationFailed: 'The candidate failed a metric gate, a regression gate or a fairness bound.',
  RunCancelled: 'A run was cancelled: replaced by a newer one (concurrencyPolicy Replace).',
  AwaitingApproval:
    'A validated candidate waits for an approval of its version in the ModelDeployment (promotion.mode manual).',
  Promoted: 'A candidate was promoted.',
  DrillPassed: 'The last fire drill went through check, retrain, validate and dry-run promote.',
  DrillFailed: 'The last fire drill failed; the message names the stage.',
  DrillStale: 'No fire drill passed within staleAfter.',
  DrillPending:
    'No fire drill has finished yet, and staleAfter has not passed since the pipeline was created.',
  DrillNotConfigured: 'spec.fireDrill is not set.',
};
