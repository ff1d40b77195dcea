import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { API_VERSION, APPROVAL_RULES, GROUP, type ModelDeployment, ModelDeploymentNames } from '@steward/api';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { installApprovalPolicy } from '../harness/approval-policy.ts';
import { installCrds, kubeRequest } from '../harness/crds.ts';
import { identitiesWithRole, testKubeConfig, useTestNamespace } from '../harness/index.ts';

const namespace = useTestNamespace();
const OWNER_ACCOUNT = 'model-owner';
const OFFICER_ACCOUNT = 'risk-officer';
const identity = (account: string) => `system:serviceaccount:${namespace.name}:${account}`;

const example = load(
  readFileSync(new URL('../../examples/fraud-scoring/model-deployment.yaml', import.meta.url), 'utf8'),
) as ModelDeployment;

type Approval = { approver: string; version: string; approvedAt: string; comment?: string };
const approval = (approver: string, version = '2.3.1'): Approval => ({
  approver,
  version,
  approvedAt: '2026-11-25T10:00:00Z',
});

/** The example without approvals, owned by the owner account, under `name`. */
function model(name: string, riskClass = 'high', approvals?: Approval[]): ModelDeployment {
  const spec = structuredClone(example.spec);
  const governance = { ...spec.governance, riskClass } as NonNullable<ModelDeployment['spec']['governance']>;
  delete governance.approvals;
  if (approvals !== undefined) governance.approvals = approvals;
  return {
    ...example,
    metadata: { name, namespace: namespace.name },
    spec: { ...spec, owner: { ...spec.owner, username: identity(OWNER_ACCOUNT) } as never, governance },
  };
}

const path = (name?: string) =>
  `/apis/${API_VERSION}/namespaces/${namespace.name}/${ModelDeploymentNames.plural}${name ? `/${name}` : ''}`;

async function create(kc: KubeConfig, body: ModelDeployment) {
  return kubeRequest(kc, 'POST', path(), { body });
}

/** A JSON patch, the way a person adds an approval with kubectl. */
async function patch(kc: KubeConfig, name: string, operations: unknown[]) {
  return kubeRequest(kc, 'PATCH', path(name), {
    body: operations,
    contentType: 'application/json-patch+json',
  });
}
const addApproval = (kc: KubeConfig, name: string, value: Approval) =>
  patch(kc, name, [{ op: 'add', path: '/spec/governance/approvals/-', value }]);
const firstApproval = (kc: KubeConfig, name: string, value: Approval) =>
  patch(kc, name, [{ op: 'add', path: '/spec/governance/approvals', value: [value] }]);

describe('the approval admission policy, with two real identities', () => {
  let admin: KubeConfig;
  let owner: KubeConfig;
  let officer: KubeConfig;

  beforeAll(async () => {
    admin = testKubeConfig();
    await installCrds(admin);
    [owner, officer] = (await identitiesWithRole(
      admin,
      namespace.name,
      {
        name: 'model-editor',
        rules: [
          {
            apiGroups: [GROUP],
            resources: ['modeldeployments'],
            verbs: ['get', 'create', 'patch', 'update'],
          },
        ],
      },
      [OWNER_ACCOUNT, OFFICER_ACCOUNT],
    )) as [KubeConfig, KubeConfig];
    await installApprovalPolicy(admin, namespace.name);
  });

  it('lets the named identity add its approval, and nobody else', async () => {
    expect((await create(owner, model('scorer-a'))).status).toBe(201);
    const forged = await firstApproval(owner, 'scorer-a', approval(identity(OFFICER_ACCOUNT)));
    expect(forged.status).toBe(403);
    expect(forged.body).toContain(
      `${APPROVAL_RULES.ownIdentity}: ${identity(OWNER_ACCOUNT)} added an approval of 2.3.1 naming ${identity(OFFICER_ACCOUNT)}`,
    );
    const genuine = await firstApproval(officer, 'scorer-a', approval(identity(OFFICER_ACCOUNT)));
    expect(genuine.status, genuine.body).toBe(200);
    expect(JSON.parse(genuine.body).spec.governance.approvals).toEqual([approval(identity(OFFICER_ACCOUNT))]);
  });

  it('refuses the owner’s approval of a high-risk model, but not of a minimal-risk one', async () => {
    expect((await create(owner, model('scorer-b'))).status).toBe(201);
    const own = await firstApproval(owner, 'scorer-b', approval(identity(OWNER_ACCOUNT)));
    expect(own.status).toBe(403);
    expect(own.body).toContain(`${APPROVAL_RULES.notOwner}: ${identity(OWNER_ACCOUNT)} is its owner`);

    expect((await create(owner, model('scorer-c', 'minimal'))).status).toBe(201);
    expect((await firstApproval(owner, 'scorer-c', approval(identity(OWNER_ACCOUNT)))).status).toBe(200);
  });

  it('forbids editing or removing an approval once made', async () => {
    expect((await create(owner, model('scorer-d'))).status).toBe(201);
    expect((await firstApproval(officer, 'scorer-d', approval(identity(OFFICER_ACCOUNT)))).status).toBe(200);
    const edited = await patch(officer, 'scorer-d', [
      { op: 'add', path: '/spec/governance/approvals/0/comment', value: 'actually, only for EU traffic' },
    ]);
    expect(edited.status).toBe(403);
    expect(edited.body).toContain(`${APPROVAL_RULES.immutable}: 2.3.1 by ${identity(OFFICER_ACCOUNT)}`);
    const removed = await patch(admin, 'scorer-d', [{ op: 'remove', path: '/spec/governance/approvals/0' }]);
    expect(removed.status).toBe(403);
    // A second approval, of the next version, goes beside the first.
    const next = await addApproval(officer, 'scorer-d', approval(identity(OFFICER_ACCOUNT), '2.4.0'));
    expect(next.status, next.body).toBe(200);
  });

  it('refuses a resource created with an approval its creator did not give, even from an admin', async () => {
    const created = await create(admin, model('scorer-e', 'high', [approval(identity(OFFICER_ACCOUNT))]));
    expect(created.status).toBe(403);
    expect(created.body).toContain(APPROVAL_RULES.ownIdentity);
  });

  it('leaves the operator’s status writes alone', async () => {
    expect((await create(owner, model('scorer-f'))).status).toBe(201);
    const status = await kubeRequest(admin, 'PATCH', `${path('scorer-f')}/status`, {
      body: { status: { desiredVersion: '2.3.1' } },
      contentType: 'application/merge-patch+json',
    });
    expect(status.status, status.body).toBe(200);
  });
});
