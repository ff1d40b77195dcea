// The end-to-end node: start-up by phase, then Pod create-to-Running latency over 20 Pods each
// of two kinds, one at a time so each latency is the node's alone:
//   - baseline: a container of the pause image (a 1.4 MB static binary): the node's own floor
//     (scheduling, sandbox, network, a container start);
//   - Steward: a container of the Steward image, hardened as Steward's Jobs are, running Node.
// Also create-to-Succeeded of `steward version`, what a drift check's shortest run costs. Prints
// p50/p95 and the Steward/baseline ratio; skipped (with the reason) where no node can run.
import { CoreV1Api, type V1Container, type V1Pod } from '@kubernetes/client-node';
import { provisionNodeAssets } from '../harness/node/assets.ts';
import { whyNodeCannotRun } from '../harness/node/host-support.ts';
import { startClusterWithNode } from '../harness/node/node.ts';

const podsPerKind = Number(process.env.BENCH_PODS ?? 20);
// Polling interval of the readiness probe: fine enough for latencies of hundreds of milliseconds.
const probeMs = 25;
const podTimeoutMs = 120_000;

const reason = whyNodeCannotRun();
if (reason) {
  console.log(`node bench skipped: ${reason}`);
  process.exit(0);
}

const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(2)} s`;
const assets = provisionNodeAssets();
const cluster = await startClusterWithNode(assets);
const { timings } = cluster;
console.log(
  `node start-up: ${seconds(timings.totalMs)} total = control plane ${seconds(timings.controlPlaneMs)}, ` +
    `images into containerd ${seconds(timings.imagesMs)}, containerd ${seconds(timings.containerdMs)}, ` +
    `kubelet to Node Ready ${seconds(timings.kubeletToReadyMs)}`,
);
const core = cluster.controlPlane.kubeConfig().makeApiClient(CoreV1Api);
const namespace = 'default';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Creates the Pod and returns the milliseconds until `done` holds for it, then deletes it. */
async function timePod(name: string, container: V1Container, done: (pod: V1Pod) => boolean): Promise<number> {
  const started = performance.now();
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name },
      spec: {
        restartPolicy: 'Never',
        securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [container],
      },
    },
  });
  // A tighter loop than the harness's `eventually` (100 ms), for latencies of a few hundred ms.
  while (!done(await core.readNamespacedPod({ namespace, name }))) {
    if (performance.now() - started > podTimeoutMs)
      throw new Error(`Pod ${name} did not get there in ${podTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, probeMs));
  }
  const elapsed = performance.now() - started;
  await core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 });
  return elapsed;
}

const hardened = {
  imagePullPolicy: 'Never',
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
  },
};
const running = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.state?.running !== undefined;
const succeeded = (pod: V1Pod) => pod.status?.phase === 'Succeeded';
const kinds = [
  {
    label: 'baseline: pause image, create to Running',
    container: { name: 'c', image: assets.pauseImage, ...hardened },
    done: running,
  },
  {
    label: 'Steward image (node), create to Running',
    container: {
      name: 'c',
      image: cluster.stewardImage,
      command: ['node', '-e', 'setTimeout(() => {}, 3_600_000)'],
      ...hardened,
    },
    done: running,
  },
  {
    label: 'Steward image, `steward version` create to Succeeded',
    container: { name: 'c', image: cluster.stewardImage, args: ['version'], ...hardened },
    done: succeeded,
  },
];

const results = new Map<string, number[]>();
try {
  // Interleaved, so a change in the machine's load affects every kind alike.
  for (let i = 0; i < podsPerKind; i++) {
    for (const [k, kind] of kinds.entries()) {
      const samples = results.get(kind.label) ?? [];
      samples.push(await timePod(`bench-${k}-${i}`, kind.container, kind.done));
      results.set(kind.label, samples);
    }
  }
  const baselineP50 = percentile(results.get(kinds[0]?.label ?? '') ?? [], 50);
  for (const kind of kinds) {
    const samples = results.get(kind.label) ?? [];
    const p50 = percentile(samples, 50);
    console.log(
      `${kind.label}: p50 ${p50.toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms over ${samples.length} Pods ` +
        `(p50 ${(p50 / baselineP50).toFixed(2)}x the baseline)`,
    );
  }
} finally {
  const problems = await cluster.stop();
  if (problems.length > 0) console.error(`node teardown: ${problems.join('; ')}`);
}
