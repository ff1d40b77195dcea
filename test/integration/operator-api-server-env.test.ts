import { DriftMonitorType } from '@steward/operator';
import { type CronJob, CronJobType, KubeClient } from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';

// On a cluster without kube-proxy the operator is given KUBERNETES_SERVICE_HOST/PORT (docs/install.md); its
// drift-check Pods need the same address to write their report. Here the operator process reaches the API
// server at exactly the address those variables name, as an in-cluster operator does.
const namespace = useTestNamespace();
// Far beyond what a reconcile on a local API server takes; 2-core CI machines need headroom.
const TIMEOUT_MS = 45_000;

describe('an operator reaching the API server through KUBERNETES_SERVICE_HOST/PORT', () => {
  let operator: OperatorProcess | undefined;
  let client: KubeClient;
  const server = new URL(testKubeConfig().getCurrentCluster()?.server ?? '');
  const apiServerEnv = { KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port };

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    operator = await startOperatorProcess(namespace.name, {
      env: { ...apiServerEnv, STEWARD_IMAGE: 'steward:test' },
    });
  });

  afterAll(async () => {
    await operator?.stop();
  });

  it('passes them on to the drift check Pods it schedules', async () => {
    await client.create(DriftMonitorType, {
      apiVersion: 'mlops.steward.dev/v1alpha1',
      kind: 'DriftMonitor',
      metadata: { name: 'checked', namespace: namespace.name },
      spec: {
        target: { name: 'model' },
        schedule: '0 * * * *',
        baseline: { source: { uri: 's3://bucket/reference.csv', format: 'csv' } },
        current: { uri: 's3://bucket/current.csv', format: 'csv' },
      },
    });
    const cronJob = await eventually(
      'the check CronJob',
      () => client.get<CronJob>(CronJobType, namespace.name, 'checked-drift-check').catch(() => undefined),
      TIMEOUT_MS,
    );
    const env = cronJob.spec?.jobTemplate.spec?.template.spec?.containers[0]?.env ?? [];
    expect(env.filter((e) => e.name.startsWith('KUBERNETES_'))).toEqual([
      { name: 'KUBERNETES_SERVICE_HOST', value: apiServerEnv.KUBERNETES_SERVICE_HOST },
      { name: 'KUBERNETES_SERVICE_PORT', value: apiServerEnv.KUBERNETES_SERVICE_PORT },
    ]);
  });
});
