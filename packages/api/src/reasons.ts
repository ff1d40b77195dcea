import { CheckOutcome } from './kinds/drift-monitor.ts';

// Machine-readable condition and event reasons (CamelCase, per metav1.Condition), grouped by the kind that sets
// them. Each group is written once, as the text docs/api.md shows for each reason; the constants are its keys, so a
// reason cannot exist without its documentation. Tests, docs, events, metrics and alerts share them.

/** Reasons every kind uses. */
const SHARED_REASON_DOCS = {
  Reconciled: 'Everything this condition checks holds.',
  ReferenceNotFound:
    'A referenced object (ModelDeployment, RetrainPipeline, DriftMonitor ...) does not exist.',
  InvalidSpec: 'The spec passed the API server but fails a rule only the controller can check.',
} as const;

/** Reasons the ModelDeployment controller sets. */
const MODEL_DEPLOYMENT_REASON_DOCS = {
  AllGatesPassed: 'Every rollout gate passed; the desired version is admitted.',
  OwnerMissing: 'spec.owner is not set: no owner, no rollout.',
  OwnerReviewOverdue: 'spec.owner.lastReviewed is older than reviewInterval.',
  OwnerNeverReviewed: 'spec.owner.lastReviewed is not set.',
  ReviewCurrent: 'The owner was reviewed within reviewInterval (ReviewOverdue is False).',
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
  RolloutStuck:
    'The rollout made no progress within the Deployment’s progress deadline and no earlier version rolled out to go back to (Stalled).',
  Paused: 'spec.paused is true; no new version is admitted.',
  ApprovalRecorded: 'An approval of a model version was recorded in the audit trail (event only).',
  DeploymentReverted:
    'A hand edit of the owned Deployment was overridden back to the admitted version (event only).',
} as const;

/** Reasons the OutputContract controller sets. */
const OUTPUT_CONTRACT_REASON_DOCS = {
  Published: 'The contract version is recorded.',
  BreakingChangeWithoutMajorBump: 'A breaking change was published without a major version bump.',
  VersionNotIncreased: 'The contract changed but its version did not increase.',
} as const;

/** Reasons the DriftMonitor controller sets. A check's outcome is its reason, under one name in the drift
 * library's verdict, status.lastResult.outcome and the conditions: NoDrift, Drift, SchemaDrift, Inconclusive, Failed. */
const DRIFT_MONITOR_REASON_DOCS = {
  [CheckOutcome.NoDrift]: 'The last check found every bound respected (DriftDetected=False).',
  [CheckOutcome.Drift]:
    'The last check found drift: the share of drifted features reached dataDrift.driftShare, model quality fell by more than maxDegradation, or a KPI or output-quality rate left its bounds. The message names each breach; status.lastResult holds the values.',
  [CheckOutcome.SchemaDrift]:
    'A feature vanished from the current data, lost every value or changed type (a data-quality breach; no retrain).',
  [CheckOutcome.Inconclusive]:
    'No verdict: too little data (below minSampleSize), or features that cannot be judged; status.lastResult names the cause per part.',
  [CheckOutcome.Failed]:
    'The check, or a part of it, could not run (a source unreadable, Prometheus unavailable, bad data); the message names the part and the cause.',
  CheckScheduled: 'The check CronJob exists.',
  Suspended: 'spec.suspend is true.',
  CheckSucceeded: 'The last check ran every part it was configured with.',
  NoRecentSuccess: 'No check succeeded within the allowed number of schedule periods.',
  RecentSuccess: 'A check succeeded within the allowed number of schedule periods.',
  AwaitingFirstCheck: 'No check has completed yet, and the monitor is younger than the allowed staleness.',
  RetrainTriggered: 'A breach triggered the RetrainPipeline in onDrift.',
  CooldownActive: 'A breach did not trigger a retrain because the cooldown has not passed.',
} as const;

/** Reasons the RetrainPipeline controller sets. */
const RETRAIN_PIPELINE_REASON_DOCS = {
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
} as const;

type Names<T> = { readonly [K in keyof T & string]: K };
const namesOf = <T extends object>(docs: T): Names<T> =>
  Object.fromEntries(Object.keys(docs).map((name) => [name, name])) as Names<T>;

export const SharedReason = namesOf(SHARED_REASON_DOCS);
export const ModelDeploymentReason = namesOf(MODEL_DEPLOYMENT_REASON_DOCS);
export const OutputContractReason = namesOf(OUTPUT_CONTRACT_REASON_DOCS);
export const DriftMonitorReason = namesOf(DRIFT_MONITOR_REASON_DOCS);
export const RetrainPipelineReason = namesOf(RETRAIN_PIPELINE_REASON_DOCS);

/** Every reason of every group, for code that takes any reason. */
export const Reason = {
  ...SharedReason,
  ...ModelDeploymentReason,
  ...OutputContractReason,
  ...DriftMonitorReason,
  ...RetrainPipelineReason,
};
export type Reason = (typeof Reason)[keyof typeof Reason];

/** Each group's reasons with what they say, in the order docs/api.md lists them. */
export const REASON_DOCS_BY_GROUP: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Every kind': SHARED_REASON_DOCS,
  ModelDeployment: MODEL_DEPLOYMENT_REASON_DOCS,
  OutputContract: OUTPUT_CONTRACT_REASON_DOCS,
  DriftMonitor: DRIFT_MONITOR_REASON_DOCS,
  RetrainPipeline: RETRAIN_PIPELINE_REASON_DOCS,
};
