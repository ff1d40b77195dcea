import { ConditionType, Decision, MAX_HISTORY, type ModelDeploymentStatus, Reason } from '@steward/api';
import { type Deployment, DeploymentType, ownedObject } from '@steward/runtime';
import { describe, expect, it } from 'vitest';
import { ModelDeploymentType } from '../kinds.ts';
import { AUDIT_RECORD_KEY, readAuditRecord, versionServedAt } from './audit.ts';
import {
  decide,
  type ModelDeploymentPlan,
  type Observed,
  type ObservedModelDeployment,
  type StatusPatch,
} from './decide.ts';
import { APPROVER, applied, baseSpec, type Json, NOW, observe } from './test-fixtures.ts';

/** The status after writing `patch` as a merge patch: null removes a field. */
function merged(status: ModelDeploymentStatus | undefined, patch: StatusPatch): ModelDeploymentStatus {
  const next: Record<string, unknown> = { ...(status ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as ModelDeploymentStatus;
}

/** One reconcile after another: each sees the status and audit record the previous one wrote. */
class Cluster {
  status: ModelDeploymentStatus | undefined;
  record: Record<string, string> | undefined;
  deployment: Deployment | undefined;
  generation = 1;

  reconcile(spec: Json, overrides: Partial<Observed> = {}): ModelDeploymentPlan {
    const observed = observe(
      spec,
      { deployment: this.deployment, auditRecord: this.record, ...overrides },
      this.status,
    );
    observed.model.metadata = { ...observed.model.metadata, generation: this.generation };
    const plan = decide(observed);
    this.status = merged(this.status, plan.status);
    this.record = applied(plan).audit;
    this.model = observed.model;
    return plan;
  }

  model: ObservedModelDeployment | undefined;

  /** The Deployment controller finished rolling out what Steward applied. */
  rolledOut(plan: ModelDeploymentPlan): void {
    this.deploymentReports(plan, (replicas) => ({
      replicas,
      updatedReplicas: replicas,
      availableReplicas: replicas,
    }));
  }

  /** The Deployment controller gave up on what Steward applied: no progress within the deadline. */
  stuck(plan: ModelDeploymentPlan, observedGeneration = 1): void {
    this.deploymentReports(
      plan,
      (replicas) => ({
        replicas,
        updatedReplicas: replicas,
        availableReplicas: 0,
        conditions: [
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: STUCK },
        ],
      }),
      observedGeneration,
    );
  }

  private deploymentReports(
    plan: ModelDeploymentPlan,
    status: (replicas: number) => NonNullable<Deployment['status']>,
    observedGeneration = 1,
  ): void {
    const desired = applied(plan).deployment;
    if (desired === undefined || this.model === undefined) throw new Error('nothing to roll out');
    // As act applies it: owned, labelled and stamped with the hash of its content.
    const deployment = structuredClone(
      ownedObject(ModelDeploymentType, this.model, DeploymentType, desired),
    ) as Deployment;
    deployment.metadata = { ...deployment.metadata, generation: 1 };
    deployment.status = { observedGeneration, ...status(deployment.spec?.replicas ?? 0) };
    this.deployment = deployment;
  }
}

// What the Deployment controller says when a rollout makes no progress within progressDeadlineSeconds.
const STUCK = 'ReplicaSet "fraud-scorer-7d9f" has timed out progressing.';

const condition = (plan: ModelDeploymentPlan, type: string) =>
  plan.status.conditions?.find((c) => c.type === type);
const image = (plan: ModelDeploymentPlan) =>
  applied(plan).deployment?.spec?.template?.spec?.containers[0]?.image;
const decisions = (status: ModelDeploymentStatus | undefined) =>
  (status?.history ?? []).map((e) => `${e.decision} ${e.version}`);

function newVersion(spec: Json, version: string): Json {
  const model = spec.model as Json;
  model.version = version;
  model.uri = `s3://ml-models/fraud-scorer/${version}/`;
  (spec.serving as Json).image = `ghcr.io/example/fraud-scorer-server:${version}`;
  return spec;
}

describe('decide: serving and the audit trail across reconciles', () => {
  it('keeps the admitted version in the Deployment while a new version is blocked, and rolls it out once approved', () => {
    const cluster = new Cluster();
    cluster.rolledOut(cluster.reconcile(baseSpec()));
    cluster.reconcile(baseSpec());
    const v2 = newVersion(baseSpec(), '2.4.0');
    cluster.generation = 2;
    const blocked = cluster.reconcile(v2);
    expect(image(blocked)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    expect(condition(blocked, ConditionType.RolloutBlocked)).toMatchObject({
      status: 'True',
      reason: Reason.ApprovalMissing,
    });
    expect(condition(blocked, ConditionType.RolloutBlocked)?.message).toContain('2.3.1 keeps serving');
    // kstatus: the new version waits for a person.
    expect(condition(blocked, ConditionType.Stalled)).toMatchObject({
      status: 'True',
      reason: Reason.ApprovalMissing,
    });
    expect(blocked.events).toContainEqual(
      expect.objectContaining({ type: 'Warning', reason: Reason.ApprovalMissing }),
    );
    expect(cluster.status?.servingVersion).toBe('2.3.1');
    expect(cluster.status?.desiredVersion).toBe('2.4.0');

    ((v2.governance as Json).approvals as Json[]).push({
      approver: APPROVER,
      version: '2.4.0',
      approvedAt: '2026-11-25T09:00:00Z',
    });
    cluster.generation = 3;
    const admitted = cluster.reconcile(v2);
    expect(image(admitted)).toBe('ghcr.io/example/fraud-scorer-server:2.4.0');
    expect(condition(admitted, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.RolloutProgressing,
    });
    expect(condition(admitted, ConditionType.Reconciling)).toMatchObject({
      status: 'True',
      reason: Reason.RolloutProgressing,
    });
    expect(condition(admitted, ConditionType.Stalled)).toBeUndefined();
    cluster.rolledOut(admitted);
    const done = cluster.reconcile(v2);
    expect(condition(done, ConditionType.Ready)).toMatchObject({ status: 'True', reason: Reason.RolledOut });
    expect(condition(done, ConditionType.Reconciling)).toBeUndefined();
    expect(decisions(cluster.status)).toEqual([
      'ApprovalRecorded 2.3.1',
      'Admitted 2.3.1',
      'RolledOut 2.3.1',
      'Blocked 2.4.0',
      'ApprovalRecorded 2.4.0',
      'Admitted 2.4.0',
      'RolledOut 2.4.0',
    ]);
  });

  it('appends nothing and emits no event when it re-runs on the same state', () => {
    const cluster = new Cluster();
    cluster.reconcile(baseSpec());
    const before = cluster.status?.history;
    const record = cluster.record;
    const again = cluster.reconcile(baseSpec());
    expect(again.events).toEqual([]);
    expect(cluster.status?.history).toEqual(before);
    expect(applied(again).audit).toEqual(record);
  });

  it('records a model waiting for its pipeline to promote as blocked once, not on every reconcile', () => {
    const spec = baseSpec();
    (spec.model as Json).version = undefined;
    (spec.model as Json).versionFrom = { retrainPipeline: 'fraud-retrain' };
    const cluster = new Cluster();
    cluster.reconcile(spec);
    const before = cluster.status?.history;
    expect(before?.filter((e) => e.decision === Decision.Blocked)).toHaveLength(1);
    const again = cluster.reconcile(spec);
    expect(cluster.status?.history).toEqual(before);
    expect(again.events).toEqual([]);
  });

  it('resolves no desired version once it follows a pipeline that has promoted nothing, and the promoted one after', () => {
    const cluster = new Cluster();
    cluster.rolledOut(cluster.reconcile(baseSpec()));
    cluster.generation = 2;
    cluster.reconcile(newVersion(baseSpec(), '2.4.0'));
    expect(cluster.status?.desiredVersion).toBe('2.4.0');

    const follower = baseSpec();
    const model = follower.model as Json;
    delete model.version;
    delete model.uri;
    model.versionFrom = { retrainPipeline: 'fraud-retrain' };
    cluster.generation = 3;
    const pending = cluster.reconcile(follower, { pipeline: { status: {} } });
    expect(pending.status.desiredVersion).toBeNull();
    expect(cluster.status?.desiredVersion).toBeUndefined();
    expect(cluster.status?.blockedReasons?.map((r) => r.reason)).toEqual([Reason.VersionPending]);
    expect(cluster.status?.servingVersion).toBe('2.3.1');
    expect(decisions(cluster.status).at(-1)).toBe(`${Decision.Blocked} unresolved`);

    const promoted = { status: { promotedVersion: '2.5.0', promotedUri: 's3://m/2.5.0/' } };
    cluster.reconcile(follower, { pipeline: promoted });
    expect(cluster.status?.desiredVersion).toBe('2.5.0');
  });

  it('applies a replica change while a new version is blocked: scaling is not a rollout', () => {
    const cluster = new Cluster();
    cluster.reconcile(baseSpec());
    const spec = newVersion(baseSpec(), '2.4.0');
    (spec.serving as Json).replicas = 5;
    const plan = cluster.reconcile(spec);
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    expect(applied(plan).deployment?.spec?.replicas).toBe(5);
  });

  it('keeps serving an admitted version whose owner review falls overdue, without calling it a blocked rollout', () => {
    const cluster = new Cluster();
    cluster.reconcile(baseSpec());
    const later = new Date('2027-03-01T00:00:00Z');
    const plan = cluster.reconcile(baseSpec(), { now: later });
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    expect(condition(plan, ConditionType.OwnerReviewed)).toMatchObject({
      status: 'False',
      reason: Reason.OwnerReviewOverdue,
    });
    expect(condition(plan, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.OwnerReviewOverdue,
    });
    expect(condition(plan, ConditionType.RolloutBlocked)?.status).toBe('False');
    expect(condition(plan, ConditionType.ReviewOverdue)).toMatchObject({
      status: 'True',
      reason: Reason.OwnerReviewOverdue,
      message: expect.stringContaining('was due on 2027-01-30 (30 days ago)'),
    });
    expect(plan.metrics.reviewOverdue).toBe(true);
    expect(plan.events).toContainEqual(expect.objectContaining({ reason: Reason.OwnerReviewOverdue }));
    const newOne = cluster.reconcile(newVersion(baseSpec(), '2.3.2'), { now: later });
    expect(image(newOne)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    expect(newOne.status.blockedReasons?.map((r) => r.reason)).toContain(Reason.OwnerReviewOverdue);
    expect(decisions(cluster.status).filter((d) => d.startsWith(Decision.ReviewOverdue))).toHaveLength(1);
  });

  it('says ReviewOverdue=False with the due date while the review is current, Unknown without a review date', () => {
    expect(condition(decide(observe(baseSpec())), ConditionType.ReviewOverdue)).toMatchObject({
      status: 'False',
      reason: Reason.ReviewCurrent,
      message: 'the next owner review is due on 2027-01-30',
    });
    const neverReviewed = baseSpec();
    delete (neverReviewed.owner as Json).lastReviewed;
    expect(condition(decide(observe(neverReviewed)), ConditionType.ReviewOverdue)).toMatchObject({
      status: 'Unknown',
      reason: Reason.OwnerNeverReviewed,
    });
    const ownerless = baseSpec();
    delete ownerless.owner;
    expect(condition(decide(observe(ownerless)), ConditionType.ReviewOverdue)).toMatchObject({
      status: 'Unknown',
      reason: Reason.OwnerMissing,
    });
  });

  it('asks to be woken when the owner review falls due', () => {
    const spec = baseSpec();
    Object.assign(spec.owner as Json, { lastReviewed: '2026-11-25', reviewInterval: '12h' });
    // Due at 12:00, two hours after NOW.
    expect(decide(observe(spec)).requeueAfterMs).toBe(2 * 3_600_000);
    // Due in January: look again within the cap.
    Object.assign(spec.owner as Json, { lastReviewed: '2026-11-01', reviewInterval: '90d' });
    expect(decide(observe(spec)).requeueAfterMs).toBe(6 * 3_600_000);
  });

  it('keeps serving the admitted version when the spec turns invalid', () => {
    const cluster = new Cluster();
    cluster.reconcile(baseSpec());
    const spec = baseSpec();
    (spec.model as Json).versionFrom = { retrainPipeline: 'fraud-retrain' };
    const plan = cluster.reconcile(spec);
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    expect(condition(plan, ConditionType.RolloutBlocked)).toMatchObject({
      status: 'True',
      reason: Reason.InvalidSpec,
    });
    expect(condition(plan, ConditionType.RolloutBlocked)?.message).toContain(
      'set exactly one of version or versionFrom',
    );
    expect(condition(plan, ConditionType.OwnerReviewed)?.status).toBe('Unknown');
    expect(condition(plan, ConditionType.ReviewOverdue)).toMatchObject({
      status: 'Unknown',
      reason: Reason.InvalidSpec,
    });
  });

  it('re-admits governance edits of the serving version while paused, but no new version', () => {
    const cluster = new Cluster();
    cluster.reconcile(baseSpec());
    const spec = baseSpec();
    spec.paused = true;
    (spec.governance as Json).limitations = ['Only EU card-not-present payments.'];
    const same = cluster.reconcile(spec);
    expect(same.status.blockedReasons).toBeNull();
    expect(applied(same).card?.['model-card.md']).toContain('Only EU card-not-present payments.');
    const next = cluster.reconcile(newVersion(spec, '2.4.0'));
    expect(next.status.blockedReasons?.map((r) => r.reason)).toContain(Reason.Paused);
  });

  it('overrides a hand-edited Deployment with the admitted version, with an event', () => {
    const cluster = new Cluster();
    cluster.rolledOut(cluster.reconcile(baseSpec()));
    const container = cluster.deployment?.spec?.template?.spec?.containers[0];
    if (container) container.image = 'ghcr.io/example/fraud-scorer-server:9.9.9';
    const plan = cluster.reconcile(baseSpec());
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    const revert = plan.events.find((e) => e.reason === Reason.DeploymentReverted);
    expect(revert?.note).toContain(
      'image ghcr.io/example/fraud-scorer-server:9.9.9 (admitted: ghcr.io/example/fraud-scorer-server:2.3.1)',
    );
  });

  it('does not mistake its own earlier write, seen late by the cache, for a hand edit', () => {
    const cluster = new Cluster();
    cluster.rolledOut(cluster.reconcile(baseSpec()));
    const v2 = newVersion(baseSpec(), '2.4.0');
    ((v2.governance as Json).approvals as Json[]).push({
      approver: APPROVER,
      version: '2.4.0',
      approvedAt: '2026-11-25T09:00:00Z',
    });
    cluster.generation = 2;
    cluster.reconcile(v2);
    // The cache still shows the 2.3.1 Deployment: an older write of ours, not an edit.
    const plan = cluster.reconcile(v2);
    expect(plan.events.map((e) => e.reason)).not.toContain(Reason.DeploymentReverted);
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.4.0');
  });

  it('recreates a deleted audit record from status, and keeps entries status has long dropped', () => {
    const cluster = new Cluster();
    cluster.reconcile(baseSpec());
    const old = {
      time: '2020-01-01T00:00:00Z',
      version: '0.1.0',
      decision: 'RolledOut',
      message: 'long ago',
    };
    cluster.record = { [AUDIT_RECORD_KEY]: `${JSON.stringify(old)}\nnot json\n` };
    for (let i = 0; i < MAX_HISTORY; i += 1) {
      cluster.reconcile(newVersion(baseSpec(), `3.0.${i}`), {
        now: new Date(NOW.getTime() + (i + 1) * 1000),
      });
    }
    expect(cluster.status?.history?.length).toBe(MAX_HISTORY);
    const record = readAuditRecord(cluster.record).entries;
    expect(record[0]).toEqual(old);
    expect(record.length).toBeGreaterThan(MAX_HISTORY);
    expect(versionServedAt(record, '2021-01-01T00:00:00Z')).toBe('0.1.0');

    cluster.record = undefined;
    const plan = cluster.reconcile(baseSpec());
    expect(readAuditRecord(applied(plan).audit).entries).toEqual(
      expect.arrayContaining(cluster.status?.history ?? []),
    );
  });

  it('answers which version served when from the record', () => {
    const cluster = new Cluster();
    cluster.rolledOut(cluster.reconcile(baseSpec()));
    cluster.reconcile(baseSpec());
    const later = new Date(NOW.getTime() + 3_600_000);
    const v2 = newVersion(baseSpec(), '2.4.0');
    ((v2.governance as Json).approvals as Json[]).push({
      approver: APPROVER,
      version: '2.4.0',
      approvedAt: '2026-11-25T09:00:00Z',
    });
    cluster.rolledOut(cluster.reconcile(v2, { now: later }));
    cluster.reconcile(v2, { now: later });
    const record = readAuditRecord(cluster.record).entries;
    expect(versionServedAt(record, '2026-11-25T10:30:00Z')).toBe('2.3.1');
    expect(versionServedAt(record, '2026-11-25T11:30:00Z')).toBe('2.4.0');
    expect(versionServedAt(record, '2026-11-25T09:00:00Z')).toBeUndefined();
  });

  it('exports the model info and every blocking reason with the owner', () => {
    const cluster = new Cluster();
    const admitted = cluster.reconcile(baseSpec());
    expect(admitted.metrics).toEqual({
      info: { version: '2.3.1', owner: 'amara.okafor@example.com', team: 'risk-ml', riskClass: 'high' },
      owner: 'amara.okafor@example.com',
      reviewOverdue: false,
      blockedReasons: [],
    });
    const spec = newVersion(baseSpec(), '2.4.0');
    (spec.outputContract as Json).versionRange = '^3.0.0';
    expect(cluster.reconcile(spec).metrics.blockedReasons).toEqual([
      Reason.ContractVersionOutOfRange,
      Reason.ApprovalMissing,
    ]);
  });
});

/** A new version of the example, approved by someone other than the owner, so every gate passes. */
function approved(version: string): Json {
  const spec = newVersion(baseSpec(), version);
  ((spec.governance as Json).approvals as Json[]).push({
    approver: APPROVER,
    version,
    approvedAt: '2026-11-25T09:00:00Z',
  });
  return spec;
}

describe('decide: a rollout that fails', () => {
  /** 2.3.1 rolled out, then 2.4.0 admitted and stuck, then the reconcile that sees it stuck. */
  function stuckAfterRollout() {
    const cluster = new Cluster();
    cluster.rolledOut(cluster.reconcile(baseSpec()));
    cluster.reconcile(baseSpec());
    cluster.generation = 2;
    cluster.stuck(cluster.reconcile(approved('2.4.0')));
    return { cluster, plan: cluster.reconcile(approved('2.4.0')) };
  }

  it('rolls a stuck new version back to the last one that rolled out, and says so everywhere', () => {
    const { cluster, plan } = stuckAfterRollout();
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    expect(plan.status.admitted?.version).toBe('2.3.1');
    expect(plan.status.rolledBack).toMatchObject({
      version: '2.4.0',
      rolledBackAt: '2026-11-25T10:00:00Z',
      message: `rollout of 2.4.0 stuck: ${STUCK}; restored 2.3.1`,
    });
    expect(condition(plan, ConditionType.RolloutBlocked)).toMatchObject({
      status: 'True',
      reason: Reason.RolledBack,
      message: expect.stringContaining('the rollout of 2.4.0 was rolled back'),
    });
    expect(condition(plan, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.RolledBack,
    });
    expect(plan.events).toContainEqual(
      expect.objectContaining({ type: 'Warning', reason: Reason.RolledBack, action: 'RollBack' }),
    );
    expect(plan.metrics.blockedReasons).toEqual([Reason.RolledBack]);
    expect(cluster.status?.history?.at(-2)).toMatchObject({
      decision: Decision.RolledBack,
      version: '2.4.0',
      reasons: [Reason.RolledBack],
      message: expect.stringContaining(STUCK),
    });
    expect(readAuditRecord(cluster.record).entries.map((e) => e.decision)).toContain(Decision.RolledBack);
  });

  it('keeps the failed version blocked on every later reconcile, recording the rollback once', () => {
    const { cluster, plan } = stuckAfterRollout();
    cluster.rolledOut(plan);
    const again = cluster.reconcile(approved('2.4.0'));
    cluster.reconcile(approved('2.4.0'));
    expect(image(again)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    expect(condition(again, ConditionType.RolloutBlocked)?.reason).toBe(Reason.RolledBack);
    expect(decisions(cluster.status).filter((d) => d.startsWith(Decision.RolledBack))).toEqual([
      'RolledBack 2.4.0',
    ]);
    expect(cluster.status?.servingVersion).toBe('2.3.1');
  });

  it('admits another version after a rollback, after which the failed one may be tried again', () => {
    const { cluster } = stuckAfterRollout();
    cluster.generation = 3;
    const next = cluster.reconcile(approved('2.4.1'));
    expect(image(next)).toBe('ghcr.io/example/fraud-scorer-server:2.4.1');
    expect(next.status.rolledBack).toBeNull();
    cluster.generation = 4;
    expect(image(cluster.reconcile(approved('2.4.0')))).toBe('ghcr.io/example/fraud-scorer-server:2.4.0');
  });

  it('does not roll back a first version that never rolled out: there is nothing to go back to', () => {
    const cluster = new Cluster();
    cluster.stuck(cluster.reconcile(baseSpec()));
    const plan = cluster.reconcile(baseSpec());
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.3.1');
    expect(plan.status.rolledBack).toBeNull();
    expect(condition(plan, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.RolloutProgressing,
      message: `rollout of 2.3.1 stuck: ${STUCK}`,
    });
    expect(condition(plan, ConditionType.Stalled)).toMatchObject({
      status: 'True',
      reason: Reason.RolloutStuck,
    });
  });

  it('ignores a deadline the Deployment controller reported before it saw the new version', () => {
    const cluster = new Cluster();
    cluster.rolledOut(cluster.reconcile(baseSpec()));
    cluster.reconcile(baseSpec());
    cluster.generation = 2;
    // The Deployment is at generation 1 but reports generation 0: its verdict is about an older template.
    cluster.stuck(cluster.reconcile(approved('2.4.0')), 0);
    const plan = cluster.reconcile(approved('2.4.0'));
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.4.0');
    expect(plan.status.rolledBack).toBeNull();
  });

  it('rolls out a newer version that passes every gate instead of rolling back', () => {
    // A new spec arrives before the stuck rollout was noticed: the next version replaces it.
    const cluster = new Cluster();
    cluster.rolledOut(cluster.reconcile(baseSpec()));
    cluster.reconcile(baseSpec());
    cluster.generation = 2;
    cluster.stuck(cluster.reconcile(approved('2.4.0')));
    cluster.generation = 3;
    const plan = cluster.reconcile(approved('2.5.0'));
    expect(image(plan)).toBe('ghcr.io/example/fraud-scorer-server:2.5.0');
    expect(decisions(cluster.status)).not.toContain('RolledBack 2.4.0');
    expect(plan.status.rolledBack).toBeNull();
  });

  it('sets the Deployment’s progress deadline from spec.serving', () => {
    const spec = baseSpec();
    (spec.serving as Json).progressDeadlineSeconds = 120;
    expect(applied(decide(observe(spec))).deployment?.spec?.progressDeadlineSeconds).toBe(120);
  });
});

describe('decide: the owned Deployment and Service', () => {
  const plan = decide(observe(baseSpec()));
  const pod = applied(plan).deployment?.spec?.template?.spec;
  const container = pod?.containers[0];

  it('runs the model server under Pod Security restricted', () => {
    expect(pod?.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod?.automountServiceAccountToken).toBe(false);
  });

  it('tells the server what it serves and references secrets instead of inlining them', () => {
    expect(container?.env).toContainEqual({ name: 'MODEL_URI', value: 's3://ml-models/fraud-scorer/2.3.1/' });
    expect(container?.env).toContainEqual({
      name: 'FEATURE_STORE_TOKEN',
      valueFrom: { secretKeyRef: { name: 'feature-store', key: 'token' } },
    });
  });

  it('runs the image as spec.serving says: its own entry point unless command is set, no probe unless readinessPath is', () => {
    expect(container?.command).toBeUndefined();
    expect(container?.args).toEqual(['--model-dir=/models', '--workers=2']);
    expect(container?.readinessProbe).toBeUndefined();
    const spec = baseSpec();
    Object.assign(spec.serving as Json, {
      command: ['node', '/app/examples/fraud-scoring/model-server/src/main.ts'],
      readinessPath: '/readyz',
    });
    const server = applied(decide(observe(spec))).deployment?.spec?.template?.spec?.containers[0];
    expect(server?.command).toEqual(['node', '/app/examples/fraud-scoring/model-server/src/main.ts']);
    expect(server?.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'http' } });
    expect(server?.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  it('labels with the recommended labels and selects on labels that never change with the version', () => {
    expect(applied(plan).deployment?.metadata?.labels).toMatchObject({
      'app.kubernetes.io/name': 'fraud-scorer',
      'app.kubernetes.io/version': '2.3.1',
      'app.kubernetes.io/managed-by': 'steward',
      'mlops.steward.dev/owner-team': 'risk-ml',
    });
    expect(applied(plan).deployment?.spec?.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'fraud-scorer',
      'app.kubernetes.io/instance': 'fraud-scorer',
    });
    expect(applied(plan).service?.spec?.selector).toEqual(
      applied(plan).deployment?.spec?.selector.matchLabels,
    );
  });

  it('turns a team name with spaces into a valid label value', () => {
    const spec = baseSpec();
    (spec.owner as Json).team = 'Risk & Fraud ML';
    const labels = applied(decide(observe(spec))).deployment?.metadata?.labels ?? {};
    expect(labels['mlops.steward.dev/owner-team']).toMatch(/^Risk-Fraud-ML-[0-9a-f]{8}$/);
  });
});
