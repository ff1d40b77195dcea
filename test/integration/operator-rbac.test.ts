import { readFileSync } from 'node:fs';
import { type KubernetesObject, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import {
  ConditionType,
  GROUP,
  type OutputContract,
  RETRAIN_REQUESTED_ANNOTATION,
  Reason,
  type RetrainPipeline,
} from '@steward/api';
import { addControllers, OutputContractType, RetrainPipelineType } from '@steward/operator';
import { EventType, JobType, KubeClient, Manager } from '@steward/runtime';
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

/** Exactly the rules docs/operator.md lists for the controllers and leader election. */
const RULES = [
  { apiGroups: [GROUP], resources: ['outputcontracts'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [GROUP], resources: ['outputcontracts/status'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch'] },
  { apiGroups: [GROUP], resources: ['retrainpipelines'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [GROUP], resources: ['retrainpipelines/status'], verbs: ['patch'] },
  { apiGroups: [GROUP], resources: ['modeldeployments', 'driftmonitors'], verbs: ['list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list', 'watch', 'create', 'patch', 'delete'] },
  { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
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

  it('runs a RetrainPipeline: creates the train Job of a requested run and records the run in status', async () => {
    await admin.create(RetrainPipelineType, {
      apiVersion: 'mlops.steward.dev/v1alpha1',
      kind: 'RetrainPipeline',
      metadata: {
        name: 'rbac-retrain',
        namespace: namespace.name,
        annotations: { [RETRAIN_REQUESTED_ANNOTATION]: 'one' },
      },
      spec: {
        modelDeployment: { name: 'fraud-scorer' },
        train: { image: 'registry.local/fraud-trainer:1' },
        validate: { image: 'registry.local/fraud-trainer:1' },
      },
    });
    const pipeline = await converged('a run in status', async () => {
      const live = await admin.get<RetrainPipeline>(RetrainPipelineType, namespace.name, 'rbac-retrain');
      return live.status?.activeRun === undefined ? undefined : live;
    });
    const jobs = await admin.list(JobType, { namespace: namespace.name });
    expect(jobs.items.map((job) => job.metadata?.name)).toContain(
      `rbac-retrain-${pipeline.status?.activeRun}-train`,
    );
  });
});
