import type { KubeConfig } from '@kubernetes/client-node';
import {
  API_VERSION,
  APPROVAL_POLICY_NAME,
  buildApprovalPolicy,
  buildApprovalPolicyBinding,
  ModelDeploymentNames,
} from '@steward/api';
import { kubeRequest } from './crds.ts';
import { eventually } from './eventually.ts';

const ADMISSION_PATH = '/apis/admissionregistration.k8s.io/v1';
const FIELD_MANAGER = 'steward-test-policy';
// The API server loads a new policy through an informer, typically within a second.
const ACTIVE_TIMEOUT_MS = 30_000;

async function apply(
  kc: KubeConfig,
  collection: string,
  body: { metadata: { name: string }; spec: unknown },
) {
  const path = `${ADMISSION_PATH}/${collection}/${body.metadata.name}?fieldManager=${FIELD_MANAGER}&force=true`;
  const response = await kubeRequest(kc, 'PATCH', path, {
    body,
    contentType: 'application/apply-patch+yaml',
  });
  if (response.status >= 300)
    throw new Error(`applying ${body.metadata.name}: HTTP ${response.status} ${response.body}`);
}

/**
 * Installs the shipped approval policy (exactly as generated) and binds it to one namespace only, so
 * test files running beside this one on the shared control plane are not subject to it. The shipped
 * binding differs only in having no namespace selector. Resolves once the API server enforces it.
 */
export async function installApprovalPolicy(kc: KubeConfig, namespace: string): Promise<void> {
  await apply(kc, 'validatingadmissionpolicies', buildApprovalPolicy());
  const binding = buildApprovalPolicyBinding();
  await apply(kc, 'validatingadmissionpolicybindings', {
    ...binding,
    metadata: { ...binding.metadata, name: `${APPROVAL_POLICY_NAME}.${namespace}` },
    spec: {
      ...binding.spec,
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } },
    },
  });
  // A dry-run create of a forged approval: stored nowhere, rejected once the policy is in force.
  const forged = {
    apiVersion: API_VERSION,
    kind: ModelDeploymentNames.kind,
    metadata: { name: 'policy-probe', namespace },
    spec: {
      model: { name: 'probe', version: '1.0.0', uri: 's3://probe/1.0.0/' },
      serving: { image: 'example.com/probe:1' },
      governance: {
        approvals: [{ approver: 'nobody@example.com', version: '1.0.0', approvedAt: '2026-01-01T00:00:00Z' }],
      },
    },
  };
  const path = `/apis/${API_VERSION}/namespaces/${namespace}/${ModelDeploymentNames.plural}?dryRun=All`;
  await eventually(
    'the approval policy to be enforced',
    async () => ((await kubeRequest(kc, 'POST', path, { body: forged })).status === 403 ? true : undefined),
    ACTIVE_TIMEOUT_MS,
  );
}
