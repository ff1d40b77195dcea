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
  Scheduled: 'Scheduled',
  DriftDetected: 'DriftDetected',
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
  // OutputContract
  Published: 'Published',
  BreakingChangeWithoutMajorBump: 'BreakingChangeWithoutMajorBump',
  VersionNotIncreased: 'VersionNotIncreased',
  // DriftMonitor
  CheckScheduled: 'CheckScheduled',
  Suspended: 'Suspended',
  NoDrift: 'NoDrift',
  DataDriftDetected: 'DataDriftDetected',
  ConceptDriftDetected: 'ConceptDriftDetected',
  KpiOutOfBounds: 'KpiOutOfBounds',
  OutputQualityOutOfBounds: 'OutputQualityOutOfBounds',
  Inconclusive: 'Inconclusive',
  CheckFailed: 'CheckFailed',
  SourceUnreachable: 'SourceUnreachable',
  PrometheusUnavailable: 'PrometheusUnavailable',
  RetrainTriggered: 'RetrainTriggered',
  CooldownActive: 'CooldownActive',
  // RetrainPipeline
  Idle: 'Idle',
  RunInProgress: 'RunInProgress',
  TrainingFailed: 'TrainingFailed',
  ValidationFailed: 'ValidationFailed',
  AwaitingApproval: 'AwaitingApproval',
  Promoted: 'Promoted',
  DrillPassed: 'DrillPassed',
  DrillFailed: 'DrillFailed',
  DrillStale: 'DrillStale',
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
