import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestNamespace } from '../harness/index.ts';
import { clients, nodeScript, podLog, podReaches, restrictedPodSpec, stewardContainer } from './support.ts';

const cliVersion = (
  JSON.parse(readFileSync(new URL('../../packages/cli/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('the Steward image on the node', () => {
  const ns = useTestNamespace();

  it('runs `steward version` to Succeeded; its log and a termination message come back through the API', async () => {
    const result = { candidateVersion: '1.4.0', accuracy: 0.93 };
    await clients().core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: 'steward-version' },
        spec: restrictedPodSpec([
          stewardContainer('version', ['version']),
          // The result channel Steward's Jobs use: a small JSON document in the termination message.
          nodeScript(
            'report',
            `require('node:fs').writeFileSync('/dev/termination-log', JSON.stringify(${JSON.stringify(result)}))`,
          ),
        ]),
      },
    });
    const pod = await podReaches(ns.name, 'steward-version', ['Succeeded', 'Failed']);
    expect(pod.status?.phase, JSON.stringify(pod.status)).toBe('Succeeded');
    expect(await podLog(ns.name, 'steward-version', 'version')).toBe(`${cliVersion}\n`);
    const report = pod.status?.containerStatuses?.find((c) => c.name === 'report');
    expect(report?.state?.terminated?.exitCode).toBe(0);
    expect(JSON.parse(report?.state?.terminated?.message ?? '{}')).toEqual(result);
  });

  it('runs the image as its non-root user with a read-only root filesystem', async () => {
    await clients().core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: 'identity' },
        spec: restrictedPodSpec([
          nodeScript(
            'identity',
            `let writable = true; try { require('node:fs').writeFileSync('/app/probe', 'x') } catch { writable = false }
             console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), rootWritable: writable }))`,
          ),
        ]),
      },
    });
    const pod = await podReaches(ns.name, 'identity', ['Succeeded', 'Failed']);
    expect(pod.status?.phase, JSON.stringify(pod.status)).toBe('Succeeded');
    expect(JSON.parse(await podLog(ns.name, 'identity', 'identity'))).toEqual({
      uid: 65532,
      gid: 65532,
      rootWritable: false,
    });
  });
});
