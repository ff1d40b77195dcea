// `make demo`: boots a local control plane and tells how to reach it. Interactive runs stay
// up until Ctrl-C; runs without a terminal (scripts, CI) check health and exit.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, VersionApi } from '@kubernetes/client-node';
import { startControlPlane } from './harness/controlplane.ts';

const runDir = new URL('../.run/demo/', import.meta.url).pathname;

const started = Date.now();
const controlPlane = await startControlPlane();
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await controlPlane.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  mkdirSync(runDir, { recursive: true });
  const kubeconfig = join(runDir, 'kubeconfig');
  copyFileSync(controlPlane.kubeconfigPath, kubeconfig);
  const kc = controlPlane.kubeConfig();
  const version = await kc.makeApiClient(VersionApi).getCode();
  const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
  console.log(
    [
      `Steward demo: Kubernetes ${version.gitVersion} control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  API server:  ${controlPlane.server}`,
      `  kubeconfig:  ${kubeconfig}`,
      `  controllers: kube-controller-manager ${controlPlane.hasControllerManager ? 'running' : 'not available'}`,
      `  health:      /readyz ok, ${namespaces.items.length} namespaces (${namespaces.items.map((n) => n.metadata?.name).join(', ')})`,
      '',
      `  try:         kubectl --kubeconfig ${kubeconfig} get namespaces`,
    ].join('\n'),
  );
} catch (err) {
  console.error(`demo: the control plane started but does not answer: ${(err as Error).message}`);
  console.error(controlPlane.logs(30));
  await stop(1);
}

if (process.stdin.isTTY) {
  console.log('\nThe control plane stays up until Ctrl-C.');
  // Keep the event loop alive; the signal handlers end the process.
  setInterval(() => {}, 1 << 30);
} else {
  console.log('\nNo terminal on standard input: health check passed, shutting down.');
  await stop(0);
}
