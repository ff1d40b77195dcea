/**
 * Controller benchmark: N Widgets created and reconciled (each writes one owned ConfigMap and a
 * status), end to end, against a bare client creating the same N objects on the same private
 * control plane in the same run (the ceiling). Prints objects/s for both, their ratio and the
 * operator's peak RSS. Never asserts on time.
 *
 *   pnpm --filter @steward/test bench           (BENCH_OBJECTS, BENCH_WORKERS to vary)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMapType, controllerReference, KubeClient } from '@steward/runtime';
import { startControlPlane } from '../harness/controlplane.ts';
import { onJsonLines } from '../harness/processes.ts';
import {
  installWidgetCrd,
  isConverged,
  newWidget,
  type Widget,
  WidgetType,
} from '../integration/fixtures/runtime-widget.ts';
import { cpuSecondsOf } from './cpu.ts';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 2000);
const OPERATOR_WORKERS = Number(process.env.BENCH_WORKERS ?? 16);
// Requests the creating client keeps in flight, in both runs: enough to keep the API server busy.
const CLIENT_PARALLELISM = 32;
// The Node flags Steward's operator Deployment runs with (see docs/runtime.md): a small young
// generation and a capped old one keep RSS near the live set instead of letting garbage pile up.
const OPERATOR_NODE_FLAGS =
  process.env.BENCH_OPERATOR_FLAGS ?? '--max-semi-space-size=2 --max-old-space-size=128';
const MB = 1024 * 1024;

async function createAll(client: KubeClient, namespace: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENT_PARALLELISM }, async () => {
      for (let i = next++; i < OBJECTS; i = next++) {
        await client.create(WidgetType, newWidget(namespace, `w${i}`, `message ${i}`));
      }
    }),
  );
}

/**
 * The same three writes per object that the operator path costs (create, apply the owned
 * ConfigMap, merge-patch the status), issued by a bare client with no informer, queue or
 * reconcile in between: the ceiling for any controller on this API server, so the ratio against
 * it is the runtime's own overhead.
 */
async function writeAllLikeTheOperator(client: KubeClient, namespace: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENT_PARALLELISM }, async () => {
      for (let i = next++; i < OBJECTS; i = next++) {
        const widget = await client.create<Widget>(WidgetType, newWidget(namespace, `w${i}`, `message ${i}`));
        await client.apply(ConfigMapType, {
          metadata: {
            namespace,
            name: `w${i}-out`,
            labels: { 'runtime-test.steward.dev/widget': `w${i}` },
            ownerReferences: [controllerReference(WidgetType, widget)],
          },
          data: { message: widget.spec.message },
        } as KubernetesObject);
        const generation = widget.metadata?.generation;
        await client.mergePatch(
          WidgetType,
          namespace,
          `w${i}`,
          {
            status: {
              observedGeneration: generation,
              message: widget.spec.message,
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'Reconciled',
                  message: 'output written',
                  observedGeneration: generation,
                  lastTransitionTime: new Date().toISOString(),
                },
              ],
            },
          },
          { subresource: 'status' },
        );
      }
    }),
  );
}

const controlPlane = await startControlPlane({ controllerManager: false });
let operator: ChildProcess | undefined;
try {
  const kubeConfig = controlPlane.kubeConfig();
  const client = new KubeClient(kubeConfig);
  await installWidgetCrd(kubeConfig);
  await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'operator' } } });

  // The ceiling is measured before and after the operator run and averaged: other load on a shared
  // machine drifts over a minute, and bracketing the operator run cancels most of that drift.
  // CPU is counted over the whole system under test (etcd, kube-apiserver, this client and the
  // operator): objects per CPU-second is far less disturbed by other load than objects per second.
  const systemCpu = () => cpuSecondsOf([...controlPlane.pids(), ...(operator?.pid ? [operator.pid] : [])]);
  const measureCeiling = async (namespace: string) => {
    await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });
    const start = performance.now();
    const cpuStart = systemCpu();
    await createAll(client, namespace);
    return {
      rate: OBJECTS / ((performance.now() - start) / 1000),
      perCpu: OBJECTS / (systemCpu() - cpuStart),
    };
  };
  const ceilingBefore = await measureCeiling('baseline-before');
  await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'same-writes' } } });
  const sameWritesStart = performance.now();
  const sameWritesCpuStart = systemCpu();
  await writeAllLikeTheOperator(client, 'same-writes');
  const sameWritesRate = OBJECTS / ((performance.now() - sameWritesStart) / 1000);
  const sameWritesPerCpu = OBJECTS / (systemCpu() - sameWritesCpuStart);

  operator = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      ...OPERATOR_NODE_FLAGS.split(' ').filter(Boolean),
      fileURLToPath(new URL('./runtime-operator.ts', import.meta.url)),
      controlPlane.kubeconfigPath,
      'operator',
      String(OBJECTS),
      String(OPERATOR_WORKERS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  const reports: Record<string, unknown> = {};
  let onReport = () => {};
  onJsonLines(operator, (line) => {
    Object.assign(reports, line);
    onReport();
  });
  const until = (key: string) =>
    new Promise<void>((resolve, reject) => {
      onReport = () => reports[key] !== undefined && resolve();
      operator?.once('exit', (code) =>
        reject(new Error(`operator exited (${code}) before reporting ${key}`)),
      );
      onReport();
    });
  await until('ready');

  const operatorStart = performance.now();
  const operatorCpuStart = systemCpu();
  await createAll(client, 'operator');
  await until('converged');
  const operatorRate = OBJECTS / ((performance.now() - operatorStart) / 1000);
  const operatorPerCpu = OBJECTS / (systemCpu() - operatorCpuStart);
  const operatorOwnCpuMs = Number(reports.cpuMs) - Number(reports.startupCpuMs);

  // Check the claim instead of trusting the operator's own count.
  const widgets = (await client.list<Widget>(WidgetType, { namespace: 'operator' })).items;
  const maps = new Map(
    (await client.list(ConfigMapType, { namespace: 'operator' })).items.map((m) => [m.metadata?.name, m]),
  );
  const converged = widgets.filter((w) => isConverged(w, maps.get(`${w.metadata?.name}-out`))).length;

  const exited = new Promise((resolve) => operator?.once('exit', resolve));
  operator.kill('SIGTERM');
  await until('maxRssBytes');
  await exited;
  const rssMb = Number(reports.maxRssBytes) / MB;
  const ceilingAfter = await measureCeiling('baseline-after');
  const baselineRate = (ceilingBefore.rate + ceilingAfter.rate) / 2;
  const baselinePerCpu = (ceilingBefore.perCpu + ceilingAfter.perCpu) / 2;

  const f0 = (n: number) => n.toFixed(0);
  console.log(
    `## runtime: controller benchmark (N = ${OBJECTS}, ${OPERATOR_WORKERS} workers, node ${OPERATOR_NODE_FLAGS})`,
  );
  console.log(
    `bare client creates (ceiling):  ${f0(baselineRate)} objects/s (${f0(ceilingBefore.rate)} before, ${f0(ceilingAfter.rate)} after); ${f0(baselinePerCpu)} objects per system CPU-second`,
  );
  console.log(
    `operator end to end:            ${f0(operatorRate)} objects/s; ${f0(operatorPerCpu)} objects per system CPU-second`,
  );
  console.log(`ratio, wall clock:              ${(operatorRate / baselineRate).toFixed(2)} (target >= 0.5)`);
  console.log(`ratio, per system CPU-second:   ${(operatorPerCpu / baselinePerCpu).toFixed(2)}`);
  console.log(
    `bare client, same 3 writes:     ${f0(sameWritesRate)} objects/s; ${f0(sameWritesPerCpu)} objects per system CPU-second`,
  );
  console.log(
    `ratio vs same writes (runtime overhead): ${(operatorRate / sameWritesRate).toFixed(2)} wall clock, ${(operatorPerCpu / sameWritesPerCpu).toFixed(2)} per system CPU-second`,
  );
  console.log(`operator peak RSS:              ${rssMb.toFixed(0)} MB (target < 200 MB)`);
  console.log(`operator CPU per object:        ${(operatorOwnCpuMs / OBJECTS).toFixed(2)} ms`);
  console.log(
    `operator API writes per object: ${(Number(reports.writes) / OBJECTS).toFixed(2)} (the client's create is one more)`,
  );
  console.log(`verified converged:             ${converged} / ${OBJECTS}`);
  if (converged !== OBJECTS) process.exitCode = 1;
} finally {
  if (operator && operator.exitCode === null && operator.signalCode === null) operator.kill('SIGKILL');
  await controlPlane.stop();
}
