import { ConditionType, Reason } from '@steward/api';
import { describe, expect, it } from 'vitest';
import { decide, type Observed } from './decide.ts';
import { APPROVER, applied, baseSpec, exampleContract, type Json, OWNER, observe } from './test-fixtures.ts';

type Edit = (spec: Json) => void;
const at = (spec: Json, ...path: string[]): Json => path.reduce((node, key) => node[key] as Json, spec);
const governance = (spec: Json) => at(spec, 'governance');
const outputFields = (spec: Json) => at(spec, 'output').fields as Json[];
const contractWith = (edit: (contract: Json) => void): Observed['contract'] => {
  const spec = structuredClone(exampleContract.spec) as unknown as Json;
  edit(spec);
  return { spec };
};

interface Case {
  name: string;
  edit?: Edit;
  observed?: Partial<Observed>;
  /** Every reason RolloutBlocked lists, in order; empty: the version is admitted. */
  blocked: Reason[];
  /** A part of the failure messages. */
  says?: string;
}

const cases: Case[] = [
  // Owner
  { name: 'admits a fully governed high-risk version approved by someone else', blocked: [] },
  {
    name: 'blocks a model without an owner',
    edit: (s) => delete s.owner,
    blocked: [Reason.OwnerMissing],
    says: 'spec.owner is not set',
  },
  {
    name: 'blocks an owner whose name is blank',
    edit: (s) => {
      at(s, 'owner').name = '   ';
    },
    blocked: [Reason.OwnerMissing],
    says: 'spec.owner.name is blank',
  },
  {
    name: 'blocks an owner who never reviewed the model',
    edit: (s) => delete at(s, 'owner').lastReviewed,
    blocked: [Reason.OwnerNeverReviewed],
    says: 'spec.owner.lastReviewed is not set',
  },
  {
    name: 'blocks an owner review older than reviewInterval and says when it was due',
    edit: (s) => {
      at(s, 'owner').lastReviewed = '2026-08-01';
    },
    blocked: [Reason.OwnerReviewOverdue],
    says: 'was due on 2026-10-30 (26 days ago)',
  },
  {
    name: 'counts a review due today as overdue',
    edit: (s) => {
      at(s, 'owner').lastReviewed = '2026-08-27';
    },
    blocked: [Reason.OwnerReviewOverdue],
    says: 'due on 2026-11-25',
  },
  {
    name: 'admits a review due tomorrow',
    edit: (s) => {
      at(s, 'owner').lastReviewed = '2026-08-28';
    },
    blocked: [],
  },
  {
    name: 'honours a shorter reviewInterval',
    edit: (s) => Object.assign(at(s, 'owner'), { reviewInterval: '1w', lastReviewed: '2026-11-10' }),
    blocked: [Reason.OwnerReviewOverdue],
    says: 'reviewInterval 1w',
  },
  {
    name: 'does not accept a review dated in the future',
    edit: (s) => {
      at(s, 'owner').lastReviewed = '2027-01-01';
    },
    blocked: [Reason.OwnerNeverReviewed],
    says: 'is in the future',
  },
  // Output contract
  { name: 'admits a model that names no output contract', edit: (s) => delete s.outputContract, blocked: [] },
  {
    name: 'blocks a model whose OutputContract does not exist',
    observed: { contract: undefined },
    blocked: [Reason.ContractNotFound],
    says: "OutputContract 'fraud-score' does not exist",
  },
  {
    name: 'blocks a model whose OutputContract is invalid',
    observed: {
      contract: contractWith((c) => {
        c.version = 'two';
      }),
    },
    blocked: [Reason.InvalidSpec],
    says: 'spec.version',
  },
  {
    name: 'blocks a contract version outside versionRange',
    edit: (s) => {
      at(s, 'outputContract').versionRange = '^3.0.0';
    },
    blocked: [Reason.ContractVersionOutOfRange],
    says: 'outside spec.outputContract.versionRange ^3.0.0',
  },
  {
    name: 'blocks a declared output that drops a required field and names it',
    edit: (s) => {
      at(s, 'output').fields = outputFields(s).filter((f) => f.path !== 'decision');
    },
    blocked: [Reason.ContractBreaking],
    says: "spec.output field 'decision' (field-removed)",
  },
  {
    name: 'blocks a declared output that emits a label the contract does not know',
    edit: (s) => {
      outputFields(s)[1] = {
        path: 'decision',
        type: 'string',
        enum: ['approve', 'review', 'decline', 'escalate'],
      };
    },
    blocked: [Reason.ContractBreaking],
    says: "'escalate'",
  },
  {
    name: 'blocks a declared output whose range is wider than the contract',
    edit: (s) => {
      outputFields(s)[0] = { path: 'score', type: 'number', minimum: 0, maximum: 100 };
    },
    blocked: [Reason.ContractBreaking],
    says: "field 'score'",
  },
  {
    name: 'admits a declared output tighter than the contract',
    edit: (s) => {
      outputFields(s)[1] = { path: 'decision', type: 'string', enum: ['approve', 'decline'] };
    },
    blocked: [],
  },
  {
    name: 'admits a declared output that leaves out an optional field',
    edit: (s) => {
      at(s, 'output').fields = outputFields(s).filter((f) => f.path !== 'summary');
    },
    blocked: [],
  },
  {
    name: 'blocks when a consumer of the contract does not accept its version',
    observed: {
      contract: contractWith((c) => {
        (c.consumers as Json[])[0] = {
          name: 'payments-gateway',
          contact: 'pay@example.com',
          accepts: '^1.0.0',
        };
      }),
    },
    blocked: [Reason.ConsumerRangeUnsatisfied],
    says: "consumer 'payments-gateway' accepts ^1.0.0",
  },
  {
    name: 'lists every contract failure at once',
    edit: (s) => {
      at(s, 'outputContract').versionRange = '^3.0.0';
      at(s, 'output').fields = outputFields(s).filter((f) => f.path !== 'score');
    },
    blocked: [Reason.ContractVersionOutOfRange, Reason.ContractBreaking],
  },
  // Governance
  {
    name: 'admits a minimal-risk model without evaluation or approvals',
    edit: (s) => {
      s.governance = { riskClass: 'minimal' };
    },
    blocked: [],
  },
  {
    name: 'admits a model without any governance section (minimal by default)',
    edit: (s) => delete s.governance,
    blocked: [],
  },
  {
    name: 'blocks a limited-risk model without evaluation results',
    edit: (s) => {
      s.governance = { riskClass: 'limited' };
    },
    blocked: [Reason.GovernanceIncomplete],
    says: 'riskClass limited requires spec.governance.evaluation',
  },
  {
    name: 'blocks a fairness result above its max, whatever the risk class',
    edit: (s) =>
      Object.assign(
        governance(s),
        { riskClass: 'minimal' },
        { fairness: [{ metric: 'fpr_ratio', attribute: 'age_band', value: 1.4, max: 1.25 }] },
      ),
    blocked: [Reason.FairnessBoundViolated],
    says: 'spec.governance.fairness[0] fpr_ratio on age_band is 1.4, outside [-inf, 1.25]',
  },
  {
    name: 'blocks a fairness result below its min',
    edit: (s) => {
      (governance(s).fairness as Json[])[1] = {
        metric: 'dp_ratio',
        attribute: 'country',
        value: 0.7,
        min: 0.8,
      };
    },
    blocked: [Reason.FairnessBoundViolated],
    says: 'fairness[1]',
  },
  {
    name: 'blocks a high-risk version without any approval',
    edit: (s) => delete governance(s).approvals,
    blocked: [Reason.ApprovalMissing],
    says: 'requires an approval of version 2.3.1',
  },
  {
    name: 'blocks a high-risk version approved only for another version',
    edit: (s) => {
      governance(s).approvals = [
        { approver: APPROVER, version: '2.3.0', approvedAt: '2026-10-03T09:30:00Z' },
      ];
    },
    blocked: [Reason.ApprovalMissing],
    says: 'approvals of other versions (2.3.0) do not carry over',
  },
  {
    name: 'blocks a high-risk version approved only by its owner (e-mail)',
    edit: (s) => {
      governance(s).approvals = [{ approver: OWNER, version: '2.3.1', approvedAt: '2026-10-03T09:30:00Z' }];
    },
    blocked: [Reason.ApprovalMissing],
    says: "the owner's own",
  },
  {
    name: 'blocks a high-risk version approved only by its owner (user name)',
    edit: (s) => {
      at(s, 'owner').username = 'amara';
      governance(s).approvals = [{ approver: 'amara', version: '2.3.1', approvedAt: '2026-10-03T09:30:00Z' }];
    },
    blocked: [Reason.ApprovalMissing],
  },
  {
    name: 'admits a high-risk version once someone besides the owner approves it',
    edit: (s) => {
      governance(s).approvals = [
        { approver: OWNER, version: '2.3.1', approvedAt: '2026-10-03T09:30:00Z' },
        { approver: APPROVER, version: '2.3.1', approvedAt: '2026-10-04T09:30:00Z' },
      ];
    },
    blocked: [],
  },
  // Version from a RetrainPipeline
  {
    name: 'blocks versionFrom a RetrainPipeline that does not exist',
    edit: fromPipeline,
    blocked: [Reason.ReferenceNotFound],
    says: "RetrainPipeline 'fraud-retrain' does not exist",
  },
  {
    name: 'waits for a RetrainPipeline that has not promoted a version',
    edit: fromPipeline,
    observed: { pipeline: { status: {} } },
    blocked: [Reason.VersionPending],
  },
  {
    name: 'blocks a promoted version that is not semver',
    edit: fromPipeline,
    observed: { pipeline: { status: { promotedVersion: 'latest', promotedUri: 's3://m/latest/' } } },
    blocked: [Reason.InvalidSpec],
    says: "'latest'",
  },
  {
    name: 'holds a promoted version to the approval gate too',
    edit: fromPipeline,
    observed: { pipeline: { status: { promotedVersion: '2.4.0', promotedUri: 's3://m/2.4.0/' } } },
    blocked: [Reason.ApprovalMissing],
    says: 'version 2.4.0',
  },
  // All at once
  {
    name: 'lists every failing gate, not only the first',
    edit: (s) => {
      delete s.owner;
      delete governance(s).approvals;
      at(s, 'outputContract').versionRange = '^9.0.0';
    },
    blocked: [Reason.OwnerMissing, Reason.ContractVersionOutOfRange, Reason.ApprovalMissing],
  },
  {
    name: 'blocks a new version while spec.paused is true',
    edit: (s) => {
      s.paused = true;
    },
    blocked: [Reason.Paused],
  },
];

function fromPipeline(spec: Json): void {
  const model = at(spec, 'model');
  delete model.version;
  delete model.uri;
  model.versionFrom = { retrainPipeline: 'fraud-retrain' };
}

describe('decide: the rollout gates', () => {
  it.each(cases)('$name', ({ edit, observed, blocked, says }) => {
    const spec = baseSpec();
    edit?.(spec);
    const plan = decide(observe(spec, observed));
    const reasons = (plan.status.blockedReasons ?? []).map((r) => r.reason);
    expect(reasons).toEqual(blocked);
    const rolloutBlocked = plan.status.conditions?.find((c) => c.type === ConditionType.RolloutBlocked);
    expect(rolloutBlocked?.status).toBe(blocked.length > 0 ? 'True' : 'False');
    if (says !== undefined) expect(rolloutBlocked?.message).toContain(says);
    // Nothing was admitted before, so a blocked version means no Deployment at all.
    expect(applied(plan).deployment === undefined).toBe(blocked.length > 0);
    expect(plan.metrics.blockedReasons).toEqual([...new Set(blocked)]);
  });
});
