import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthorizationV1Api,
  type KubernetesObject,
  RbacAuthorizationV1Api,
  type V1Deployment,
  type V1PolicyRule,
} from '@kubernetes/client-node';
import {
  ConditionType,
  type DriftMonitor,
  type ModelDeployment,
  type OutputContract,
  RETRAIN_REQUESTED_ANNOTATION,
  Reason,
  type RetrainPipeline,
} from '@steward/api';
import {
  DriftMonitorType,
  LEADER_ELECTION_LEASE,
  ModelDeploymentType,
  OutputContractType,
  RetrainPipelineType,
} from '@steward/operator';
import {
  ConfigMapType,
  type CronJob,
  CronJobType,
  DeploymentType,
  EventType,
  type Job,
  JobType,
  KubeClient,
  LeaseType,
  ServiceType,
} from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyObject, REPO_ROOT, renderChart, toolPath } from '../harness/chart.ts';
import { installCrds } from '../harness/crds.ts';
import {
  eventually,
  kubeConfigForServiceAccount,
  testKubeConfig,
  useTestNamespace,
} from '../harness/index.ts';
import { freePort } from '../harness/ports.ts';

// RBAC has one source, the chart: this file applies the chart's ServiceAccount, ClusterRole, Role and bindings,
// and runs the real operator process with the chart's arguments and environment, authenticated as that
// ServiceAccount. A controller that needs a verb the chart does not grant fails here.

const namespace = useTestNamespace();
const FIELD_MANAGER = 'steward-chart-test';
const RBAC_KINDS = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
// Every verb the operator may be granted. Not in the list on purpose: escalate, bind, impersonate,
// deletecollection and "*".
const PINNED_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const stewardBin = join(REPO_ROOT, 'packages/cli/bin/steward.js');
// Start-up includes compiling the TypeScript sources on a busy 2-core machine.
const TIMEOUT_MS = 45_000;

const converged = <T>(what: string, probe: () => Promise<T | undefined>) =>
  eventually(what, probe, TIMEOUT_MS);

type Rbac = KubernetesObject & { rules?: V1PolicyRule[] };

async function operatorReady(): Promise<void> {
  await converged('/readyz 200', async () => {
    // An operator that exited (bad flags, a forbidden start-up call) never answers; the timeout names why.
    if (operator.exitCode !== null) throw new Error(`the operator exited with status ${operator.exitCode}`);
    const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    return response?.status === 200 ? true : undefined;
  });
}

let rbacObjects: Rbac[];
let clusterScoped: Rbac[];
let operator: ChildProcess;
let port: number;
let scratch: string;
let serviceAccount: string;
let chartImage: string;

beforeAll(async () => {
  const admin = testKubeConfig();
  await installCrds(admin);
  port = await freePort();
  const helm = await toolPath('hack/helm/ensure.sh');
  // The release is named after the test namespace, so its ClusterRole cannot collide with another run's.
  const objects = await renderChart(helm, {
    release: namespace.name,
    namespace: namespace.name,
    values: {
      metricsPort: port,
      // Cluster-wide RBAC as installed by default, but reconcile this namespace only: other test files run
      // their own operators in theirs.
      extraArgs: [`--namespace=${namespace.name}`],
    },
  });
  rbacObjects = objects.filter((object) => RBAC_KINDS.includes(object.kind ?? ''));
  clusterScoped = rbacObjects.filter((object) => object.kind?.startsWith('Cluster'));
  for (const object of rbacObjects) {
    const response = await applyObject(admin, object, { fieldManager: FIELD_MANAGER });
    if (response.status >= 300)
      throw new Error(`applying ${object.kind} ${object.metadata?.name}: ${response.body}`);
  }

  const deployment = objects.find((object) => object.kind === 'Deployment') as V1Deployment;
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];
  chartImage = container?.image ?? '';
  serviceAccount = pod?.serviceAccountName ?? '';
  const kubeConfig = await kubeConfigForServiceAccount(admin, namespace.name, serviceAccount);
  scratch = mkdtempSync(join(tmpdir(), 'steward-rbac-'));
  const kubeconfigPath = join(scratch, 'kubeconfig');
  // The file holds the ServiceAccount's token: readable by its owner only.
  writeFileSync(kubeconfigPath, kubeConfig.exportConfig(), { mode: 0o600 });
  // The container's environment as the kubelet would resolve it: literal values, and the downward API's namespace.
  const env = Object.fromEntries(
    (container?.env ?? []).map((variable) => [
      variable.name,
      variable.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace'
        ? namespace.name
        : (variable.value ?? ''),
    ]),
  );
  operator = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', stewardBin, ...(container?.args ?? [])],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...env, KUBECONFIG: kubeconfigPath, LOG_LEVEL: 'warn' },
    },
  );
});

afterAll(async () => {
  if (operator && operator.exitCode === null) {
    operator.kill('SIGTERM');
    await once(operator, 'exit');
  }
  const rbac = testKubeConfig().makeApiClient(RbacAuthorizationV1Api);
  for (const object of clusterScoped ?? []) {
    const name = object.metadata?.name ?? '';
    await (object.kind === 'ClusterRole'
      ? rbac.deleteClusterRole({ name })
      : rbac.deleteClusterRoleBinding({ name })
    ).catch(() => undefined);
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("the chart's RBAC", () => {
  it('grants no wildcard, no Secret access and no verb beyond get, list, watch, create, update, patch, delete', () => {
    const rules = rbacObjects.flatMap((object) => (object.rules ?? []).map((rule) => ({ object, rule })));
    expect(rules.length).toBeGreaterThan(0);
    const findings: string[] = [];
    for (const { object, rule } of rules) {
      const where = `${object.kind} ${object.metadata?.name}: ${JSON.stringify(rule)}`;
      const everything = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs];
      if (everything.includes('*')) findings.push(`wildcard in ${where}`);
      if (rule.nonResourceURLs?.length) findings.push(`non-resource URLs in ${where}`);
      if (rule.resources?.includes('secrets')) findings.push(`Secret access in ${where}`);
      const extra = rule.verbs.filter((verb) => !PINNED_VERBS.includes(verb));
      if (extra.length) findings.push(`verbs ${extra.join(', ')} beyond the pinned list in ${where}`);
    }
    expect(findings).toEqual([]);
  });

  it('denies what it does not grant (the API server agrees: no Secrets, no writing a spec)', async () => {
    const authorization = testKubeConfig().makeApiClient(AuthorizationV1Api);
    const user = `system:serviceaccount:${namespace.name}:${serviceAccount}`;
    const allowed = async (verb: string, group: string, resource: string) =>
      (
        await authorization.createSubjectAccessReview({
          body: { spec: { user, resourceAttributes: { namespace: namespace.name, verb, group, resource } } },
        })
      ).status?.allowed;
    expect(await allowed('get', '', 'secrets')).toBe(false);
    expect(await allowed('update', 'mlops.steward.dev', 'outputcontracts')).toBe(false);
    expect(await allowed('patch', 'mlops.steward.dev', 'outputcontracts/status')).toBe(true);
  });
});

describe('the operator with exactly the RBAC of the chart', () => {
  it('becomes ready, takes the Lease and publishes a contract, its status and its event', async () => {
    const admin = new KubeClient(testKubeConfig());
    await operatorReady();
    await converged('the operator Lease', () => admin.get(LeaseType, namespace.name, LEADER_ELECTION_LEASE));
    const example = load(
      readFileSync(join(REPO_ROOT, 'examples/fraud-scoring/output-contract.yaml'), 'utf8'),
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

describe('the operator with exactly the RBAC of the chart, retraining', () => {
  it('runs a RetrainPipeline: creates the train Job of a requested run and records the run in status', async () => {
    const admin = new KubeClient(testKubeConfig());
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
    const jobs = await admin.list<Job>(JobType, { namespace: namespace.name });
    const train = jobs.items.find(
      (job) => job.metadata?.name === `rbac-retrain-${pipeline.status?.activeRun}-train`,
    );
    // Its account, which the operator creates first (the chart grants serviceaccounts create and patch).
    expect(train?.spec?.template.spec?.serviceAccountName).toBe('rbac-retrain-jobs');
  });
});

describe('the operator with exactly the RBAC of the chart, checking drift', () => {
  it("gives a DriftMonitor its check CronJob (the chart's image) and a check account allowed only its report", async () => {
    const admin = new KubeClient(testKubeConfig());
    const example = load(
      readFileSync(join(REPO_ROOT, 'examples/fraud-scoring/drift-monitor.yaml'), 'utf8'),
    ) as DriftMonitor;
    await admin.create(DriftMonitorType, {
      ...example,
      metadata: { ...example.metadata, namespace: namespace.name },
    });
    const monitor = await converged('the monitor to be reconciled', async () => {
      const live = await admin.get<DriftMonitor>(DriftMonitorType, namespace.name, example.metadata.name);
      return live.status?.observedGeneration === live.metadata.generation && live.status?.cronJobName
        ? live
        : undefined;
    });
    const name = monitor.status?.cronJobName ?? '';
    const cronJob = await admin.get<CronJob>(CronJobType, namespace.name, name);
    expect(cronJob.spec?.jobTemplate.spec?.template.spec?.containers[0]?.image).toBe(chartImage);
    const rbac = testKubeConfig().makeApiClient(RbacAuthorizationV1Api);
    const role = await rbac.readNamespacedRole({ name, namespace: namespace.name });
    expect(role.rules?.map((rule) => rule.resources)).toEqual([['configmaps']]);
    await rbac.readNamespacedRoleBinding({ name, namespace: namespace.name });
  });
});

describe('the operator with exactly the RBAC of the chart, serving', () => {
  it('serves a model: applies its Deployment, Service, card and audit record, and writes its status', async () => {
    await operatorReady();
    const admin = new KubeClient(testKubeConfig());
    const example = load(
      readFileSync(new URL('../../examples/fraud-scoring/model-deployment.yaml', import.meta.url), 'utf8'),
    ) as ModelDeployment;
    const spec = {
      ...example.spec,
      owner: { ...example.spec.owner, lastReviewed: new Date().toISOString().slice(0, 10) },
      serving: { ...example.spec.serving, replicas: 0 },
      governance: { riskClass: 'minimal' },
    } as ModelDeployment['spec'];
    await admin.create(ModelDeploymentType, {
      ...example,
      metadata: { name: 'rbac-scorer', namespace: namespace.name },
      spec,
    });
    const model = await converged('the model to be admitted', async () => {
      const live = await admin.get<ModelDeployment>(ModelDeploymentType, namespace.name, 'rbac-scorer');
      return live.status?.admitted?.version === spec.model.version ? live : undefined;
    });
    await admin.get(DeploymentType, namespace.name, 'rbac-scorer');
    await admin.get(ServiceType, namespace.name, 'rbac-scorer');
    await admin.get(ConfigMapType, namespace.name, model.status?.modelCard?.configMapName ?? '');
    await converged('the Admitted event', async () => {
      const events = (
        await admin.list<KubernetesObject & { reason?: string; regarding?: { name?: string } }>(EventType, {
          namespace: namespace.name,
        })
      ).items;
      return events.find((e) => e.regarding?.name === 'rbac-scorer' && e.reason === Reason.AllGatesPassed);
    });
  });
});

describe('the Grafana dashboard', () => {
  // Steward's own metrics and the runtime's (controller-runtime, client-go workqueue and leader election names,
  // prom-client's process and Node.js defaults): every metric a dashboard query can name.
  const METRIC_NAME = /\b(?:steward|controller_runtime|workqueue|leader_election|process|nodejs)_[a-z0-9_]+/g;
  const HISTOGRAM_SERIES = /_(?:bucket|sum|count)$/;

  it('queries only metrics the running operator exports (live /metrics scrape)', async () => {
    await operatorReady();
    const exposition = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    // prom-client writes HELP and TYPE for every registered metric, also before its first sample.
    const exported = new Map(
      [...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name ?? '', type ?? '']),
    );
    const dashboard = readFileSync(join(REPO_ROOT, 'charts/steward/dashboards/steward.json'), 'utf8');
    const queried = new Set(dashboard.match(METRIC_NAME));
    expect(queried.size).toBeGreaterThan(0);
    const unknown = [...queried].filter((name) => {
      if (exported.has(name)) return false;
      const base = name.replace(HISTOGRAM_SERIES, '');
      return !(base !== name && ['histogram', 'summary'].includes(exported.get(base) ?? ''));
    });
    expect(unknown).toEqual([]);
  });
});
