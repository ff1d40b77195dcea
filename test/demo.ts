// `make demo`: a local control plane, the Steward CRDs, the real `steward operator` process and
// the fraud-scoring example scenario, with its outcome printed. Interactive runs stay up until
// Ctrl-C; runs without a terminal (scripts, CI) exit after the scenario: 0 when it played out.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VersionApi } from '@kubernetes/client-node';
import { ConditionType, type ModelDeployment, type OutputContract, Reason } from '@steward/api';
import { load } from 'js-yaml';
import { startDemoCluster } from './demo-cluster.ts';
import { installCrds, kubeRequest } from './harness/crds.ts';
import { eventually } from './harness/eventually.ts';
import { admitted, blockedFor } from './harness/model-gates.ts';
import { freePort } from './harness/ports.ts';

const repoRoot = new URL('../', import.meta.url).pathname;
const runDir = join(repoRoot, '.run/demo');
const examplesDir = join(repoRoot, 'examples/fraud-scoring');
const namespace = 'fraud-scoring';
const contractName = 'fraud-score';
const modelName = 'fraud-scorer';
const stewardApi = `/apis/mlops.steward.dev/v1alpha1/namespaces/${namespace}`;
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

/** GETs one object of the demo's namespace; undefined when it does not exist (yet). */
async function read<T>(path: string): Promise<T | undefined> {
  const res = await kubeRequest(kc, 'GET', path);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`reading ${path}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as T;
}

type Conditioned = {
  status?: { conditions?: { type: string; reason: string; status: string; message: string }[] };
};
function conditionOf(object: Conditioned, type: string) {
  return object.status?.conditions?.find((c) => c.type === type);
}

/**
 * Waits until the controller has written status for the given generation and `done` holds; the
 * timeout message shows the last conditions seen, so a failed step says where it stopped.
 */
async function reaches<T extends Conditioned & { metadata?: { generation?: number } }>(
  kind: string,
  plural: string,
  name: string,
  what: string,
  done: (object: T) => boolean,
): Promise<T> {
  let last: T | undefined;
  return eventually(
    () => `${kind} ${name} to be ${what} (last conditions: ${JSON.stringify(last?.status?.conditions)})`,
    async () => {
      last = await read<T>(`${stewardApi}/${plural}/${name}`);
      const status = last?.status as { observedGeneration?: number } | undefined;
      const current = last !== undefined && status?.observedGeneration === last.metadata?.generation;
      return current && last && done(last) ? last : undefined;
    },
    scenarioStepTimeoutMs,
  );
}

const contractReaches = (type: string, reason: string) =>
  reaches<OutputContract>(
    'OutputContract',
    'outputcontracts',
    contractName,
    `${type}=${reason}`,
    (c) => conditionOf(c, type)?.reason === reason,
  );

const modelReaches = (what: string, done: (model: ModelDeployment) => boolean) =>
  reaches<ModelDeployment>('ModelDeployment', 'modeldeployments', modelName, what, done);

type Deployment = { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } };
const deploymentPath = `/apis/apps/v1/namespaces/${namespace}/deployments/${modelName}`;
const deploymentImage = async () =>
  (await read<Deployment>(deploymentPath))?.spec?.template?.spec?.containers?.[0]?.image;
/** Waits until the model's Deployment runs the image: the controller applies children before status. */
const deploymentRuns = (image: string) =>
  eventually(
    `Deployment ${modelName} to run ${image}`,
    async () => ((await deploymentImage()) === image ? image : undefined),
    scenarioStepTimeoutMs,
  );

function printModel(model: ModelDeployment) {
  const blocked = conditionOf(model, ConditionType.RolloutBlocked);
  console.log(
    `   ModelDeployment ${modelName} ${model.spec.model.version}: RolloutBlocked=${blocked?.status}, admitted ${model.status?.admitted?.version ?? 'none'}`,
  );
  for (const reason of model.status?.blockedReasons ?? []) {
    console.log(`     blocked: ${reason.reason} — ${reason.message}`);
  }
}

const examples = Object.fromEntries(
  ['output-contract', 'model-deployment'].map((file) => [
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

  const contract = examples['output-contract'];
  const model = examples['model-deployment'];
  if (!contract || !model) throw new Error('examples/fraud-scoring is missing its contract or model');
  const modelSpec = model.spec as ModelDeployment['spec'];

  // Step 1: the model arrives without an owner: no owner, no rollout.
  await apply(contract, 'outputcontracts');
  const published = await contractReaches(ConditionType.Ready, Reason.Published);
  console.log(
    `1. published OutputContract ${contractName} ${published.status?.latestVersion}: Ready (${conditionOf(published, ConditionType.Ready)?.message})`,
  );
  for (const consumer of published.status?.consumerStatuses ?? []) {
    console.log(
      `     consumer ${consumer.name} (${consumer.accepts}): ${consumer.inRange ? 'in range' : 'OUT OF RANGE'}`,
    );
  }
  const { owner, ...withoutOwner } = modelSpec;
  await apply({ ...model, spec: withoutOwner }, 'modeldeployments');
  console.log(`   applied ModelDeployment ${modelName} ${modelSpec.model.version ?? ''} without spec.owner`);
  const ownerless = await modelReaches(`blocked for ${Reason.OwnerMissing}`, blockedFor(Reason.OwnerMissing));
  printModel(ownerless);
  console.log(`     Deployment ${modelName}: ${(await deploymentImage()) ?? 'none (nothing rolled out)'}`);

  // Step 2: the owner is named; every gate passes and the version rolls out.
  const servingVersion = '2.3.1';
  const image = (version: string) => `ghcr.io/example/fraud-scorer-server:${version}`;
  await apply(model, 'modeldeployments');
  console.log(`\n2. named the owner ${owner?.name} (${owner?.team}, reviewed ${owner?.lastReviewed})`);
  printModel(await modelReaches(`admitted at ${servingVersion}`, admitted(servingVersion)));
  console.log(`     Deployment ${modelName}: serving ${await deploymentRuns(image(servingVersion))}`);

  // Step 3: a new model version drops a field the contract requires; v1 keeps serving.
  const nextVersion = '2.4.0';
  const breaking = structuredClone(modelSpec);
  breaking.model = {
    ...breaking.model,
    version: nextVersion,
    uri: `s3://ml-models/fraud-scorer/${nextVersion}/`,
  };
  breaking.serving.image = image(nextVersion);
  breaking.output = { fields: (breaking.output?.fields ?? []).filter((f) => f.path !== 'decision') };
  // Approved like its predecessor, so the contract is the only gate it fails.
  for (const approval of breaking.governance?.approvals ?? []) approval.version = nextVersion;
  await apply({ ...model, spec: breaking }, 'modeldeployments');
  console.log(`\n3. applied ${modelName} ${nextVersion}, whose output no longer has the field 'decision'`);
  printModel(
    await modelReaches(`blocked for ${Reason.ContractBreaking}`, blockedFor(Reason.ContractBreaking)),
  );
  const during = await deploymentImage();
  if (during !== image(servingVersion))
    throw new Error(`step 3: Deployment ${modelName} runs ${during}, not v1`);
  console.log(`     Deployment ${modelName}: still serving ${during}`);

  // Step 4: the contract itself drops a field its consumers read, announced as a minor version.
  const fields = (contract.spec.schema as { fields: { path: string }[] }).fields.filter(
    (f) => f.path !== 'model_version',
  );
  await apply(
    { ...contract, spec: { ...contract.spec, version: '2.2.0', schema: { fields } } },
    'outputcontracts',
  );
  console.log('\n4. published contract 2.2.0, which removes the field model_version, as a minor version');
  const flagged = await contractReaches(
    ConditionType.VersionBumpValid,
    Reason.BreakingChangeWithoutMajorBump,
  );
  const bump = conditionOf(flagged, ConditionType.VersionBumpValid);
  console.log(`   ${ConditionType.VersionBumpValid}=${bump?.status} (${bump?.reason}): ${bump?.message}`);
  for (const finding of flagged.status?.lastDiff?.findings ?? []) {
    console.log(`     ${finding.severity}: ${finding.path} ${finding.change} — ${finding.reason}`);
  }
  console.log(
    `\nOutcome: no owner, no rollout; with an owner ${servingVersion} serves; ${nextVersion}, which breaks the contract, is blocked naming the field while ${servingVersion} keeps serving; the breaking contract change without a major bump is flagged when published.`,
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
