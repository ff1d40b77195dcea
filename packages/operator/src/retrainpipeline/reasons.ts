/** Event reasons of the RetrainPipeline controller (condition reasons are `Reason` in @steward/api). */
export const RetrainEvent = {
  RunStarted: 'RunStarted',
  RunSkipped: 'RunSkipped',
  RunCancelled: 'RunCancelled',
  CandidateTrained: 'CandidateTrained',
  CandidateRejected: 'CandidateRejected',
  CandidatePromoted: 'CandidatePromoted',
  AwaitingApproval: 'AwaitingApproval',
  RunFailed: 'RunFailed',
  DriftRequestIgnored: 'DriftRequestIgnored',
  DrillStarted: 'DrillStarted',
  DrillSkipped: 'DrillSkipped',
  DrillPassed: 'DrillPassed',
  DrillFailed: 'DrillFailed',
} as const;
export type RetrainEvent = (typeof RetrainEvent)[keyof typeof RetrainEvent];

/** `steward_retrain_runs_total{result}`: one value per way a run ends. */
export const RunResult = {
  Promoted: 'promoted',
  AwaitingApproval: 'awaiting_approval',
  Rejected: 'rejected',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type RunResult = (typeof RunResult)[keyof typeof RunResult];

/** The `result` label of steward_retrain_drills_total: how a fire drill ended. */
export const DrillResult = { Passed: 'passed', Failed: 'failed' } as const;
export type DrillResult = (typeof DrillResult)[keyof typeof DrillResult];
