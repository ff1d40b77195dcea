import { type KubeClient, type Pod, PodType } from '@steward/runtime';
import { eventually } from './eventually.ts';

/**
 * Plays the kubelet for a Job's Pod in the integration tier (no node): once the Job controller has
 * made the Pod, sets its final status, with `message` as the first container's termination message.
 * The Job controller then completes or fails the Job from it exactly as it would on a node.
 */
export async function finishJobPod(
  client: KubeClient,
  namespace: string,
  job: string,
  message: string,
  options: { phase?: 'Succeeded' | 'Failed'; timeoutMs?: number } = {},
): Promise<void> {
  const phase = options.phase ?? 'Succeeded';
  const pod = await eventually(
    `the Pod of Job ${job}`,
    async () =>
      (await client.list<Pod>(PodType, { namespace, labelSelector: `batch.kubernetes.io/job-name=${job}` }))
        .items[0],
    options.timeoutMs,
  );
  const container = pod.spec?.containers[0];
  const now = new Date().toISOString();
  const terminated = {
    exitCode: phase === 'Succeeded' ? 0 : 1,
    reason: phase === 'Succeeded' ? 'Completed' : 'Error',
    message,
    startedAt: now,
    finishedAt: now,
  };
  await client.mergePatch(
    PodType,
    namespace,
    pod.metadata?.name ?? '',
    {
      status: {
        phase,
        containerStatuses: [
          {
            name: container?.name,
            image: container?.image,
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated },
          },
        ],
      },
    },
    { subresource: 'status' },
  );
}
