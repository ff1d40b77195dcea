/**
 * The DriftMonitor's check running for real on the node: the operator makes the check Job, the node runs
 * `steward job drift-check` from the Steward image under Pod Security `restricted` on the example data
 * (a PersistentVolume on a host folder, read through a pvc:// source), and the operator reads the result
 * from the Pod's termination message into status, and requests a retrain once per cooldown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { CHECK_REQUESTED_ANNOTATION, type DriftMonitor } from '@steward/api';
import { DriftMonitorType } from '@steward/operator';
import { type Job, JobType, KubeClient, type Pod, PodType } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, sharedControlPlaneInfo, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { freePort } from '../harness/ports.ts';
import { clients, stewardImage } from './support.ts';

const repo = new URL('../../', import.meta.url).pathname;
const stewardBin = join(repo, 'packages/cli/bin/steward.js');
// A check is one Pod the node starts and runs (reading 800 rows); a busy 2-core machine needs headroom.
const CHECK_TIMEOUT_MS = 240_000;
const CLAIM = 'fraud-data';

describe.skipIf(process.env.USE_EXISTING_CLUSTER === 'true')('DriftMonitor checks on the node', () => {
  const ns = useTestNamespace();
  let client: KubeClient;
  let operator: ChildProcess | undefined;
  let hostFolder = '';
  let requests = 0;

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    hostFolder = mkdtempSync(join(tmpdir(), 'steward-e2e-drift-'));
    mkdirSync(join(hostFolder, 'data'));
    for (const file of ['reference.csv', 'current.csv', 'labels.csv', 'summary-scores.jsonl']) {
      copyFileSync(join(repo, 'examples/fraud-scoring/data', file), join(hostFolder, 'data', file));
    }
    // The image's user (not root) reads the folder through the hostPath volume.
    chmodSync(hostFolder, 0o755);
    const { core } = clients();
    const volume = `${ns.name}-data`;
    await core.createPersistentVolume({
      body: {
        metadata: { name: volume },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadOnlyMany'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: '',
          hostPath: { path: hostFolder, type: 'Directory' },
        },
      },
    });
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns.name,
      body: {
        metadata: { name: CLAIM },
        spec: {
          accessModes: ['ReadOnlyMany'],
          storageClassName: '',
          volumeName: volume,
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
    const port = await freePort();
    operator = spawn(
      process.execPath,
      [
        stewardBin,
        'operator',
        '--metrics-port',
        String(port),
        '--metrics-host',
        '127.0.0.1',
        '--namespace',
        ns.name,
        '--no-leader-elect',
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          KUBECONFIG: sharedControlPlaneInfo().kubeconfigPath,
          LOG_LEVEL: 'warn',
          STEWARD_IMAGE: stewardImage(),
        },
      },
    );
  });

  afterAll(async () => {
    if (operator?.exitCode === null) operator.kill('SIGKILL');
    await clients()
      .core.deletePersistentVolume({ name: `${ns.name}-data` })
      .catch(() => undefined);
    if (hostFolder) rmSync(hostFolder, { recursive: true, force: true });
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
    'runs steward job drift-check on the example data, fills status with per-feature values, and requests one retrain per cooldown',
    async () => {
      const example = load(
        readFileSync(join(repo, 'examples/fraud-scoring/drift-monitor.yaml'), 'utf8'),
      ) as DriftMonitor;
      const spec = JSON.parse(
        JSON.stringify(example.spec).replaceAll('file:///data/', `pvc://${CLAIM}/data/`),
      );
      // The example's Prometheus parts need a Prometheus in the cluster; the integration tier covers them.
      delete spec.businessKpis;
      delete spec.prometheus;
      spec.outputQuality = spec.outputQuality.filter((q: { samples?: unknown }) => q.samples !== undefined);
      await client.create(DriftMonitorType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'DriftMonitor',
        metadata: { name: 'fraud-scorer-drift', namespace: ns.name },
        spec,
      });
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
      expect(result?.conceptDrift).toMatchObject({ metric: 'auc', sampleSize: 300, outcome: 'NoDrift' });
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
      expect(pod?.spec?.containers[0]?.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });

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
    2 * CHECK_TIMEOUT_MS,
  );
});
