import { describe, expect, it } from 'vitest';
import { clients, podReaches, restrictedPodSpec, stewardContainer } from './support.ts';

describe('a namespace enforcing Pod Security restricted', () => {
  it('admits and runs the Pod shape Steward uses, and rejects a privileged Pod with the reason', async () => {
    const { core } = clients();
    const namespace = `t-pod-security-${Math.random().toString(16).slice(2, 8)}`;
    await core.createNamespace({
      body: {
        metadata: {
          name: namespace,
          labels: { 'steward.dev/test': 'true', 'pod-security.kubernetes.io/enforce': 'restricted' },
        },
      },
    });
    try {
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'steward' },
          spec: restrictedPodSpec([stewardContainer('version', ['version'])]),
        },
      });
      const pod = await podReaches(namespace, 'steward', ['Succeeded', 'Failed']);
      expect(pod.status?.phase, JSON.stringify(pod.status)).toBe('Succeeded');

      const privileged = stewardContainer('version', ['version'], {
        securityContext: { privileged: true, runAsUser: 0 },
      });
      const rejection = await core
        .createNamespacedPod({
          namespace,
          body: { metadata: { name: 'privileged' }, spec: { containers: [privileged] } },
        })
        .then(
          () => undefined,
          (err: { code?: number; body?: string }) => err,
        );
      expect(rejection?.code).toBe(403);
      const { message } = JSON.parse(rejection?.body ?? '{}') as { message?: string };
      expect(message).toContain('violates PodSecurity "restricted:latest"');
      expect(message).toContain('container "version" must not set securityContext.privileged=true');
    } finally {
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    }
  });
});
