/**
 * The drift check's full-report channel on the node: the check Pod, with nothing but its in-cluster
 * configuration (the `kubernetes` Service's ClusterIP, as on any cluster), patches the monitor's report
 * ConfigMap, and the operator fills status from it. The data is wider than a termination message holds, so
 * a status with every feature can only have come from the report.
 */
import {
  CHECK_REQUESTED_ANNOTATION,
  type DriftCheckReport,
  type DriftMonitor,
  REPORT_KEY,
} from '@steward/api';
import { DriftMonitorType } from '@steward/operator';
import { type ConfigMap, ConfigMapType, KubeClient, type Pod, PodType } from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { EXAMPLE_CREDENTIALS_SECRET, type ObjectStore, startObjectStore } from '../harness/object-store.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';
import { clients, podLog, stewardImage } from './support.ts';

// A check is one Pod the node starts and runs; a busy 2-core machine needs headroom.
const CHECK_TIMEOUT_MS = 240_000;
// Far more features than the 4096-byte termination message holds (about 20 of these), well under
// status's limit of 500.
const FEATURES = 80;
// Enough rows for every feature to be judged (the monitor asks for 50).
const ROWS = 100;
const MONITOR = 'wide-drift';
// What `steward job drift-check` says when it cannot write the report (packages/cli/src/commands/job-drift-check.ts).
const REPORT_NOT_WRITTEN = /report ConfigMap \S+ not written/;

/** A CSV of FEATURES numeric columns f01..f80, each a different deterministic sequence. */
function wideCsv(): string {
  const names = Array.from({ length: FEATURES }, (_, i) => `f${String(i + 1).padStart(2, '0')}`);
  const rows = Array.from({ length: ROWS }, (_, row) =>
    names.map((_, column) => ((row * (column + 7)) % 97) + column).join(','),
  );
  return `${[names.join(','), ...rows].join('\n')}\n`;
}

describe('the drift check report ConfigMap on the node', () => {
  const ns = useTestNamespace();
  let client: KubeClient;
  let operator: OperatorProcess | undefined;
  let store: ObjectStore | undefined;

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    store = await startObjectStore({ host: inject('stewardNode').hostIp, exampleData: false });
    await store.createCredentialsSecret(clients().core, ns.name);
    operator = await startOperatorProcess(ns.name, { env: { STEWARD_IMAGE: stewardImage() } });
  });

  afterAll(async () => {
    await operator?.stop();
    await store?.stop();
  });

  it(
    'is written by the check Pod through the kubernetes Service, and status holds every feature from it',
    async () => {
      if (!store) throw new Error('the object store did not start');
      await store.put('wide/reference.csv', wideCsv());
      await store.put('wide/current.csv', wideCsv());
      const source = (key: string) => ({
        uri: store?.uri(key),
        format: 'csv',
        credentialsSecretRef: { name: EXAMPLE_CREDENTIALS_SECRET },
      });
      await client.create(DriftMonitorType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'DriftMonitor',
        metadata: { name: MONITOR, namespace: ns.name, annotations: { [CHECK_REQUESTED_ANNOTATION]: 'now' } },
        spec: {
          target: { name: 'wide-model' },
          schedule: '0 0 1 1 *',
          baseline: { source: source('wide/reference.csv') },
          current: source('wide/current.csv'),
          dataDrift: { minSampleSize: 50 },
        },
      });

      let last: DriftMonitor | undefined;
      const monitor = await eventually(
        () => `a check result of ${MONITOR} (last status: ${JSON.stringify(last?.status)})`,
        async () => {
          last = await client.get<DriftMonitor>(DriftMonitorType, ns.name, MONITOR);
          return last.status?.lastResult?.job !== undefined ? last : undefined;
        },
        CHECK_TIMEOUT_MS,
      );
      const result = monitor.status?.lastResult;
      expect(result?.outcome, result?.message).toBe('NoDrift');

      // The report the Pod wrote: this Job's, every feature, written under the check's own field manager.
      const map = await client.get<ConfigMap>(ConfigMapType, ns.name, `${MONITOR}-drift-report`);
      const report = JSON.parse(map.data?.[REPORT_KEY] ?? '{}') as DriftCheckReport;
      expect(report.job).toBe(result?.job);
      expect(report.result.features).toHaveLength(FEATURES);
      expect(map.metadata?.managedFields?.map((f) => f.manager)).toContain('steward-drift-check');
      // Status came from it: the termination message, the other channel, holds only some of the features.
      expect(result?.features).toEqual(report.result.features);
      const pods = await client.list<Pod>(PodType, {
        namespace: ns.name,
        labelSelector: `batch.kubernetes.io/job-name=${result?.job}`,
      });
      const pod = pods.items[0];
      const terminated = pod?.status?.containerStatuses?.[0]?.state?.terminated;
      const compact = JSON.parse(terminated?.message ?? '{}') as { result?: { features?: unknown[] } };
      expect(compact.result?.features?.length).toBeLessThan(FEATURES);

      // The Pod used its in-cluster configuration as given: nothing overrode the Service's address.
      const container = pod?.spec?.containers[0];
      expect(container?.env?.map((e) => e.name) ?? []).not.toContain('KUBERNETES_SERVICE_HOST');
      const log = await podLog(ns.name, pod?.metadata?.name ?? '', 'drift-check');
      expect(log).toContain('feature f80: NoDrift');
      expect(log).not.toMatch(REPORT_NOT_WRITTEN);
    },
    CHECK_TIMEOUT_MS + 60_000,
  );
});
