// `make demo`: a local control plane, the Steward CRDs, the real `steward operator` process and
// the fraud-scoring example scenario, with its outcome printed. Interactive runs stay up until
// Ctrl-C; runs without a terminal (scripts, CI) exit after the scenario: 0 when it played out.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VersionApi } from '@kubernetes/client-node';
import { ConditionType, type OutputContract, Reason } from '@steward/api';
import { load } from 'js-yaml';
import { startDemoCluster } from './demo-cluster.ts';
import { installCrds, kubeRequest } from './harness/crds.ts';
import { eventually } from './harness/eventually.ts';
import { freePort } from './harness/ports.ts';

const repoRoot = new URL('../', import.meta.url).pathname;
const runDir = join(repoRoot, '.run/demo');
const examplesDir = join(repoRoot, 'examples/fraud-scoring');
const namespace = 'fraud-scoring';
const contractName = 'fraud-score';
const contractPath = `/apis/mlops.steward.dev/v1alpha1/namespaces/${namespace}/outputcontracts/${contractName}`;
// The operator needs a few seconds to start on a busy 2-core machine, a reconcile well under one.
const scenarioStepTimeoutMs = 60_000;

const started = Date.now();
const cluster = await startDemoCluster();
const { controlPlane } = cluster;
const kc = controlPlane.kubeConfig();
let operator: ChildProcess | undefined;
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  if (operator?.exitCode === null) {
    const exited = new Promise((resolve) => operator?.once('exit', resolve));
    operator.kill('SIGTERM');
    await exited;
  }
  await cluster.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

/** Server-side applies one manifest as the demo's field manager, as `kubectl apply --server-side` would. */
async function apply(manifest: Manifest, plural: string) {
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const path = `${base}/namespaces/${namespace}/${plural}/${manifest.metadata.name}?fieldManager=steward-demo&force=true`;
  const res = await kubeRequest(kc, 'PATCH', path, {
    body: manifest,
    contentType: 'application/apply-patch+yaml',
  });
  if (res.status >= 300)
    throw new Error(`applying ${manifest.kind} ${manifest.metadata.name}: ${res.status} ${res.body}`);
}

async function readContract(): Promise<OutputContract> {
  const res = await kubeRequest(kc, 'GET', contractPath);
  if (res.status !== 200) throw new Error(`reading the OutputContract: ${res.status}`);
  return JSON.parse(res.body) as OutputContract;
}

function conditionOf(contract: OutputContract, type: string) {
  return contract.status?.conditions?.find((c) => c.type === type);
}

/** Waits until the controller has observed the given generation and the condition has the reason. */
function contractReaches(generation: number, type: string, reason: string): Promise<OutputContract> {
  return eventually(
    `OutputContract ${contractName} to reach ${type}=${reason} at generation ${generation}`,
    async () => {
      const contract = await readContract();
      const observed = (contract.status?.observedGeneration ?? 0) >= generation;
      return observed && conditionOf(contract, type)?.reason === reason ? contract : undefined;
    },
    scenarioStepTimeoutMs,
  );
}

const examples = Object.fromEntries(
  ['output-contract', 'model-deployment', 'drift-monitor', 'retrain-pipeline'].map((file) => [
    file,
    load(readFileSync(join(examplesDir, `${file}.yaml`), 'utf8')) as Manifest,
  ]),
);

try {
  mkdirSync(runDir, { recursive: true });
  const kubeconfig = join(runDir, 'kubeconfig');
  copyFileSync(controlPlane.kubeconfigPath, kubeconfig);
  const version = await kc.makeApiClient(VersionApi).getCode();
  console.log(
    `Steward demo: Kubernetes ${version.gitVersion} control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`  API server:  ${controlPlane.server}\n  kubeconfig:  ${kubeconfig}`);
  console.log(`  node:        ${cluster.nodeSummary}`);

  const crds = await installCrds(kc);
  console.log(`  CRDs:        ${crds.map((c) => c.spec.names.kind).join(', ')} installed and Established`);
  await kubeRequest(kc, 'POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });

  const metricsPort = await freePort();
  const operatorLog = join(runDir, 'operator.log');
  const log = openSync(operatorLog, 'w');
  operator = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      join(repoRoot, 'packages/cli/bin/steward.js'),
      'operator',
      '--no-leader-elect',
      `--metrics-port=${metricsPort}`,
    ],
    { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', log, log] },
  );
  await eventually(
    'the operator to report ready on /readyz',
    async () => ((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok ? true : undefined),
    scenarioStepTimeoutMs,
  );
  console.log(
    `  operator:    steward operator running (metrics http://127.0.0.1:${metricsPort}/metrics, log ${operatorLog})\n`,
  );

  // Step 1: the team applies the fraud-scoring scenario.
  const plurals: Record<string, string> = {
    'output-contract': 'outputcontracts',
    'model-deployment': 'modeldeployments',
    'drift-monitor': 'driftmonitors',
    'retrain-pipeline': 'retrainpipelines',
  };
  for (const [file, manifest] of Object.entries(examples)) await apply(manifest, plurals[file] ?? '');
  console.log(
    `1. applied examples/fraud-scoring: ${Object.values(examples)
      .map((m) => `${m.kind}/${m.metadata.name}`)
      .join(', ')}`,
  );
  const first = await contractReaches(1, ConditionType.Ready, Reason.Published);
  console.log(
    `   OutputContract ${contractName} ${first.status?.latestVersion}: Ready (${conditionOf(first, ConditionType.Ready)?.message})`,
  );
  for (const consumer of first.status?.consumerStatuses ?? []) {
    console.log(
      `     consumer ${consumer.name} (${consumer.accepts}): ${consumer.inRange ? 'in range' : 'OUT OF RANGE'}`,
    );
  }

  // Step 2: a model update drops a field the consumers read, announced as a minor version.
  const contract = examples['output-contract'];
  if (!contract) throw new Error('examples/fraud-scoring/output-contract.yaml is missing');
  const fields = (contract.spec.schema as { fields: { path: string }[] }).fields.filter(
    (f) => f.path !== 'model_version',
  );
  await apply(
    { ...contract, spec: { ...contract.spec, version: '2.2.0', schema: { fields } } },
    'outputcontracts',
  );
  console.log('\n2. published 2.2.0, which removes the field model_version, as a minor version');
  const flagged = await contractReaches(
    2,
    ConditionType.VersionBumpValid,
    Reason.BreakingChangeWithoutMajorBump,
  );
  const bump = conditionOf(flagged, ConditionType.VersionBumpValid);
  console.log(`   ${ConditionType.VersionBumpValid}=${bump?.status} (${bump?.reason}): ${bump?.message}`);
  for (const finding of flagged.status?.lastDiff?.findings ?? []) {
    console.log(`     ${finding.severity}: ${finding.path} ${finding.change} — ${finding.reason}`);
  }
  console.log(
    `\nOutcome: Steward flagged the breaking change to ${contractName} when it was published, naming the field; the contract's status, an event and a metric say so.`,
  );
  console.log(
    `  try: ${cluster.kubectl} --kubeconfig ${kubeconfig} get outputcontracts,modeldeployments,driftmonitors,retrainpipelines -n ${namespace}`,
  );
} catch (err) {
  console.error(`demo failed: ${(err as Error).message}`);
  console.error(controlPlane.logs(20));
  await stop(1);
}

if (process.stdin.isTTY) {
  console.log('\nThe control plane and the operator stay up until Ctrl-C.');
  // Keep the event loop alive; the signal handlers end the process.
  setInterval(() => {}, 1 << 30);
} else {
  console.log('\nNo terminal on standard input: shutting down.');
  await stop(0);
}
