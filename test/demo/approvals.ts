import type { KubeConfig } from '@kubernetes/client-node';
import { API_VERSION, GROUP, type ModelDeployment, ModelDeploymentNames } from '@steward/api';
import { installApprovalPolicy } from '../harness/approval-policy.ts';
import { kubeRequest } from '../harness/crds.ts';
import { identitiesWithRole } from '../harness/kubeconfig.ts';
import { type DemoKube, modelName, namespace } from './kube.ts';

// Two real people of the story, as two real identities the API server authenticates: the model's owner
// and the model-risk officer. The shipped approval policy lets only the named identity add an approval
// and refuses the owner's approval of a high-risk version.

const OWNER_ACCOUNT = 'model-owner';
const OFFICER_ACCOUNT = 'risk-officer';
const identity = (account: string) => `system:serviceaccount:${namespace}:${account}`;
export const ownerIdentity = identity(OWNER_ACCOUNT);
export const officerIdentity = identity(OFFICER_ACCOUNT);

export interface Approvers {
  owner: KubeConfig;
  officer: KubeConfig;
}

/** Both identities, allowed to read and patch ModelDeployments, and the approval policy in force. */
export async function setUpApprovers(kube: DemoKube): Promise<Approvers> {
  const [owner, officer] = await identitiesWithRole(
    kube.kc,
    namespace,
    {
      name: 'model-approver',
      rules: [{ apiGroups: [GROUP], resources: [ModelDeploymentNames.plural], verbs: ['get', 'patch'] }],
    },
    [OWNER_ACCOUNT, OFFICER_ACCOUNT],
  );
  if (!owner || !officer) throw new Error('the demo needs both identities');
  await installApprovalPolicy(kube.kc, namespace);
  return { owner, officer };
}

const modelPath = `/apis/${API_VERSION}/namespaces/${namespace}/${ModelDeploymentNames.plural}/${modelName}`;

/**
 * `who` approves `version` as itself, the way a person does with `kubectl patch --type=json`; resolves
 * with the API server's answer (200, or 403 with the policy's message).
 */
export async function approve(
  who: KubeConfig,
  approver: string,
  role: string,
  version: string,
): Promise<{ status: number; body: string }> {
  const live = await kubeRequest(who, 'GET', modelPath);
  if (live.status !== 200)
    throw new Error(`reading ${modelName} as ${approver}: ${live.status} ${live.body}`);
  const model = JSON.parse(live.body) as ModelDeployment;
  const value = {
    approver,
    role,
    version,
    approvedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  // JSON patch cannot append to a list that does not exist yet.
  const operation =
    model.spec.governance?.approvals === undefined
      ? { op: 'add', path: '/spec/governance/approvals', value: [value] }
      : { op: 'add', path: '/spec/governance/approvals/-', value };
  return kubeRequest(who, 'PATCH', modelPath, {
    body: [operation],
    contentType: 'application/json-patch+json',
  });
}

/** The officer approves `version`, which must succeed; prints it. */
export async function officerApproves(approvers: Approvers, version: string): Promise<void> {
  const answer = await approve(approvers.officer, officerIdentity, 'model-risk-officer', version);
  if (answer.status !== 200)
    throw new Error(`${officerIdentity} approving ${version}: ${answer.status} ${answer.body}`);
  console.log(`   ${officerIdentity} (model-risk officer) approved ${version}, as that identity`);
}
