import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig, KubernetesObject, V1Deployment, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyObject,
  CHART_DIRECTORY,
  discover,
  helmTemplate,
  REPO_ROOT,
  renderChart,
  runTool,
  toolPath,
} from '../harness/chart.ts';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';

// The chart, rendered with the defaults and with every option on, checked by helm lint and then by the real API
// server: each manifest goes through a server-side dry-run apply, the operator Pod through Pod Security.

const namespace = useTestNamespace();
const FIELD_MANAGER = 'steward-chart-test';
const MONITORING_KINDS = ['servicemonitors', 'podmonitors', 'prometheusrules'];
// Creating a CRD and seeing it Established takes a few seconds; a loaded 2-core machine needs more.
const ESTABLISHED_TIMEOUT_MS = 30_000;

let helm: string;

/** Every optional part of the chart on (the ServiceMonitor variant). */
const everythingOn = () => ({
  metrics: { serviceMonitor: { enabled: true, labels: { release: 'prometheus' } } },
  prometheusRule: { enabled: true, runbookBaseUrl: 'https://runbooks.example/steward' },
  dashboard: { enabled: true },
  commonLabels: { 'example.com/cost-center': 'ml-platform' },
});

/** The namespaced variant: one watched namespace (Roles instead of a ClusterRole), a PodMonitor. */
const namespacedWithPodMonitor = (ns: string) => ({
  watchNamespace: ns,
  leaderElection: { enabled: true, namespace: ns },
  metrics: { podMonitor: { enabled: true } },
  prometheusRule: { enabled: true },
});

const dryRunApply = (kc: KubeConfig, object: KubernetesObject) =>
  applyObject(kc, object, { fieldManager: FIELD_MANAGER, dryRun: true });

async function installMonitoringCrds(kc: KubeConfig): Promise<void> {
  const directory = await toolPath('hack/prometheus-operator/crds.sh');
  const files = readdirSync(directory).filter((file) =>
    MONITORING_KINDS.some((kind) => file.endsWith(`_${kind}.yaml`)),
  );
  expect(files).toHaveLength(MONITORING_KINDS.length);
  for (const file of files) {
    const crd = load(readFileSync(join(directory, file), 'utf8')) as KubernetesObject;
    const response = await applyObject(kc, crd, { fieldManager: FIELD_MANAGER });
    if (response.status >= 300)
      throw new Error(`applying CRD ${crd.metadata?.name}: HTTP ${response.status} ${response.body}`);
  }
  for (const kind of MONITORING_KINDS) {
    await eventually(
      `the ${kind} CRD to be served`,
      async () =>
        (await discover(kc, 'monitoring.coreos.com/v1')).some((r) => r.name === kind) ? true : undefined,
      ESTABLISHED_TIMEOUT_MS,
    );
  }
}

const identify = (object: KubernetesObject) =>
  `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

beforeAll(async () => {
  helm = await toolPath('hack/helm/ensure.sh');
});

describe('helm lint', () => {
  it('passes with values.yaml (which must satisfy values.schema.json) and with every option on', async () => {
    const strict = await runTool(helm, ['lint', '--strict', 'charts/steward']);
    expect(strict.stderr + strict.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    for (const values of [everythingOn(), namespacedWithPodMonitor('apps')]) {
      const rendered = await helmTemplate(helm, { namespace: 'steward-system', values });
      expect(rendered.stderr).toBe('');
      expect(rendered.code).toBe(0);
    }
  });
});

describe('values outside the schema or contradicting each other', () => {
  it.each([
    [{ replicaCount: 0 }, 'replicaCount'],
    [{ image: { pullPolicy: 'Sometimes' } }, 'pullPolicy'],
    [{ replicas: 3 }, 'replicas'],
    [{ watchNamespace: 'Not_A_Namespace' }, 'watchNamespace'],
    [{ prometheusRule: { for: { rolloutBlocked: 'fifteen minutes' } } }, 'rolloutBlocked'],
    [{ prometheusRule: { runbookBaseUrl: 'docs/runbooks' } }, 'runbookBaseUrl'],
    [{ resources: { limits: { memory: 'lots' } } }, 'memory'],
  ])('%j is rejected, naming %s', async (values, key) => {
    const result = await helmTemplate(helm, { namespace: 'steward-system', values });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain(key);
  });

  it.each([
    [
      { replicaCount: 2, leaderElection: { enabled: false } },
      'replicaCount > 1 needs leaderElection.enabled',
    ],
    [
      { metrics: { serviceMonitor: { enabled: true }, podMonitor: { enabled: true } } },
      'enable either metrics.serviceMonitor or metrics.podMonitor, not both',
    ],
    [{ serviceAccount: { create: false } }, 'serviceAccount.name must name an existing ServiceAccount'],
  ])('%j fails with: %s', async (values, message) => {
    const result = await helmTemplate(helm, { namespace: 'steward-system', values });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});

describe('what the values choose', () => {
  it('renders a PodDisruptionBudget for two replicas, none for one (it would block every node drain)', async () => {
    const kinds = async (values: Record<string, unknown>) =>
      (await renderChart(helm, { namespace: 'steward-system', values })).map((object) => object.kind);
    expect(await kinds({})).toContain('PodDisruptionBudget');
    expect(await kinds({ replicaCount: 1 })).not.toContain('PodDisruptionBudget');
  });
});

describe('the rendered chart on the real API server', () => {
  beforeAll(async () => {
    await installCrds(testKubeConfig());
    await installMonitoringCrds(testKubeConfig());
  });

  it.each([
    ['the default values', () => ({})],
    ['every option on', () => everythingOn()],
    ['one watched namespace and a PodMonitor', () => namespacedWithPodMonitor(namespace.name)],
  ])('accepts every manifest rendered with %s (server-side dry-run)', async (_, values) => {
    const objects = await renderChart(helm, {
      namespace: namespace.name,
      values: values(),
      includeCrds: true,
    });
    const rejected: string[] = [];
    for (const object of objects) {
      const response = await dryRunApply(testKubeConfig(), object);
      if (response.status >= 300)
        rejected.push(`${identify(object)}: HTTP ${response.status} ${response.body}`);
    }
    expect(rejected).toEqual([]);
    expect(objects.map((object) => object.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'ServiceAccount']),
    );
  });

  it('runs the operator Pod under Pod Security "restricted", which refuses a root Pod', async () => {
    const kc = testKubeConfig();
    const enforce = await applyObject(
      kc,
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace.name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      },
      { fieldManager: FIELD_MANAGER },
    );
    expect(enforce.status).toBeLessThan(300);
    const objects = await renderChart(helm, { namespace: namespace.name });
    // The Pod's ServiceAccount must exist, dry run or not.
    for (const account of objects.filter((object) => object.kind === 'ServiceAccount')) {
      expect((await applyObject(kc, account, { fieldManager: FIELD_MANAGER })).status).toBeLessThan(300);
    }
    const deployment = objects.find((object) => object.kind === 'Deployment') as V1Deployment | undefined;
    const template = deployment?.spec?.template.spec;
    if (!template) throw new Error('the chart renders no operator Deployment');
    const pod = (spec: V1PodSpec): V1Pod & KubernetesObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'steward-operator-restricted', namespace: namespace.name },
      spec,
    });
    const admitted = await dryRunApply(kc, pod(template));
    expect(admitted.body).not.toContain('violates PodSecurity');
    expect(admitted.status).toBeLessThan(300);

    // The same Pod allowed to run as root is refused: the check above can fail.
    const asRoot = await dryRunApply(
      kc,
      pod({ ...template, securityContext: { ...template.securityContext, runAsNonRoot: false } }),
    );
    expect(asRoot.status).toBe(403);
    expect((JSON.parse(asRoot.body) as { message: string }).message).toContain(
      'violates PodSecurity "restricted:latest": runAsNonRoot != true',
    );
  });
});

describe('docs/install.md', () => {
  /** A key is documented when it appears in backticks, or `prefix.*` does; else each of its children must be. */
  function undocumented(values: Record<string, unknown>, docs: string, prefix = ''): string[] {
    return Object.entries(values).flatMap(([key, value]) => {
      const path = `${prefix}${key}`;
      if (docs.includes(`\`${path}\``) || docs.includes(`\`${prefix}*\``)) return [];
      const isMap = typeof value === 'object' && value !== null && !Array.isArray(value);
      return isMap && Object.keys(value).length > 0
        ? undocumented(value as Record<string, unknown>, docs, `${path}.`)
        : [path];
    });
  }

  it('names every key of values.yaml in its configuration reference', () => {
    const values = load(readFileSync(join(CHART_DIRECTORY, 'values.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const docs = readFileSync(join(REPO_ROOT, 'docs/install.md'), 'utf8');
    expect(undocumented(values, docs)).toEqual([]);
  });
});
