import type { V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { eventually, useTestNamespace } from '../harness/index.ts';
import { clients, nodeScript, podFinishTimeoutMs, podReaches, restrictedPodSpec } from './support.ts';

// Retries of a failed Pod wait 10 s, then 20 s (the Job controller's back-off), plus each run.
const retriesTimeoutMs = 180_000;

function failedCondition(job: V1Job) {
  return job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
}

/** Waits until the Job has the Failed condition and returns it. */
function jobFails(namespace: string, name: string): Promise<V1Job> {
  const { batch } = clients();
  return eventually(
    `Job ${name} to fail`,
    async () => {
      const current = await batch.readNamespacedJob({ namespace, name });
      return failedCondition(current) ? current : undefined;
    },
    retriesTimeoutMs,
  );
}

describe('Jobs that fail on the node', () => {
  const ns = useTestNamespace();

  it('a container exiting 3 leaves the Job Failed (BackoffLimitExceeded) after backoffLimit retries', async () => {
    const { batch, core } = clients();
    const backoffLimit = 1;
    await batch.createNamespacedJob({
      namespace: ns.name,
      body: {
        metadata: { name: 'exits-3' },
        spec: {
          backoffLimit,
          template: { spec: restrictedPodSpec([nodeScript('fail', 'process.exit(3)')]) },
        },
      },
    });
    const job = await jobFails(ns.name, 'exits-3');
    expect(failedCondition(job)?.reason).toBe('BackoffLimitExceeded');
    expect(job.status?.failed).toBe(backoffLimit + 1);
    const pods = await core.listNamespacedPod({
      namespace: ns.name,
      labelSelector: 'batch.kubernetes.io/job-name=exits-3',
    });
    const exitCodes = pods.items.map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode);
    expect(exitCodes).toEqual(Array(backoffLimit + 1).fill(3));
  });

  it('activeDeadlineSeconds stops a Job whose Pod runs too long (DeadlineExceeded) and kills the Pod', async () => {
    const { batch, core } = clients();
    // Long enough for the container to start on a loaded machine, so the deadline is what ends it.
    const deadlineSeconds = 20;
    await batch.createNamespacedJob({
      namespace: ns.name,
      body: {
        metadata: { name: 'too-long' },
        spec: {
          activeDeadlineSeconds: deadlineSeconds,
          backoffLimit: 0,
          template: { spec: restrictedPodSpec([nodeScript('sleep', 'setTimeout(() => {}, 3_600_000)')]) },
        },
      },
    });
    const pod = await eventually(
      'the Pod of Job too-long to exist',
      async () => {
        const list = await core.listNamespacedPod({
          namespace: ns.name,
          labelSelector: 'batch.kubernetes.io/job-name=too-long',
        });
        return list.items[0]?.metadata?.name;
      },
      podFinishTimeoutMs,
    );
    // It really runs before the deadline ends it: the deadline kills, not a failed start.
    await podReaches(ns.name, pod, ['Running']);
    const job = await jobFails(ns.name, 'too-long');
    expect(failedCondition(job)?.reason).toBe('DeadlineExceeded');
    // The Job controller deletes the running Pod; the kubelet kills its container.
    await eventually(
      `Pod ${pod} to be gone or its container terminated`,
      async () => {
        try {
          const current = await core.readNamespacedPod({ namespace: ns.name, name: pod });
          const running = current.status?.containerStatuses?.some((c) => c.state?.running);
          return running ? undefined : true;
        } catch (err) {
          return (err as { code?: number }).code === 404 ? true : undefined;
        }
      },
      podFinishTimeoutMs,
    );
    expect(job.status?.active ?? 0).toBe(0);
  });
});
