/**
 * Controller benchmark: N Widgets created and reconciled (each writes one owned ConfigMap and a
 * status), end to end, against a bare client creating the same N objects on the same private
 * control plane in the same run (the ceiling). Prints objects/s for both, their ratio and the
 * operator's peak RSS. Never asserts on time.
 *
 *   pnpm --filter @steward/runtime bench            (BENCH_OBJECTS, BENCH_WORKERS to vary)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigMapType, KubeClient } from '@steward/runtime';
import { startControlPlane } from '../../../test/harness/controlplane.ts';
import {
  installWidgetCrd,
  isConverged,
  newWidget,
  type Widget,
  WidgetType,
} from '../../../test/integration/fixtures/runtime-widget.ts';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 2000);
const OPERATOR_WORKERS = Number(process.env.BENCH_WORKERS ?? 16);
// Requests the creating client keeps in flight, in both runs: enough to keep the API server busy.
const CLIENT_PARALLELISM = 32;
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

function linesOf(child: ChildProcess, onLine: (line: Record<string, unknown>) => void): void {
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        onLine(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a log line, not a report
      }
    }
  });
}

const controlPlane = await startControlPlane({ controllerManager: false });
let operator: ChildProcess | undefined;
try {
  const kubeConfig = controlPlane.kubeConfig();
  const client = new KubeClient(kubeConfig);
  await installWidgetCrd(kubeConfig);
  for (const name of ['baseline', 'operator']) {
    await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name } } });
  }

  const baselineStart = performance.now();
  await createAll(client, 'baseline');
  const baselineRate = OBJECTS / ((performance.now() - baselineStart) / 1000);

  operator = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      fileURLToPath(new URL('./operator.ts', import.meta.url)),
      controlPlane.kubeconfigPath,
      'operator',
      String(OBJECTS),
      String(OPERATOR_WORKERS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  const reports: Record<string, unknown> = {};
  let onReport = () => {};
  linesOf(operator, (line) => {
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
  await createAll(client, 'operator');
  await until('converged');
  const operatorRate = OBJECTS / ((performance.now() - operatorStart) / 1000);

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

  console.log(`## runtime: controller benchmark (N = ${OBJECTS}, ${OPERATOR_WORKERS} workers)`);
  console.log(`bare client creates:        ${baselineRate.toFixed(0)} objects/s (ceiling)`);
  console.log(
    `operator end to end:        ${operatorRate.toFixed(0)} objects/s (create + apply ConfigMap + status)`,
  );
  console.log(`ratio operator / ceiling:   ${(operatorRate / baselineRate).toFixed(2)} (target >= 0.5)`);
  console.log(`operator peak RSS:          ${rssMb.toFixed(0)} MB (target < 200 MB)`);
  console.log(`verified converged:         ${converged} / ${OBJECTS}`);
  console.log(`operator at convergence:     ${JSON.stringify(reports)}`);
  if (converged !== OBJECTS) process.exitCode = 1;
} finally {
  if (operator && operator.exitCode === null && operator.signalCode === null) operator.kill('SIGKILL');
  await controlPlane.stop();
}
