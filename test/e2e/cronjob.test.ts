import type { V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { eventually, useTestNamespace } from '../harness/index.ts';
import { clients, podLog, restrictedPodSpec, stewardContainer } from './support.ts';

// The CronJob controller fires at the next minute boundary, then the Job's Pod must start and
// finish: up to a minute of waiting plus the run itself.
const firstRunTimeoutMs = 180_000;

describe('a CronJob on the node', () => {
  const ns = useTestNamespace();

  it('fires every minute; its Job runs a Pod to completion (CronJob and Job controllers, scheduler, kubelet, runtime)', async () => {
    const { batch, core } = clients();
    await batch.createNamespacedCronJob({
      namespace: ns.name,
      body: {
        metadata: { name: 'every-minute' },
        spec: {
          schedule: '* * * * *',
          concurrencyPolicy: 'Forbid',
          jobTemplate: {
            spec: {
              backoffLimit: 0,
              template: { spec: restrictedPodSpec([stewardContainer('check', ['version'])]) },
            },
          },
        },
      },
    });
    const job = await eventually<V1Job>(
      'a Job of CronJob every-minute to complete',
      async () => {
        const jobs = await batch.listNamespacedJob({ namespace: ns.name });
        return jobs.items.find((j) =>
          j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True'),
        );
      },
      firstRunTimeoutMs,
    );
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'every-minute' });
    expect(job.status?.succeeded).toBe(1);
    const pods = await core.listNamespacedPod({
      namespace: ns.name,
      labelSelector: `batch.kubernetes.io/job-name=${job.metadata?.name}`,
    });
    const pod = pods.items[0];
    expect(pod?.status?.phase).toBe('Succeeded');
    expect(pod?.spec?.nodeName).toBeTruthy();
    expect(await podLog(ns.name, pod?.metadata?.name ?? '', 'check')).toMatch(/^\d+\.\d+\.\d+\n$/);
    const cronJob = await batch.readNamespacedCronJob({ namespace: ns.name, name: 'every-minute' });
    expect(cronJob.status?.lastSuccessfulTime).toBeDefined();
  });
});
