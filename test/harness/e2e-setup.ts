import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { provisionNodeAssets } from './node/assets.ts';
import { whyNodeCannotRun } from './node/host-support.ts';
import { startClusterWithNode } from './node/node.ts';
import type { SharedControlPlane, SharedNode } from './shared.ts';

/**
 * Vitest global setup of the end-to-end project: a control plane plus a real node (kubelet,
 * containerd, runc, CNI, kube-scheduler) running the Steward image. With USE_EXISTING_CLUSTER=true
 * the suites run against the cluster in KUBECONFIG instead (kind with the image loaded), given
 * STEWARD_IMAGE and STEWARD_HOST_IP. The teardown it returns stops everything and fails the run
 * when the host could not be restored.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.USE_EXISTING_CLUSTER === 'true') {
    const { STEWARD_IMAGE: stewardImage, STEWARD_HOST_IP: hostIp } = process.env;
    if (!stewardImage || !hostIp) {
      throw new Error(
        'USE_EXISTING_CLUSTER=true runs the e2e suites on your cluster and needs STEWARD_IMAGE (the Steward image as its ' +
          'nodes know it, e.g. `docker build -t steward:e2e . && kind load docker-image steward:e2e`) and STEWARD_HOST_IP ' +
          '(an address of this machine its Pods can reach, e.g. the kind network gateway)',
      );
    }
    const kubeconfigPath =
      (process.env.KUBECONFIG || join(homedir(), '.kube/config')).split(delimiter)[0] ?? '';
    project.provide('stewardControlPlane', { kubeconfigPath, hasControllerManager: true, logsDir: '' });
    project.provide('stewardNode', { stewardImage, hostIp, kubectl: '', logsDir: '' });
    return async () => {};
  }
  const reason = whyNodeCannotRun();
  if (reason) throw new Error(`this machine cannot host the e2e node: ${reason}`);
  const cluster = await startClusterWithNode(provisionNodeAssets());
  const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
  const { timings } = cluster;
  console.log(
    `cluster with a node ready in ${seconds(timings.totalMs)} (control plane ${seconds(timings.controlPlaneMs)}, ` +
      `images ${seconds(timings.imagesMs)}, containerd ${seconds(timings.containerdMs)}, ` +
      `kubelet to Node Ready ${seconds(timings.kubeletToReadyMs)})`,
  );
  const sharedControlPlane: SharedControlPlane = {
    kubeconfigPath: cluster.controlPlane.kubeconfigPath,
    hasControllerManager: true,
    logsDir: cluster.controlPlane.logsDir,
  };
  const sharedNode: SharedNode = {
    stewardImage: cluster.stewardImage,
    hostIp: cluster.nodeIp,
    kubectl: join(cluster.binDir, 'kubectl'),
    logsDir: cluster.logsDir,
  };
  project.provide('stewardControlPlane', sharedControlPlane);
  project.provide('stewardNode', sharedNode);
  // Lets the harness's own tests check, from outside, that a finished run left nothing behind.
  if (process.env.STEWARD_PIDS_FILE)
    writeFileSync(
      process.env.STEWARD_PIDS_FILE,
      JSON.stringify({ pids: cluster.pids(), dir: cluster.controlPlane.dir }),
    );
  return async () => {
    const problems = await cluster.stop();
    if (problems.length > 0)
      throw new Error(`the node's teardown left the host changed: ${problems.join('; ')}`);
  };
}
