import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startControlPlane } from './controlplane.ts';
import type { SharedControlPlane } from './shared.ts';

/**
 * Vitest global setup of the integration project: one control plane for the whole run, or the
 * cluster in KUBECONFIG when USE_EXISTING_CLUSTER=true. The teardown it returns stops the
 * processes; the guardian and an exit hook stop them too when the run is interrupted.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.USE_EXISTING_CLUSTER === 'true') {
    const kubeconfigPath =
      (process.env.KUBECONFIG || join(homedir(), '.kube/config')).split(delimiter)[0] ?? '';
    const shared: SharedControlPlane = { kubeconfigPath, hasControllerManager: true, logsDir: '' };
    project.provide('stewardControlPlane', shared);
    return async () => {};
  }
  const started = Date.now();
  // STEWARD_CONTROLLER_MANAGER=false saves a core when no test needs garbage collection or Jobs.
  const controlPlane = await startControlPlane(
    process.env.STEWARD_CONTROLLER_MANAGER === 'false' ? { controllerManager: false } : {},
  );
  console.log(
    `control plane ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${controlPlane.server} ` +
      `(kube-controller-manager: ${controlPlane.hasControllerManager ? 'yes' : 'no'})`,
  );
  const shared: SharedControlPlane = {
    kubeconfigPath: controlPlane.kubeconfigPath,
    hasControllerManager: controlPlane.hasControllerManager,
    logsDir: controlPlane.logsDir,
  };
  project.provide('stewardControlPlane', shared);
  // Lets the harness's own tests check, from outside, that a finished run left nothing behind.
  if (process.env.STEWARD_PIDS_FILE)
    writeFileSync(
      process.env.STEWARD_PIDS_FILE,
      JSON.stringify({ pids: controlPlane.pids(), dir: controlPlane.dir }),
    );
  return () => controlPlane.stop();
}
