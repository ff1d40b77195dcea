import { readFileSync } from 'node:fs';
import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import { JsonStrictValidator } from '@cyclonedx/cyclonedx-library/Validation';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  type Condition,
  ConditionType,
  GROUP,
  type ModelDeployment,
  type OutputContract,
  Reason,
} from '@steward/api';
import { ModelDeploymentType, OutputContractType } from '@steward/operator';
import {
  type ConfigMap,
  ConfigMapType,
  type Deployment,
  DeploymentType,
  EventType,
  isNotFound,
  KubeClient,
} from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installApprovalPolicy } from '../harness/approval-policy.ts';
import { installCrds, kubeRequest } from '../harness/crds.ts';
import { eventually, identitiesWithRole, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { admitted, blockedFor } from '../harness/model-gates.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';

const namespace = useTestNamespace();
// Far beyond what a reconcile on a local API server takes; 2-core CI machines need headroom.
const TIMEOUT_MS = 45_000;
const OWNER = 'model-owner';
const OFFICER = 'risk-officer';

const read = <T>(file: string) =>
  load(readFileSync(new URL(`../../examples/fraud-scoring/${file}`, import.meta.url), 'utf8')) as T;
const exampleModel = read<ModelDeployment>('model-deployment.yaml');
const exampleContract = read<OutputContract>('output-contract.yaml');
type Spec = ModelDeployment['spec'];
type Event = { reason?: string; note?: string; regarding?: { name?: string } };

const today = () => new Date().toISOString().slice(0, 10);
const identity = (account: string) => `system:serviceaccount:${namespace.name}:${account}`;
const image = (version: string) => `ghcr.io/example/fraud-scorer-server:${version}`;
const converged = <T>(what: string | (() => string), probe: () => Promise<T | undefined>) =>
  eventually(what, probe, TIMEOUT_MS);

/**
 * The example, reviewed today, with no pods to schedule (the control plane has no node) and no
 * approvals: each test adds what it is about.
 */
function spec(version: string, edit: (spec: Spec) => void = () => {}): Spec {
  const copy = structuredClone(exampleModel.spec);
  copy.model = { name: 'fraud-scorer', version, uri: `s3://ml-models/fraud-scorer/${version}/` };
  copy.serving = { ...copy.serving, image: image(version), replicas: 0 };
  copy.owner = { ...(copy.owner as NonNullable<Spec['owner']>), lastReviewed: today() };
  delete copy.governance?.approvals;
  edit(copy);
  return copy;
}
const minimalRisk = (s: Spec) => {
  s.governance = { riskClass: 'minimal' };
};

describe('the ModelDeployment controller, with the operator running as a process', () => {
  let operator: OperatorProcess;
  let client: KubeClient;
  let ownerClient: KubeConfig;
  let officerClient: KubeConfig;
  /** Spec edits per ModelDeployment made by this test: generation must move by exactly these. */
  const edits = new Map<string, number>();

  const get = (name: string) => client.get<ModelDeployment>(ModelDeploymentType, namespace.name, name);
  const deploymentOf = (name: string) =>
    client.get<Deployment>(DeploymentType, namespace.name, name).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
  const podImage = (deployment: Deployment | undefined) =>
    deployment?.spec?.template?.spec?.containers[0]?.image;
  const conditionOf = (model: ModelDeployment, type: string): Condition | undefined =>
    model.status?.conditions?.find((c) => c.type === type);

  async function create(name: string, body: Spec): Promise<void> {
    await client.create(ModelDeploymentType, {
      apiVersion: exampleModel.apiVersion,
      kind: exampleModel.kind,
      metadata: { name, namespace: namespace.name },
      spec: body,
    });
    edits.set(name, 1);
  }
  async function editSpec(name: string, patch: Partial<Spec>): Promise<void> {
    await client.mergePatch(ModelDeploymentType, namespace.name, name, { spec: patch });
    edits.set(name, (edits.get(name) ?? 0) + 1);
  }
  /** The model once status is written for its current generation and `until` holds. */
  async function observed(name: string, what: string, until: (model: ModelDeployment) => boolean) {
    let last: ModelDeployment | undefined;
    return converged(
      () => `${name}: ${what}; last status: ${JSON.stringify(last?.status?.conditions)}`,
      async () => {
        last = await get(name);
        const current = last.status?.observedGeneration === last.metadata.generation;
        return current && until(last) ? last : undefined;
      },
    );
  }
  const eventAbout = (name: string, reason: string) =>
    converged(`a ${reason} event about ${name}`, async () => {
      const events = (
        await client.list<Event & { metadata?: object }>(EventType, { namespace: namespace.name })
      ).items;
      return events.find((e) => e.regarding?.name === name && e.reason === reason);
    });
  const rolloutBlockedMetric = (name: string, reason: string) =>
    converged(`steward_rollout_blocked of ${name} for ${reason}`, async () =>
      new RegExp(`steward_rollout_blocked\\{[^}]*model="${name}"[^}]*reason="${reason}"`).test(
        await operator.metrics(),
      )
        ? true
        : undefined,
    );
  const servingImage = (name: string, expected: string) =>
    converged(`${name}: Deployment running ${expected}`, async () =>
      podImage(await deploymentOf(name)) === expected ? true : undefined,
    );

  beforeAll(async () => {
    const admin = testKubeConfig();
    await installCrds(admin);
    client = new KubeClient(admin);
    [ownerClient, officerClient] = (await identitiesWithRole(
      admin,
      namespace.name,
      {
        name: 'model-editor',
        rules: [{ apiGroups: [GROUP], resources: ['modeldeployments'], verbs: ['get', 'patch'] }],
      },
      [OWNER, OFFICER],
    )) as [KubeConfig, KubeConfig];
    await installApprovalPolicy(admin, namespace.name);
    await client.create(OutputContractType, {
      ...exampleContract,
      metadata: { ...exampleContract.metadata, namespace: namespace.name },
    });
    operator = await startOperatorProcess(namespace.name);
  });

  afterAll(async () => {
    expect(await operator?.stop()).toBe(0);
  });

  it('1. creates no Deployment without an owner, and one as soon as the owner is named', async () => {
    await create(
      'no-owner',
      spec('1.0.0', (s) => {
        minimalRisk(s);
        delete s.owner;
      }),
    );
    const blocked = await observed('no-owner', 'blocked for OwnerMissing', blockedFor(Reason.OwnerMissing));
    expect(conditionOf(blocked, ConditionType.OwnerReviewed)?.message).toContain('spec.owner is not set');
    // Children are applied before status is written: no Deployment now means none was decided.
    expect(await deploymentOf('no-owner')).toBeUndefined();
    await editSpec('no-owner', { owner: { ...spec('1.0.0').owner } as Spec['owner'] });
    await observed('no-owner', 'admitted', admitted('1.0.0'));
    await servingImage('no-owner', image('1.0.0'));
  });

  it('2. keeps v1 serving while v2 breaks the contract, naming the field, and rolls out the fixed v2', async () => {
    await create('contract', spec('2.1.0', minimalRisk));
    await observed('contract', 'v1 admitted', admitted('2.1.0'));
    const v1 = await converged('the v1 Deployment', () => deploymentOf('contract'));
    const breaking = spec('2.2.0', minimalRisk);
    const output = breaking.output as NonNullable<Spec['output']>;
    await editSpec('contract', {
      ...breaking,
      output: { ...output, fields: output.fields.filter((f) => f.path !== 'decision') },
    });
    const blocked = await observed('contract', 'v2 blocked', blockedFor(Reason.ContractBreaking));
    expect(conditionOf(blocked, ConditionType.ContractSatisfied)?.message).toContain(
      "spec.output field 'decision' (field-removed)",
    );
    const during = await deploymentOf('contract');
    expect(during?.spec?.template).toEqual(v1?.spec?.template);
    expect(blocked.status?.servingVersion ?? blocked.status?.admitted?.version).toBe('2.1.0');
    await editSpec('contract', { output });
    await observed('contract', 'v2 admitted', admitted('2.2.0'));
    await servingImage('contract', image('2.2.0'));
  });

  it('3. rolls a high-risk version out only on an approval of that version by someone other than the owner', async () => {
    await create(
      'high-risk',
      spec('2.3.1', (s) => {
        s.owner = { ...(s.owner as NonNullable<Spec['owner']>), username: identity(OWNER) };
      }),
    );
    await observed('high-risk', 'blocked for ApprovalMissing', blockedFor(Reason.ApprovalMissing));
    const approve = (kc: KubeConfig, approver: string, version: string) =>
      kubeRequest(
        kc,
        'PATCH',
        `/apis/${exampleModel.apiVersion}/namespaces/${namespace.name}/modeldeployments/high-risk`,
        {
          contentType: 'application/json-patch+json',
          body: [
            {
              op: 'add',
              path: '/spec/governance/approvals/-',
              value: { approver, version, approvedAt: '2026-11-25T10:00:00Z' },
            },
          ],
        },
      );
    const first = await kubeRequest(
      officerClient,
      'PATCH',
      `/apis/${exampleModel.apiVersion}/namespaces/${namespace.name}/modeldeployments/high-risk`,
      {
        contentType: 'application/json-patch+json',
        body: [
          {
            op: 'add',
            path: '/spec/governance/approvals',
            value: [{ approver: identity(OFFICER), version: '2.3.0', approvedAt: '2026-11-25T10:00:00Z' }],
          },
        ],
      },
    );
    expect(first.status, first.body).toBe(200);
    edits.set('high-risk', (edits.get('high-risk') ?? 0) + 1);
    const other = await observed(
      'high-risk',
      'still blocked by an approval of another version',
      (m) =>
        blockedFor(Reason.ApprovalMissing)(m) &&
        (m.status?.history ?? []).some((e) => e.decision === 'ApprovalRecorded'),
    );
    expect(conditionOf(other, ConditionType.GovernanceSatisfied)?.message).toContain(
      'approvals of other versions (2.3.0) do not carry over',
    );
    expect(await deploymentOf('high-risk')).toBeUndefined();

    const byOwner = await approve(ownerClient, identity(OWNER), '2.3.1');
    expect(byOwner.status).toBe(403);
    expect(byOwner.body).toContain('the owner of a high-risk model cannot approve it');
    const forged = await approve(ownerClient, identity(OFFICER), '2.3.1');
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('an approval can only be added by the identity it names');

    const genuine = await approve(officerClient, identity(OFFICER), '2.3.1');
    expect(genuine.status, genuine.body).toBe(200);
    edits.set('high-risk', (edits.get('high-risk') ?? 0) + 1);
    await observed('high-risk', 'admitted', admitted('2.3.1'));
    await servingImage('high-risk', image('2.3.1'));
  });

  it('4. an overdue owner review sets the condition and metric, blocks a new version, and serving continues', async () => {
    // The review falls due a few seconds from now, with nobody touching the resource: the controller
    // must wake up by itself at the due time (the interval counts seconds since midnight UTC).
    const secondsSinceMidnight = Math.floor((Date.now() - Date.parse(`${today()}T00:00:00Z`)) / 1000);
    const REVIEW_DUE_IN_SECONDS = 15;
    await create(
      'review',
      spec('3.0.0', (s) => {
        minimalRisk(s);
        s.owner = {
          ...(s.owner as NonNullable<Spec['owner']>),
          reviewInterval: `${secondsSinceMidnight + REVIEW_DUE_IN_SECONDS}s`,
        };
      }),
    );
    const current = await observed('review', 'admitted', admitted('3.0.0'));
    expect(conditionOf(current, ConditionType.ReviewOverdue)?.reason).toBe(Reason.ReviewCurrent);
    await servingImage('review', image('3.0.0'));
    const overdue = await observed(
      'review',
      'review overdue',
      (m) => conditionOf(m, ConditionType.ReviewOverdue)?.status === 'True',
    );
    expect(conditionOf(overdue, ConditionType.ReviewOverdue)).toMatchObject({
      reason: Reason.OwnerReviewOverdue,
      message: expect.stringContaining('was due on'),
    });
    expect(conditionOf(overdue, ConditionType.OwnerReviewed)).toMatchObject({
      status: 'False',
      reason: Reason.OwnerReviewOverdue,
    });
    const metrics = await converged('the overdue metric', async () => {
      const text = await operator.metrics();
      return /steward_owner_review_overdue\{[^}]*model="review"[^}]*\} 1/.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/steward_model_info\{[^}]*model="review"[^}]*version="3.0.0"/);
    const next = spec('3.1.0', minimalRisk);
    await editSpec('review', { model: next.model, serving: next.serving });
    const blocked = await observed('review', 'v3.1.0 blocked', blockedFor(Reason.OwnerReviewOverdue));
    expect(blocked.status?.admitted?.version).toBe('3.0.0');
    expect(podImage(await deploymentOf('review'))).toBe(image('3.0.0'));
    await rolloutBlockedMetric('review', Reason.OwnerReviewOverdue);
  });

  it('5. writes a model card with every section and a valid CycloneDX 1.6 ML-BOM', async () => {
    await create(
      'card',
      spec('2.3.1', (s) => {
        s.governance = { ...s.governance, riskClass: 'limited' } as Spec['governance'];
      }),
    );
    const model = await observed('card', 'admitted', admitted('2.3.1'));
    const name = model.status?.modelCard?.configMapName ?? '';
    const card = await client.get<ConfigMap>(ConfigMapType, namespace.name, name);
    const markdown = card.data?.['model-card.md'] ?? '';
    for (const section of [
      'Owner and oversight',
      'Intended purpose',
      'Out-of-scope uses and limitations',
      'Version and artefact',
      'Training data',
      'Evaluation by slice',
      'Fairness',
      'Output contract',
      'Monitoring and retraining in force',
      'Approvals',
      'Change log',
    ]) {
      expect(markdown).toContain(`## ${section}`);
    }
    for (const value of [
      'Amara Okafor <amara.okafor@example.com>',
      's3://ml-models/fraud-scorer/2.3.1/',
      's3://ml-data/fraud/training/2026-09-01/',
      '| auc | channel-mobile | 0.938 |',
      'OutputContract `fraud-score` version 2.1.0',
      '| Admitted |',
    ]) {
      expect(markdown).toContain(value);
    }
    const validator = new JsonStrictValidator(Version.v1dot6);
    expect(await validator.validate(card.data?.['model-card.json'] ?? '')).toBeNull();
  });

  it('reports a missing OutputContract and a missing RetrainPipeline as conditions', async () => {
    await create(
      'no-contract',
      spec('1.0.0', (s) => {
        minimalRisk(s);
        s.outputContract = { name: 'does-not-exist', versionRange: '^1.0.0' };
      }),
    );
    await observed('no-contract', 'ContractNotFound', blockedFor(Reason.ContractNotFound));
    // A model that served 1.0.0 and now follows a pipeline: status no longer claims 1.0.0 is desired.
    await create('no-pipeline', spec('1.0.0', minimalRisk));
    await observed('no-pipeline', 'admitted', admitted('1.0.0'));
    // A merge patch: null removes the fixed version, as the schema allows only one of version and versionFrom.
    const follow = {
      name: 'fraud-scorer',
      version: null,
      uri: null,
      versionFrom: { retrainPipeline: 'does-not-exist' },
    };
    await editSpec('no-pipeline', { model: follow as unknown as Spec['model'] });
    const waiting = await observed('no-pipeline', 'ReferenceNotFound', blockedFor(Reason.ReferenceNotFound));
    expect(waiting.status?.desiredVersion).toBeUndefined();
    expect(waiting.status?.admitted?.version).toBe('1.0.0');
  });

  it('rejects a malformed image reference with a readable message', async () => {
    const response = await kubeRequest(
      testKubeConfig(),
      'POST',
      `/apis/${exampleModel.apiVersion}/namespaces/${namespace.name}/modeldeployments`,
      {
        body: {
          apiVersion: exampleModel.apiVersion,
          kind: exampleModel.kind,
          metadata: { name: 'bad-image' },
          spec: spec('1.0.0', (s) => {
            minimalRisk(s);
            s.serving.image = 'Not An Image!';
          }),
        },
      },
    );
    expect(response.status).toBe(422);
    expect(response.body).toContain('spec.serving.image');
  });

  it('overrides a hand-edited Deployment back to the admitted version, with an event', async () => {
    await create('hand-edit', spec('1.0.0', minimalRisk));
    await observed('hand-edit', 'admitted', admitted('1.0.0'));
    await servingImage('hand-edit', image('1.0.0'));
    const live = await deploymentOf('hand-edit');
    const container = live?.spec?.template?.spec?.containers[0];
    await client.jsonPatch(DeploymentType, namespace.name, 'hand-edit', [
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: `${container?.image}-patched` },
    ]);
    await servingImage('hand-edit', image('1.0.0'));
    await eventAbout('hand-edit', Reason.DeploymentReverted);
  });

  it('rolls a version whose rollout exceeds its progress deadline back to the last one that rolled out', async () => {
    // No node runs Pods here: a version with a replica never becomes available, so the real Deployment
    // controller (kube-controller-manager) reports ProgressDeadlineExceeded once the deadline passes.
    const PROGRESS_DEADLINE_SECONDS = 5;
    await create('rollback', spec('1.0.0', minimalRisk));
    await observed('rollback', '1.0.0 rolled out', (m) => m.status?.servingVersion === '1.0.0');
    const next = spec('1.1.0', minimalRisk);
    await editSpec('rollback', {
      model: next.model,
      serving: { ...next.serving, replicas: 1, progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS },
    });
    await servingImage('rollback', image('1.1.0'));
    const rolledBack = await observed('rollback', '1.1.0 rolled back', blockedFor(Reason.RolledBack));
    expect(rolledBack.status?.rolledBack).toMatchObject({
      version: '1.1.0',
      message: expect.stringMatching(
        /^rollout of 1\.1\.0 stuck: .*timed out progressing.*; restored 1\.0\.0$/,
      ),
    });
    expect(rolledBack.status?.admitted?.version).toBe('1.0.0');
    expect(rolledBack.status?.history?.map((e) => `${e.decision} ${e.version}`)).toContain(
      'RolledBack 1.1.0',
    );
    expect(conditionOf(rolledBack, ConditionType.RolloutBlocked)?.message).toContain(
      'the rollout of 1.1.0 was rolled back',
    );
    await servingImage('rollback', image('1.0.0'));
    await eventAbout('rollback', Reason.RolledBack);
    await rolloutBlockedMetric('rollback', Reason.RolledBack);
  });

  it('6. never changes a spec: generation moved only with the edits the tests made', async () => {
    for (const [name, count] of edits) {
      expect((await get(name)).metadata.generation, name).toBe(count);
    }
  });
});
