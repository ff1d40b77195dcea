import { z } from 'zod';

/**
 * Condition types in `status.conditions`. `Ready` is on every kind (kstatus: Flux and Argo CD read health from it);
 * the others explain which part of the kind's job is or is not working.
 */
export const ConditionType = {
  Ready: 'Ready',
  // kstatus' abnormal-true conditions, on every kind (runtime's setProgress writes them)
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  // ModelDeployment
  OwnerReviewed: 'OwnerReviewed',
  ContractSatisfied: 'ContractSatisfied',
  GovernanceSatisfied: 'GovernanceSatisfied',
  RolloutBlocked: 'RolloutBlocked',
  ReviewOverdue: 'ReviewOverdue',
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
  Reconciling:
    'All kinds (kstatus). Present, and True, only while the controller is still working toward the spec: a ModelDeployment whose version rolls out or waits for its pipeline to promote one. Absent otherwise; a RetrainPipeline run in progress is the pipeline at work, not reconciling.',
  Stalled:
    'All kinds (kstatus). Present, and True, only while the controller cannot reach the spec without a change by a person: an invalid spec, a missing reference, a ModelDeployment gate that fails or a rollout stuck with nothing to roll back to, an OutputContract that is not Ready. Reason and message are the blocking ones. Absent otherwise.',
  OwnerReviewed: 'ModelDeployment. An owner is named and was reviewed within reviewInterval.',
  ContractSatisfied:
    'ModelDeployment. The declared output satisfies the referenced OutputContract and its range.',
  GovernanceSatisfied: 'ModelDeployment. Approvals and fairness bounds required by the risk class hold.',
  RolloutBlocked:
    'ModelDeployment. The desired version fails a gate; the last admitted version keeps serving.',
  ReviewOverdue:
    'ModelDeployment. lastReviewed + reviewInterval has passed: new versions are blocked, steward_owner_review_overdue is 1, the admitted version keeps serving. Unknown while there is no review date to be overdue against (OwnerReviewed says what is missing).',
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
