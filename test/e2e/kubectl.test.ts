import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const execFileAsync = promisify(execFile);

describe('kubectl from the pinned Kubernetes module', () => {
  it.skipIf(!inject('stewardNode').kubectl)('reports its own release and sees the node Ready', async () => {
    const { kubectl } = inject('stewardNode');
    const kubeconfig = inject('stewardControlPlane').kubeconfigPath;
    const version = JSON.parse(
      (await execFileAsync(kubectl, ['version', '--client', '-o', 'json'])).stdout,
    ) as {
      clientVersion: { gitVersion: string };
    };
    expect(version.clientVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    const nodes = JSON.parse(
      (await execFileAsync(kubectl, ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'json'])).stdout,
    ) as {
      items: {
        status: { conditions: { type: string; status: string }[]; nodeInfo: { kubeletVersion: string } };
      }[];
    };
    expect(nodes.items).toHaveLength(1);
    const node = nodes.items[0]?.status;
    expect(node?.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node?.nodeInfo.kubeletVersion).toBe(version.clientVersion.gitVersion);
  });
});
