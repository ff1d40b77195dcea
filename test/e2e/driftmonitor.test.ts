/**
 * The DriftMonitor's check running for real on the node: the operator makes the check Job, the node runs
 * `steward job drift-check` from the Steward image under Pod Security `restricted` on the example data, read
 * over s3:// from the S3-compatible store (hack/s3) with the credentials of the Secret the spec names, and the
 * operator reads the result from the report ConfigMap the Pod writes (drift-report.test.ts proves that channel)
 * into status and requests a retrain once per cooldown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { CHECK_REQUESTED_ANNOTATION, type DriftMonitor } from '@steward/api';
import { DriftMonitorType } from '@steward/operator';
import { type Job, JobType, KubeClient, type Pod, PodType } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import {
  EXAMPLE_CREDENTIALS_SECRET,
  EXAMPLE_PREFIX,
  type ObjectStore,
  startObjectStore,
} from '../harness/object-store.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';
import { clients, stewardImage } from './support.ts';

const repo = new URL('../../', import.meta.url).pathname;
// A check is one Pod the node starts and runs (reading 800 rows); a busy 2-core machine needs headroom.
const CHECK_TIMEOUT_MS = 240_000;
// The window the monitor reads: first a copy of the baseline, then the example's shifted November data.
const LIVE_WINDOW = `${EXAMPLE_PREFIX}live/current.csv`;
const NamespaceType = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };

describe('DriftMonitor checks on the node', () => {
  const ns = useTestNamespace();
  let client: KubeClient;
  let operator: OperatorProcess | undefined;
  let store: ObjectStore | undefined;
  let requests = 0;

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    // The API server itself refuses any Pod of this namespace that breaks the restricted profile.
    await client.mergePatch(NamespaceType, undefined, ns.name, {
      metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    store = await startObjectStore({ host: inject('stewardNode').hostIp });
    await store.createCredentialsSecret(clients().core, ns.name);
    // The operator gets no storage credentials: the check Pods read them from the Secret the spec names.
    operator = await startOperatorProcess(ns.name, { env: { STEWARD_IMAGE: stewardImage() } });
  });

  afterAll(async () => {
    await operator?.stop();
    await store?.stop();
  });

  /** Asks for one check now and waits until its result is in status. */
  async function check(name: string): Promise<DriftMonitor> {
    requests++;
    const before = (await client.get<DriftMonitor>(DriftMonitorType, ns.name, name)).status?.lastResult?.job;
    await client.mergePatch(DriftMonitorType, ns.name, name, {
      metadata: { annotations: { [CHECK_REQUESTED_ANNOTATION]: `e2e-${requests}` } },
    });
    let last: DriftMonitor | undefined;
    return eventually(
      () => `a new check result of ${name} (last status: ${JSON.stringify(last?.status)})`,
      async () => {
        last = await client.get<DriftMonitor>(DriftMonitorType, ns.name, name);
        const job = last.status?.lastResult?.job;
        return job !== undefined && job !== before ? last : undefined;
      },
      CHECK_TIMEOUT_MS,
    );
  }

  it(
    'runs steward job drift-check on the example data from the object store, fills status with per-feature values, and requests one retrain per cooldown',
    async () => {
      if (!store) throw new Error('the object store did not start');
      const example = load(
        readFileSync(join(repo, 'examples/fraud-scoring/drift-monitor.yaml'), 'utf8'),
      ) as DriftMonitor;
      const spec = structuredClone(example.spec) as Record<string, unknown> & DriftMonitor['spec'];
      // The example's Prometheus parts need a Prometheus in the cluster; the integration tier covers them.
      delete spec.businessKpis;
      delete spec.prometheus;
      spec.outputQuality = spec.outputQuality?.filter((q) => q.samples !== undefined);
      // Everything else is the example as a user applies it, but the current window is one the test rewrites.
      spec.current = { ...spec.current, uri: store.uri(LIVE_WINDOW) } as typeof spec.current;
      await store.put(LIVE_WINDOW, readFileSync(join(repo, 'examples/fraud-scoring/data/reference.csv')));
      await client.create(DriftMonitorType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'DriftMonitor',
        metadata: { name: 'fraud-scorer-drift', namespace: ns.name },
        spec,
      });

      // The window still looks like the baseline: values in status, no drift, no retrain.
      const calm = await check('fraud-scorer-drift');
      expect(calm.status?.lastResult?.outcome, calm.status?.lastResult?.message).toBe('NoDrift');
      expect(calm.status?.lastResult?.features?.find((f) => f.name === 'amount')).toMatchObject({
        method: 'wasserstein',
        threshold: 0.2,
        sampleSize: 400,
        outcome: 'NoDrift',
      });
      // Delayed labels joined by transaction_id to the served predictions, both read over s3://.
      expect(calm.status?.lastResult?.conceptDrift).toMatchObject({
        metric: 'auc',
        sampleSize: 300,
        outcome: 'NoDrift',
        join: { labelRows: 300, predictionRows: 360, unmatchedPredictions: 60, matchRate: 1 },
      });
      expect(calm.status?.lastRetrainTrigger).toBeUndefined();

      // November's shifted traffic lands in the window: drift, and exactly one retrain request.
      await store.put(LIVE_WINDOW, readFileSync(join(repo, 'examples/fraud-scoring/data/current.csv')));
      const first = await check('fraud-scorer-drift');
      const result = first.status?.lastResult;
      expect(result?.outcome).toBe('Drift');
      expect(result?.features?.map((f) => f.name).sort()).toEqual([
        'account_age_days',
        'amount',
        'channel',
        'country',
        'merchant_category',
        'txn_last_hour',
      ]);
      expect(result?.features?.find((f) => f.name === 'amount')).toMatchObject({
        method: 'wasserstein',
        threshold: 0.2,
        sampleSize: 400,
        outcome: 'Drift',
      });
      expect(first.status?.conditions?.find((c) => c.type === 'DriftDetected')).toMatchObject({
        status: 'True',
        reason: 'Drift',
      });
      const request = first.status?.lastRetrainTrigger;
      expect(request).toMatchObject({ pipeline: 'fraud-scorer-retrain' });

      // The check Pod really ran on the node, under Pod Security restricted, as the monitor's account.
      const job = await client.get<Job>(JobType, ns.name, result?.job ?? '');
      expect(job.status?.succeeded).toBe(1);
      const pods = await client.list<Pod>(PodType, {
        namespace: ns.name,
        labelSelector: `batch.kubernetes.io/job-name=${result?.job}`,
      });
      const pod = pods.items[0];
      expect(pod?.spec?.nodeName).toBeTruthy();
      expect(pod?.spec?.serviceAccountName).toBe('fraud-scorer-drift-drift-check');
      expect(pod?.spec?.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const container = pod?.spec?.containers[0];
      expect(container?.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      // The storage credentials come only from the Secret the spec names, never inline.
      expect(container?.envFrom).toEqual([{ secretRef: { name: EXAMPLE_CREDENTIALS_SECRET } }]);
      expect(container?.env?.map((e) => e.name).filter((name) => name.startsWith('AWS_'))).toEqual([]);

      // That account's whole RBAC: one Role, one rule, get and patch on the monitor's report map by name.
      const rbac = (plural: string, kind: string) => ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        plural,
        namespaced: true,
      });
      const account = { kind: 'ServiceAccount', name: 'fraud-scorer-drift-drift-check', namespace: ns.name };
      const bindings = (
        await client.list<KubernetesObject & { subjects?: unknown[]; roleRef?: { name: string } }>(
          rbac('rolebindings', 'RoleBinding'),
          { namespace: ns.name },
        )
      ).items.filter((b) => JSON.stringify(b.subjects ?? []).includes(JSON.stringify(account.name)));
      expect(bindings.map((b) => b.roleRef?.name)).toEqual(['fraud-scorer-drift-drift-check']);
      const role = await client.get<KubernetesObject & { rules?: unknown[] }>(
        rbac('roles', 'Role'),
        ns.name,
        'fraud-scorer-drift-drift-check',
      );
      expect(role.rules).toEqual([
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['fraud-scorer-drift-drift-report'],
          verbs: ['get', 'patch'],
        },
      ]);

      // The same data again: another breach, but no second request within the 24h cooldown.
      const second = await check('fraud-scorer-drift');
      expect(second.status?.lastResult?.outcome).toBe('Drift');
      expect(second.status?.lastRetrainTrigger).toEqual(request);
    },
    3 * CHECK_TIMEOUT_MS,
  );
});
