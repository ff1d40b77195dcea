import { BatchV1Api, CoreV1Api, type V1Container, type V1Pod, type V1PodSpec } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { eventually, testKubeConfig } from '../harness/index.ts';

// Helpers the end-to-end files share: Pods of the Steward image in the shape Steward's Jobs use,
// and waits on what the node reports.

// Pulling nothing, starting a container and reporting back takes a few seconds on a quiet node; a
// CronJob's Pod additionally waits for the next minute.
export const podFinishTimeoutMs = 120_000;

export function clients() {
  const kc = testKubeConfig();
  return { core: kc.makeApiClient(CoreV1Api), batch: kc.makeApiClient(BatchV1Api) };
}

export function stewardImage(): string {
  return inject('stewardNode').stewardImage;
}

/**
 * A container of the Steward image hardened the way Pod Security `restricted` demands and Steward's
 * own Pods are: non-root, no privilege escalation, every capability dropped, read-only root filesystem.
 */
export function stewardContainer(
  name: string,
  args: string[],
  extra: Partial<V1Container> = {},
): V1Container {
  return {
    name,
    image: stewardImage(),
    // Imported into the node's runtime (or `kind load`ed): never pulled.
    imagePullPolicy: 'Never',
    args,
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
    ...extra,
  };
}

/** A Pod spec around the containers, with the Pod-level half of the `restricted` profile. */
export function restrictedPodSpec(containers: V1Container[], extra: Partial<V1PodSpec> = {}): V1PodSpec {
  return {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers,
    ...extra,
  };
}

/** A container running a Node.js one-liner in the Steward image (its entry point is `steward`). */
export function nodeScript(name: string, script: string, extra: Partial<V1Container> = {}): V1Container {
  return { ...stewardContainer(name, ['-e', script], extra), command: ['node'] };
}

/** Waits until the Pod reaches one of the phases and returns it; the message shows the last state seen. */
export async function podReaches(namespace: string, name: string, phases: string[]): Promise<V1Pod> {
  const { core } = clients();
  let last: V1Pod | undefined;
  return eventually(
    () =>
      `Pod ${namespace}/${name} to reach ${phases.join(' or ')} (last status: ${JSON.stringify(last?.status)})`,
    async () => {
      last = await core.readNamespacedPod({ namespace, name });
      return phases.includes(last.status?.phase ?? '') ? last : undefined;
    },
    podFinishTimeoutMs,
  );
}

export function podLog(namespace: string, name: string, container: string): Promise<string> {
  return clients().core.readNamespacedPodLog({ namespace, name, container });
}
