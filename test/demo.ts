// `make demo`: a local control plane (with a node when the machine can host one), the Steward CRDs, the
// real `steward operator` process and the fraud-scoring example scenario as a narrated timeline. Interactive
// runs stay up until Ctrl-C; runs without a terminal (scripts, CI) exit after the scenario: 0 when it played out.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VersionApi } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { setUpApprovers } from './demo/approvals.ts';
import { playDrillStep } from './demo/drill-step.ts';
import { playGateSteps, SERVING_VERSION } from './demo/gate-steps.ts';
import { DemoKube, type Manifest, namespace } from './demo/kube.ts';
import { type NodeStores, startNodeStores } from './demo/node-stores.ts';
import { type DemoOperator, startDemoOperator } from './demo/operator.ts';
import { demoDriftMonitor, demoRetrainPipeline } from './demo/retrain-resources.ts';
import { playRetrainStep } from './demo/retrain-step.ts';
import { exampleImageServing, modelServerServing } from './demo/serving.ts';
import { startDemoCluster } from './demo-cluster.ts';
import { installCrds, kubeRequest } from './harness/crds.ts';

const repoRoot = new URL('../', import.meta.url).pathname;
const runDir = join(repoRoot, '.run/demo');
const examplesDir = join(repoRoot, 'examples/fraud-scoring');

const started = Date.now();
const cluster = await startDemoCluster();
const { controlPlane } = cluster;
const kube = new DemoKube(controlPlane.kubeConfig());
let operator: DemoOperator | undefined;
let stores: NodeStores | undefined;
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await operator?.stop();
  await stores?.stop();
  await cluster.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const example = (file: string) => load(readFileSync(join(examplesDir, `${file}.yaml`), 'utf8')) as Manifest;

try {
  mkdirSync(runDir, { recursive: true });
  const kubeconfig = join(runDir, 'kubeconfig');
  copyFileSync(controlPlane.kubeconfigPath, kubeconfig);
  const version = await kube.kc.makeApiClient(VersionApi).getCode();
  console.log(
    `Steward demo: Kubernetes ${version.gitVersion} control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`  API server:  ${controlPlane.server}\n  kubeconfig:  ${kubeconfig}`);
  console.log(`  node:        ${cluster.nodeSummary}`);

  const crds = await installCrds(kube.kc);
  console.log(`  CRDs:        ${crds.map((c) => c.spec.names.kind).join(', ')} installed and Established`);
  await kubeRequest(kube.kc, 'POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });
  const approvers = await setUpApprovers(kube);
  console.log(
    '  approvals:   the shipped ValidatingAdmissionPolicy in force; the owner and a model-risk officer are two ServiceAccount identities',
  );
  const { stewardImage, hostIp } = cluster;
  if (stewardImage && hostIp) {
    stores = await startNodeStores(kube, hostIp, stewardImage, SERVING_VERSION);
    console.log(`  stores:      ${stores.summary}`);
  }
  operator = await startDemoOperator(kubeconfig, runDir, stewardImage);
  console.log(
    `  operator:    steward operator running (metrics http://127.0.0.1:${operator.metricsPort}/metrics, log ${operator.log})\n`,
  );

  const serving = stores
    ? modelServerServing(stores.storage.image, stores.storage.artefactBase)
    : exampleImageServing;
  const servingSpec = await playGateSteps(
    kube,
    approvers,
    serving,
    example('output-contract'),
    example('model-deployment'),
  );
  const outcome = [
    `no owner, no rollout; with an owner ${SERVING_VERSION} serves; 2.4.0, which breaks the contract, is blocked naming the field while ${SERVING_VERSION} keeps serving; the breaking contract change without a major bump is flagged when published`,
  ];
  if (stores) {
    const { storage } = stores;
    const pipeline = demoRetrainPipeline(example('retrain-pipeline'), storage);
    const { promotedVersion } = await playRetrainStep(
      kube,
      approvers,
      serving,
      demoDriftMonitor(example('drift-monitor'), storage),
      pipeline,
      servingSpec,
    );
    await playDrillStep(kube, pipeline.metadata.name, promotedVersion);
    outcome.push(
      `drift on the example data was detected by the check Pod, retrained on the node, validated, promoted as ${promotedVersion}, approved by the risk officer (not the owner) and rolled out: it answers predictions`,
      'a fire drill passed without changing what serves',
    );
  } else {
    console.log(
      '\n5. and 6. need a node (the drift check, train and validate Jobs run as Pods): skipped, since this cluster has none',
    );
  }
  console.log(`\nOutcome: ${outcome.join('; ')}.`);
  console.log(
    `  try: ${cluster.kubectl} --kubeconfig ${kubeconfig} get outputcontracts,modeldeployments,driftmonitors,retrainpipelines -n ${namespace}`,
  );
} catch (err) {
  console.error(`demo failed: ${(err as Error).message}`);
  const pods = await kube.podSummary().catch((error: Error) => [`cannot list: ${error.message}`]);
  console.error(`----- Pods in ${namespace} -----\n${pods.join('\n')}`);
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
