import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type ControlPlane, startControlPlane } from './harness/controlplane.ts';
import { provisionNodeAssets } from './harness/node/assets.ts';
import { whyNodeCannotRun } from './harness/node/host-support.ts';
import { startClusterWithNode } from './harness/node/node.ts';

const repoRoot = new URL('../', import.meta.url).pathname;

/** The demo's cluster, and what it tells the user about it. */
export interface DemoCluster {
  controlPlane: ControlPlane;
  /** kubectl from the pinned Kubernetes module (absolute path, so the printed line works anywhere). */
  kubectl: string;
  /** The Steward image the node runs, when there is a node. */
  stewardImage: string | undefined;
  /** The host's address Pods on the node reach (servers the demo starts listen there), when there is a node. */
  hostIp: string | undefined;
  /** One line on the node: its name and image, or why there is none. */
  nodeSummary: string;
  stop(): Promise<void>;
}

/** kubectl from the same pinned module as the control plane (built once, cached). */
function ensureKubectl(): string {
  const out = execFileSync(join(repoRoot, 'hack/node/kubectl.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim();
}

/**
 * A control plane with a node when this machine can host one, so the scenario's CronJobs and Jobs
 * really run; the control plane alone otherwise (or with STEWARD_DEMO_NODE=false), saying why.
 */
export async function startDemoCluster(): Promise<DemoCluster> {
  const kubectl = ensureKubectl();
  const reason = process.env.STEWARD_DEMO_NODE === 'false' ? 'STEWARD_DEMO_NODE=false' : whyNodeCannotRun();
  if (reason) {
    const controlPlane = await startControlPlane();
    return {
      controlPlane,
      kubectl,
      stewardImage: undefined,
      hostIp: undefined,
      nodeSummary: `none (${reason}): resources reconcile, but no Pod runs`,
      stop: () => controlPlane.stop(),
    };
  }
  const cluster = await startClusterWithNode(provisionNodeAssets());
  return {
    controlPlane: cluster.controlPlane,
    kubectl,
    stewardImage: cluster.stewardImage,
    hostIp: cluster.nodeIp,
    nodeSummary: `${cluster.nodeName} Ready (kubelet, containerd, runc, bridge CNI), Steward image ${cluster.stewardImage}`,
    stop: async () => {
      const problems = await cluster.stop();
      for (const problem of problems) console.error(`node teardown: ${problem}`);
    },
  };
}
