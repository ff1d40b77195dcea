// Control-plane start-up time: how long the integration suites wait before their first test
// (etcd healthy, then kube-apiserver /readyz; kube-controller-manager is started but not
// awaited). Prints the median of a few starts with and without the controller manager.
import { startControlPlane } from '../harness/controlplane.ts';

// Enough starts for a stable median without making `make bench` slow.
const runs = 3;

async function timeStart(controllerManager: boolean): Promise<number> {
  const started = performance.now();
  const controlPlane = await startControlPlane({ controllerManager });
  const elapsed = performance.now() - started;
  await controlPlane.stop();
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

for (const controllerManager of [false, true]) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timeStart(controllerManager));
  const label = controllerManager
    ? 'etcd + kube-apiserver + kube-controller-manager'
    : 'etcd + kube-apiserver';
  console.log(
    `control plane start-up (${label}): median ${(median(samples) / 1000).toFixed(2)} s over ${runs} runs ` +
      `[${samples.map((s) => (s / 1000).toFixed(2)).join(', ')}]`,
  );
}
