/**
 * The chart on a real node: `helm install` brings the operator up in-cluster, two replicas running as the
 * chart's ServiceAccount of which one holds the Lease; it plays the fraud-scoring scenario under the chart's
 * approval policy; `helm uninstall` removes every object of the release and keeps the CRDs.
 *
 * The chart is cluster-wide (CRDs, the approval ValidatingAdmissionPolicy, a ClusterRole, an operator that
 * watches every namespace), so this file starts a cluster with a node of its own instead of changing the one
 * the other files share, whose own operators reconcile their namespaces beside it.
 */

import { readFileSync } from 'node:fs';
import { CoreV1Api, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { type ModelDeployment, Reason } from '@steward/api';
import { ModelDeploymentType } from '@steward/operator';
import { type Deployment, DeploymentType, KubeClient, LeaseType, PodType } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyObject,
  CHART_DIRECTORY,
  helmIn,
  objectPath,
  REPO_ROOT,
  releaseObjects,
  toolPath,
} from '../harness/chart.ts';
import { kubeRequest } from '../harness/crds.ts';
import { eventually } from '../harness/eventually.ts';
import { loadKubeConfig } from '../harness/kubeconfig.ts';
import { admitted, blockedFor } from '../harness/model-gates.ts';
import { provisionNodeAssets } from '../harness/node/assets.ts';
import { type ClusterWithNode, startClusterWithNode } from '../harness/node/node.ts';

const RELEASE = 'steward';
const NAMESPACE = 'steward-system';
// The scenario's namespace, as a user would keep models apart from the operator.
const SCENARIO = 'fraud-scoring';
const FIELD_MANAGER = 'steward-e2e';
const LEASE = 'steward-operator';
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const STEWARD_KINDS = ['modeldeployments', 'outputcontracts', 'driftmonitors', 'retrainpipelines'];
// A control plane and a node on a loaded 2-core machine (the e2e setup's own takes up to two minutes).
const CLUSTER_START_TIMEOUT_MS = 240_000;
// Two operator Pods start, sync their informers and pass /readyz; one then takes the Lease.
const OPERATOR_READY_TIMEOUT_MS = 180_000;
// One gate decision of a running operator: a watch event and a reconcile.
const STEP_TIMEOUT_MS = 60_000;
// A leader that shuts down releases the Lease at once; one that died is replaced after the 15 s lease duration.
const FAILOVER_TIMEOUT_MS = 60_000;
// Helm deletes at once; the garbage collector then removes the Deployment's ReplicaSet and Pods.
const GONE_TIMEOUT_MS = 120_000;
// Enough of an operator's log to show why it did not start.
const LOG_LINES = 20;

const example = <T>(file: string) =>
  load(readFileSync(`${REPO_ROOT}/examples/fraud-scoring/${file}`, 'utf8')) as T;
const exampleModel = example<ModelDeployment>('model-deployment.yaml');
const [exampleApproval] = exampleModel.spec.governance?.approvals ?? [];
if (exampleApproval === undefined) throw new Error('the example ModelDeployment has no approval to replay');
// The approver is an identity of the cluster: with the chart's policy, only she may add her approval.
const APPROVER = exampleApproval.approver;

let helm: ReturnType<typeof helmIn>;
let cluster: ClusterWithNode | undefined;

function started(): ClusterWithNode {
  if (!cluster) throw new Error('the cluster with a node did not start');
  return cluster;
}
const NamespaceType = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };
const admin = () => new KubeClient(started().controlPlane.kubeConfig());
const get = (path: string) => kubeRequest(started().controlPlane.kubeConfig(), 'GET', path);

async function apply(object: KubernetesObject): Promise<void> {
  const response = await applyObject(started().controlPlane.kubeConfig(), object, {
    fieldManager: FIELD_MANAGER,
  });
  if (response.status >= 300)
    throw new Error(
      `applying ${object.kind} ${object.metadata?.name}: HTTP ${response.status} ${response.body}`,
    );
}

/** The operator Pods of the release. */
async function operatorPods(): Promise<V1Pod[]> {
  const pods = await admin().list<V1Pod>(PodType, {
    namespace: NAMESPACE,
    labelSelector: `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=operator`,
  });
  return pods.items;
}

/** The operator Pods' last log lines, for a failure message: an operator that cannot start says why there. */
async function operatorLogs(): Promise<string> {
  const core = started().controlPlane.kubeConfig().makeApiClient(CoreV1Api);
  const logs = await Promise.all(
    (await operatorPods()).map(async (pod) => {
      const name = pod.metadata?.name ?? '';
      const log = await core
        .readNamespacedPodLog({ namespace: NAMESPACE, name, container: 'operator', tailLines: LOG_LINES })
        .catch((error: Error) => `(no log: ${error.message})`);
      return `--- ${name}\n${log}`;
    }),
  );
  return logs.join('\n');
}

/** One Pod's /metrics, fetched from this host through the node's bridge (the chart's port). */
async function podMetrics(pod: V1Pod): Promise<string> {
  const response = await fetch(`http://${pod.status?.podIP}:8080/metrics`);
  expect(response.status, `/metrics of ${pod.metadata?.name}`).toBe(200);
  return response.text();
}

const leadsOn = (metrics: string) =>
  metrics.includes(`leader_election_master_status{name="${NAMESPACE}/${LEASE}"} 1`);

/** The Lease's holder: the runtime's identity is `<host name>_<uuid>`, and a Pod's host name is its name. */
async function leaseHolder(): Promise<string> {
  const lease = await admin().get<KubernetesObject & { spec?: { holderIdentity?: string } }>(
    LeaseType,
    NAMESPACE,
    LEASE,
  );
  return lease.spec?.holderIdentity ?? '';
}
const holds = (holder: string, pod: V1Pod) => holder.startsWith(`${pod.metadata?.name}_`);

/** Waits until both replicas are available (ready: informers synced) and returns their Pods. */
async function availableOperatorPods(): Promise<V1Pod[]> {
  let last: Deployment | undefined;
  await eventually(
    () => `the operator Deployment to have 2 available replicas (status: ${JSON.stringify(last?.status)})`,
    async () => {
      last = await admin().get<Deployment>(DeploymentType, NAMESPACE, `${RELEASE}-operator`);
      return (last.status?.availableReplicas === 2 && last.status.replicas === 2) || undefined;
    },
    OPERATOR_READY_TIMEOUT_MS,
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}\noperator logs:\n${await operatorLogs()}`);
  });
  return (await operatorPods()).filter((pod) => pod.metadata?.deletionTimestamp === undefined);
}

/** The leader's /metrics: the Pod that holds the Lease. */
async function leaderMetrics(): Promise<string> {
  const holder = await leaseHolder();
  const pod = (await operatorPods()).find((p) => holds(holder, p));
  if (pod === undefined) throw new Error(`no operator Pod holds the Lease (holder: "${holder}")`);
  return podMetrics(pod);
}

/** Waits until the operator has decided on the current generation and `done` holds. */
async function modelReaches(what: string, done: (model: ModelDeployment) => boolean) {
  let last: ModelDeployment | undefined;
  return eventually(
    () =>
      `ModelDeployment fraud-scorer: ${what} (last status: ${JSON.stringify(last?.status?.blockedReasons)})`,
    async () => {
      last = await admin().get<ModelDeployment>(ModelDeploymentType, SCENARIO, 'fraud-scorer');
      const current = last.status?.observedGeneration === last.metadata?.generation;
      return current && done(last) ? last : undefined;
    },
    STEP_TIMEOUT_MS,
  );
}

const servingImage = async () =>
  (await admin().get<Deployment>(DeploymentType, SCENARIO, 'fraud-scorer')).spec?.template?.spec
    ?.containers?.[0]?.image;

// The node is this machine's; an existing cluster (kind) would be changed cluster-wide.
describe.skipIf(process.env.USE_EXISTING_CLUSTER === 'true')('helm install of the chart on the node', () => {
  beforeAll(async () => {
    cluster = await startClusterWithNode(provisionNodeAssets(), {
      identities: [{ user: APPROVER, groups: [] }],
    });
    const { controlPlane, stewardImage } = cluster;
    helm = helmIn(await toolPath('hack/helm/ensure.sh'), controlPlane.kubeconfigPath, NAMESPACE);
    // The operator's namespace enforces Pod Security "restricted", as the chart's docs recommend.
    await admin().create(NamespaceType, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    const separator = stewardImage.lastIndexOf(':');
    const install = await helm(
      'install',
      RELEASE,
      CHART_DIRECTORY,
      '--set',
      `image.repository=${stewardImage.slice(0, separator)}`,
      '--set',
      `image.tag=${stewardImage.slice(separator + 1)}`,
      // Imported into the node's containerd: never pulled.
      '--set',
      'image.pullPolicy=Never',
    );
    expect(install.code, install.stderr).toBe(0);
  }, CLUSTER_START_TIMEOUT_MS);

  afterAll(async () => {
    const problems = await cluster?.stop();
    expect(problems ?? []).toEqual([]);
  });

  it(
    'runs two operator replicas as the chart ServiceAccount; one holds the Lease, both answer /metrics',
    async () => {
      const pods = await availableOperatorPods();
      expect(pods).toHaveLength(2);
      for (const pod of pods) {
        expect(pod.spec?.serviceAccountName).toBe(RELEASE);
        expect(pod.spec?.nodeName).toBe(started().nodeName);
        // Admitted by Pod Security "restricted" and running read-only as 65532.
        expect(pod.spec?.containers[0]?.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
      }
      const holder = await eventually(
        'an operator Pod to hold the Lease',
        async () => (await leaseHolder()) || undefined,
        STEP_TIMEOUT_MS,
      );
      expect(pods.filter((pod) => holds(holder, pod))).toHaveLength(1);
      // Each replica says whether it leads: exactly one does.
      const leading = await Promise.all(pods.map(async (pod) => leadsOn(await podMetrics(pod))));
      expect(leading.filter(Boolean)).toHaveLength(1);
    },
    OPERATOR_READY_TIMEOUT_MS + STEP_TIMEOUT_MS,
  );

  it(
    'when the leader Pod is deleted, the standby replica takes the Lease',
    async () => {
      const pods = await availableOperatorPods();
      const holder = await eventually(
        'a Lease holder',
        async () => (await leaseHolder()) || undefined,
        STEP_TIMEOUT_MS,
      );
      const leader = pods.find((pod) => holds(holder, pod));
      const standby = pods.find((pod) => !holds(holder, pod));
      if (leader === undefined || standby === undefined)
        throw new Error(
          `expected a leader and a standby among ${pods.map((p) => p.metadata?.name)} (holder ${holder})`,
        );
      const deletedAt = Date.now();
      await admin().delete(PodType, NAMESPACE, leader.metadata?.name ?? '');
      // The leader releases the Lease on SIGTERM; else it expires after its 15 s duration.
      await eventually(
        `the standby ${standby.metadata?.name} to take the Lease`,
        async () => holds(await leaseHolder(), standby) || undefined,
        FAILOVER_TIMEOUT_MS,
      );
      console.log(
        `helm e2e: the standby took the Lease ${((Date.now() - deletedAt) / 1000).toFixed(1)} s after the leader Pod was deleted`,
      );
      expect(leadsOn(await podMetrics(standby))).toBe(true);
    },
    OPERATOR_READY_TIMEOUT_MS + STEP_TIMEOUT_MS + FAILOVER_TIMEOUT_MS,
  );

  it(
    'plays the fraud-scoring scenario: no owner, no rollout; approved by the approver only; a contract break is blocked while 2.3.1 serves',
    async () => {
      await availableOperatorPods();
      await admin().create(NamespaceType, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: SCENARIO },
      });
      // The approver may read and patch ModelDeployments there, and nothing else.
      await apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'model-approver', namespace: SCENARIO },
        rules: [
          { apiGroups: ['mlops.steward.dev'], resources: ['modeldeployments'], verbs: ['get', 'patch'] },
        ],
      } as KubernetesObject);
      await apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'model-approver', namespace: SCENARIO },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'model-approver' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: APPROVER }],
      } as KubernetesObject);
      const contract = example<KubernetesObject>('output-contract.yaml');
      await apply({ ...contract, metadata: { ...contract.metadata, namespace: SCENARIO } });

      // What a GitOps repository holds: no approvals (the approver adds hers), no Pods to pull (no registry).
      const { owner, ...withoutOwner } = exampleModel.spec;
      const governance = { ...exampleModel.spec.governance, approvals: undefined };
      const spec = { ...withoutOwner, governance, serving: { ...exampleModel.spec.serving, replicas: 0 } };
      const model = (modelSpec: object) =>
        ({
          apiVersion: exampleModel.apiVersion,
          kind: exampleModel.kind,
          metadata: { name: 'fraud-scorer', namespace: SCENARIO },
          spec: modelSpec,
        }) as KubernetesObject;

      await apply(model(spec));
      await modelReaches('blocked: no owner', blockedFor(Reason.OwnerMissing));

      await apply(model({ ...spec, owner }));
      const unapproved = await modelReaches(
        'blocked only for the missing approval',
        (m) => blockedFor(Reason.ApprovalMissing)(m) && !blockedFor(Reason.OwnerMissing)(m),
      );
      expect(unapproved.status?.admitted).toBeUndefined();

      // The admin may not add an approval naming someone else: the chart's policy is in force.
      const forged = await kubeRequest(
        started().controlPlane.kubeConfig(),
        'PATCH',
        await objectPath(started().controlPlane.kubeConfig(), model(spec)),
        {
          body: { spec: { governance: { approvals: [exampleApproval] } } },
          contentType: 'application/merge-patch+json',
        },
      );
      expect(forged.status).toBe(403);
      expect(forged.body).toContain('an approval can only be added by the identity it names');

      const approver = new KubeClient(loadKubeConfig(started().controlPlane.kubeconfigFor(APPROVER)));
      await approver.mergePatch(ModelDeploymentType, SCENARIO, 'fraud-scorer', {
        spec: { governance: { approvals: [exampleApproval] } },
      });
      const servingVersion = exampleModel.spec.model.version;
      await modelReaches(`admitted at ${servingVersion}`, admitted(servingVersion ?? ''));
      expect(await servingImage()).toBe(exampleModel.spec.serving.image);

      // 2.4.0 drops a field the contract requires.
      const output = {
        fields: (exampleModel.spec.output?.fields ?? []).filter((f) => f.path !== 'decision'),
      };
      const breaking = {
        ...spec,
        owner,
        model: { ...spec.model, version: '2.4.0', uri: 's3://ml-models/fraud-scorer/2.4.0/' },
        serving: { ...spec.serving, image: exampleModel.spec.serving.image.replace(/:[^:]+$/, ':2.4.0') },
        output,
      };
      await apply(model(breaking));
      const blocked = await modelReaches(
        'blocked: 2.4.0 breaks the contract',
        blockedFor(Reason.ContractBreaking),
      );
      expect(blocked.status?.admitted?.version).toBe(servingVersion);
      expect(
        blocked.status?.blockedReasons?.find((r) => r.reason === Reason.ContractBreaking)?.message,
      ).toContain('decision');
      expect(await servingImage()).toBe(exampleModel.spec.serving.image);

      // The leader exports the model's gates, labelled with its owner.
      const metrics = await leaderMetrics();
      expect(metrics).toMatch(
        new RegExp(
          `steward_rollout_blocked\\{[^}]*model="fraud-scorer"[^}]*reason="${Reason.ContractBreaking}"[^}]*\\} 1`,
        ),
      );
      expect(metrics).toContain(`owner="${owner?.email}"`);
    },
    OPERATOR_READY_TIMEOUT_MS + 6 * STEP_TIMEOUT_MS,
  );

  it(
    'helm uninstall removes every object of the release and keeps the CRDs',
    async () => {
      const kc = started().controlPlane.kubeConfig();
      const installed = await releaseObjects(helm, RELEASE, NAMESPACE);
      expect(installed.map((o) => o.kind)).toContain('ValidatingAdmissionPolicy');
      const uninstall = await helm('uninstall', RELEASE);
      expect(uninstall.code, uninstall.stderr).toBe(0);
      for (const object of installed) {
        const path = await objectPath(kc, object);
        await eventually(
          `${object.kind} ${object.metadata?.name} to be deleted`,
          async () => ((await get(path)).status === 404 ? true : undefined),
          GONE_TIMEOUT_MS,
        );
      }
      await eventually(
        'the operator Pods to be gone',
        async () => ((await operatorPods()).length === 0 ? true : undefined),
        GONE_TIMEOUT_MS,
      );
      for (const kind of STEWARD_KINDS) {
        expect((await get(`${CRD_PATH}/${kind}.mlops.steward.dev`)).status, kind).toBe(200);
      }
    },
    2 * GONE_TIMEOUT_MS,
  );
});
