/**
 * The governance gate, by EU AI Act risk class: fairness results within their bounds (every class),
 * evaluation results (limited and high), and for high risk an approval of exactly the version being
 * rolled out, given by someone other than the owner.
 */
import { ConditionType, type ModelDeploymentSpec, Reason, RiskClass } from '@steward/api';
import { failure, type GateFailure, type GateVerdict } from './verdict.ts';

type Governance = NonNullable<ModelDeploymentSpec['governance']>;
type RiskClassName = Governance['riskClass'];

const NEEDS_EVALUATION: readonly RiskClassName[] = [RiskClass.Limited, RiskClass.High];

export function governanceGate(spec: ModelDeploymentSpec, version: string | undefined): GateVerdict {
  const governance = spec.governance;
  const riskClass = governance?.riskClass ?? RiskClass.Minimal;
  const failures = [
    ...completeness(governance, riskClass),
    ...fairnessFailures(governance?.fairness ?? []),
    ...(riskClass === RiskClass.High ? approvalFailures(spec, version) : []),
  ];
  return { type: ConditionType.GovernanceSatisfied, failures, passed: passMessage(spec, riskClass, version) };
}

function completeness(governance: Governance | undefined, riskClass: RiskClassName): GateFailure[] {
  const failures: GateFailure[] = [];
  const missing = (field: string) =>
    failure(Reason.GovernanceIncomplete, `riskClass ${riskClass} requires spec.governance.${field}`);
  if (NEEDS_EVALUATION.includes(riskClass) && (governance?.evaluation?.length ?? 0) === 0) {
    failures.push(missing('evaluation'));
  }
  // The API server enforces these for high risk; checked again for `steward check` on raw manifests.
  if (riskClass === RiskClass.High) {
    if (governance?.intendedPurpose === undefined) failures.push(missing('intendedPurpose'));
    if ((governance?.fairness?.length ?? 0) === 0) failures.push(missing('fairness'));
    if (governance?.trainingData === undefined) failures.push(missing('trainingData'));
  }
  return failures;
}

function fairnessFailures(results: Governance['fairness'] & object): GateFailure[] {
  return results.flatMap((result, index) => {
    const below = result.min !== undefined && result.value < result.min;
    const above = result.max !== undefined && result.value > result.max;
    if (!below && !above) return [];
    const bounds = `[${result.min ?? '-inf'}, ${result.max ?? '+inf'}]`;
    return [
      failure(
        Reason.FairnessBoundViolated,
        `spec.governance.fairness[${index}] ${result.metric} on ${result.attribute} is ${result.value}, outside ${bounds}`,
      ),
    ];
  });
}

/** The owner's identities: an approval from any of them does not count for a high-risk version. */
export function ownerIdentities(owner: ModelDeploymentSpec['owner']): string[] {
  if (owner === undefined) return [];
  return [owner.email, ...(owner.username === undefined ? [] : [owner.username])];
}

function approvalFailures(spec: ModelDeploymentSpec, version: string | undefined): GateFailure[] {
  if (version === undefined) return [];
  const forVersion = (spec.governance?.approvals ?? []).filter((approval) => approval.version === version);
  const owners = ownerIdentities(spec.owner);
  const independent = forVersion.filter((approval) => !owners.includes(approval.approver));
  if (independent.length > 0) return [];
  const others = (spec.governance?.approvals ?? []).filter((approval) => approval.version !== version);
  const notes = [
    ...(forVersion.length > 0
      ? [
          `the approval by ${forVersion.map((a) => a.approver).join(', ')} is the owner's own and does not count`,
        ]
      : []),
    ...(others.length > 0
      ? [
          `approvals of other versions (${[...new Set(others.map((a) => a.version))].join(', ')}) do not carry over`,
        ]
      : []),
  ];
  const detail = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  return [
    failure(
      Reason.ApprovalMissing,
      `riskClass high requires an approval of version ${version} in spec.governance.approvals by someone other than the owner${detail}`,
    ),
  ];
}

function passMessage(
  spec: ModelDeploymentSpec,
  riskClass: RiskClassName,
  version: string | undefined,
): string {
  const fairness = spec.governance?.fairness?.length ?? 0;
  const approvers = (spec.governance?.approvals ?? [])
    .filter((approval) => approval.version === version)
    .map((approval) => approval.approver);
  const approved = riskClass === RiskClass.High ? `; ${version} approved by ${approvers.join(', ')}` : '';
  return `riskClass ${riskClass}: ${fairness} fairness results within bounds${approved}`;
}
