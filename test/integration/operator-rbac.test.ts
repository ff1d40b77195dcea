import { readFileSync } from 'node:fs';
import { type KubernetesObject, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { ConditionType, GROUP, type OutputContract, Reason } from '@steward/api';
import { addControllers, OutputContractType } from '@steward/operator';
import { EventType, KubeClient, Manager } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import {
  eventually,
  kubeConfigForServiceAccount,
  testKubeConfig,
  useTestNamespace,
} from '../harness/index.ts';

const namespace = useTestNamespace();
const SERVICE_ACCOUNT = 'steward-operator';
// Far beyond what a reconcile on a local API server takes; 2-core CI machines need headroom.
const TIMEOUT_MS = 30_000;

/** Exactly the rules docs/operator.md lists for the OutputContract controller and leader election. */
const RULES = [
  { apiGroups: [GROUP], resources: ['outputcontracts'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [GROUP], resources: ['outputcontracts/status'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
];

const converged = <T>(what: string, probe: () => Promise<T | undefined>) =>
  eventually(what, probe, TIMEOUT_MS);

describe('the operator with only the RBAC rules it documents', () => {
  let manager: Manager;
  let admin: KubeClient;

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    admin = new KubeClient(testKubeConfig());
    const rbac = testKubeConfig().makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: namespace.name,
      body: { metadata: { name: SERVICE_ACCOUNT }, rules: RULES },
    });
    const kubeConfig = await kubeConfigForServiceAccount(testKubeConfig(), namespace.name, SERVICE_ACCOUNT);
    await rbac.createNamespacedRoleBinding({
      namespace: namespace.name,
      body: {
        metadata: { name: SERVICE_ACCOUNT },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SERVICE_ACCOUNT },
        subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: namespace.name }],
      },
    });
    manager = new Manager({
      kubeConfig,
      httpPort: false,
      handleSignals: false,
      leaderElection: { namespace: namespace.name, name: 'steward-operator' },
      onLostLeadership: () => {},
    });
    addControllers(manager, { namespace: namespace.name });
    await manager.start();
  });

  afterAll(async () => {
    await manager?.stop();
  });

  it('publishes a contract, writes its history and status, and records its event', async () => {
    const example = load(
      readFileSync(new URL('../../examples/fraud-scoring/output-contract.yaml', import.meta.url), 'utf8'),
    ) as OutputContract;
    await admin.create(OutputContractType, {
      ...example,
      metadata: { ...example.metadata, namespace: namespace.name },
    });
    const contract = await converged('the contract to be reconciled', async () => {
      const live = await admin.get<OutputContract>(OutputContractType, namespace.name, example.metadata.name);
      return live.status?.observedGeneration === live.metadata.generation ? live : undefined;
    });
    expect(contract.status?.conditions?.find((c) => c.type === ConditionType.Ready)).toMatchObject({
      status: 'True',
      reason: Reason.Published,
    });
    await converged('the Published event', async () => {
      const events = (
        await admin.list<KubernetesObject & { reason?: string }>(EventType, { namespace: namespace.name })
      ).items;
      return events.find((event) => event.reason === Reason.Published);
    });
  });
});
