/**
 * The fraud-scoring example served for real: the example trainer makes the artefact, a ModelDeployment
 * serves it with the example model server from the Steward image on the node, the pod turns Ready once
 * the model is loaded, the ModelDeployment follows its Deployment to Ready, and a prediction from the
 * pod validates against the example OutputContract with the contracts engine.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConditionType, type ModelDeployment, type OutputContract, Reason } from '@steward/api';
import { compileValidator, outputContractSpecSchema } from '@steward/contracts';
import { predict, readModel } from '@steward/example-fraud-trainer';
import { ModelDeploymentType, OutputContractType } from '@steward/operator';
import { type Deployment, DeploymentType, KubeClient } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ArtefactStore, startArtefactStore } from '../harness/artefact-store.ts';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';
import { clients, stewardImage } from './support.ts';

const example = new URL('../../examples/fraud-scoring/', import.meta.url).pathname;
const read = <T>(file: string) => load(readFileSync(join(example, file), 'utf8')) as T;
// How the image runs the example model server (docs/e2e.md); MODEL_URI, set by the operator, names the artefact.
const MODEL_SERVER_COMMAND = ['node', '/app/examples/fraud-scoring/model-server/src/main.ts'];
const VERSION = '2.3.1';
// A version whose artefact the store does not have, and how long its rollout may stall: the server
// starts and exits within seconds, so a short deadline is plenty.
const BROKEN_VERSION = '2.4.0';
const PROGRESS_DEADLINE_SECONDS = 20;
const SERVER_PORT = 8080;
// Starting the container, loading the model and the kubelet's next readiness probe (every 10 s), on a
// busy 2-core machine.
const SERVING_TIMEOUT_MS = 180_000;
// A handful of held-out transactions to score: enough to see every decision the model makes on them.
const INSTANCES = 20;

/** The first `count` rows of a CSV as feature rows, the label column left out. */
function featureRows(file: string, count: number): Record<string, string>[] {
  const [header = '', ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.slice(0, count).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(
      names.flatMap((name, at) => (name === 'is_fraud' ? [] : [[name, cells[at] ?? '']])),
    );
  });
}

describe.skipIf(process.env.USE_EXISTING_CLUSTER === 'true')('the example model server on the node', () => {
  const ns = useTestNamespace();
  const contract = read<OutputContract>('output-contract.yaml');
  let client: KubeClient;
  let operator: OperatorProcess | undefined;
  let store: ArtefactStore | undefined;
  let folder = '';
  /** Where the artefact store serves `version`'s directory. */
  let artefactUri: (version: string) => string = () => '';

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    folder = await mkdtemp(join(tmpdir(), 'steward-e2e-model-'));
    // The example trainer's own command line makes the artefact: <folder>/<version>/model.json.
    await promisify(execFile)(process.execPath, [
      join(example, 'trainer/src/train.ts'),
      `--data=${join(example, 'data/training.csv')}`,
      `--output=file://${folder}`,
      `--version=${VERSION}`,
      `--result=${join(folder, 'result.json')}`,
    ]);
    store = await startArtefactStore(folder);
    const port = store.port;
    artefactUri = (version) => `http://${inject('stewardNode').hostIp}:${port}/${version}/`;
    await client.create(OutputContractType, {
      ...contract,
      metadata: { ...contract.metadata, namespace: ns.name },
    });
    operator = await startOperatorProcess(ns.name);
  });

  afterAll(async () => {
    await operator?.stop();
    store?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** The example ModelDeployment as `name`, serving VERSION with the example model server. */
  async function createModel(name: string, serving: Partial<ModelDeployment['spec']['serving']> = {}) {
    const model = read<ModelDeployment>('model-deployment.yaml');
    const spec = structuredClone(model.spec);
    spec.owner = {
      ...(spec.owner as NonNullable<typeof spec.owner>),
      lastReviewed: new Date().toISOString().slice(0, 10),
    };
    spec.model = { name: 'fraud-scorer', version: VERSION, uri: artefactUri(VERSION) };
    // The example's image, arguments, secret and sizing belong to a production server; this one is the
    // example server in the Steward image, one small replica.
    spec.serving = {
      image: stewardImage(),
      command: MODEL_SERVER_COMMAND,
      port: SERVER_PORT,
      readinessPath: '/readyz',
      replicas: 1,
      ...serving,
    };
    await client.create(ModelDeploymentType, { ...model, metadata: { name, namespace: ns.name }, spec });
  }

  async function modelWhere(name: string, what: string, until: (model: ModelDeployment) => boolean) {
    let last: ModelDeployment | undefined;
    return eventually(
      () => `ModelDeployment ${name}: ${what} (last status: ${JSON.stringify(last?.status)})`,
      async () => {
        last = await client.get<ModelDeployment>(ModelDeploymentType, ns.name, name);
        return until(last) ? last : undefined;
      },
      SERVING_TIMEOUT_MS,
    );
  }
  const conditionOf = (model: ModelDeployment, type: string) =>
    model.status?.conditions?.find((c) => c.type === type);

  /** The address of a Ready pod of `name` running `version`, on the bridge the host reaches. */
  async function readyPod(name: string, version: string): Promise<string> {
    const pods = await clients().core.listNamespacedPod({
      namespace: ns.name,
      labelSelector: `app.kubernetes.io/instance=${name},app.kubernetes.io/version=${version}`,
    });
    const pod = pods.items.find((p) =>
      p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(pod?.status?.podIP, JSON.stringify(pods.items.map((p) => p.status))).toBeDefined();
    return `http://${pod?.status?.podIP}:${SERVER_PORT}`;
  }

  async function predictions(base: string, instances: Record<string, string>[]) {
    const response = await fetch(`${base}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { predictions: Record<string, unknown>[] }).predictions;
  }

  it('serves predictions that validate against the OutputContract, and the ModelDeployment follows to Ready', async () => {
    const started = Date.now();
    await createModel('fraud-scorer');
    const ready = await modelWhere(
      'fraud-scorer',
      'Ready',
      (m) => conditionOf(m, ConditionType.Ready)?.status === 'True',
    );
    console.log(`e2e model server: Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(ready.status?.servingVersion).toBe(VERSION);
    expect(ready.status?.servingUri).toBe(artefactUri(VERSION));
    expect(ready.status?.availableReplicas).toBe(1);

    const base = await readyPod('fraud-scorer', VERSION);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({
      status: 'ready',
      model: 'fraud-scorer',
      version: VERSION,
    });
    const instances = featureRows(join(example, 'data/holdout.csv'), INSTANCES);
    const scored = await predictions(base, instances);
    expect(scored).toHaveLength(INSTANCES);
    const violationsOf = compileValidator(outputContractSpecSchema.parse(contract.spec).schema);
    for (const prediction of scored) expect(violationsOf(prediction as never)).toEqual([]);
    // The pod scores with the artefact the trainer wrote, exactly as the trainer's own scorer does.
    const artefact = await readModel(`file://${folder}/${VERSION}/`);
    expect(scored).toEqual(instances.map((row) => JSON.parse(JSON.stringify(predict(artefact, row)))));
    console.log(`e2e model server: decisions ${JSON.stringify(scored.map((p) => p.decision))}`);
  });

  it('rolls a version whose server never turns ready back to the one serving, which serves throughout', async () => {
    await createModel('fraud-rollback');
    await modelWhere('fraud-rollback', `serving ${VERSION}`, (m) => m.status?.servingVersion === VERSION);
    const started = Date.now();
    // 2.4.0 passes every gate, but its artefact does not exist: the server exits, the pod never turns
    // ready, and the Deployment controller gives up after the deadline.
    const current = await client.get<ModelDeployment>(ModelDeploymentType, ns.name, 'fraud-rollback');
    const governance = current.spec.governance as NonNullable<ModelDeployment['spec']['governance']>;
    const approvals = governance.approvals ?? [];
    await client.mergePatch(ModelDeploymentType, ns.name, 'fraud-rollback', {
      spec: {
        model: { version: BROKEN_VERSION, uri: artefactUri(BROKEN_VERSION) },
        serving: { progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS },
        governance: {
          approvals: [...approvals, { ...approvals[0], version: BROKEN_VERSION }],
        },
      },
    });
    const rolledBack = await modelWhere(
      'fraud-rollback',
      `${BROKEN_VERSION} rolled back`,
      (m) => m.status?.rolledBack?.version === BROKEN_VERSION,
    );
    console.log(
      `e2e model server: rolled back ${((Date.now() - started) / 1000).toFixed(1)} s after the edit`,
    );
    expect(rolledBack.status?.admitted?.version).toBe(VERSION);
    expect(rolledBack.status?.rolledBack?.message).toContain('timed out progressing');
    expect(conditionOf(rolledBack, ConditionType.RolloutBlocked)?.reason).toBe(Reason.RolledBack);
    const deployment = await client.get<Deployment>(DeploymentType, ns.name, 'fraud-rollback');
    expect(deployment.spec?.template.metadata?.labels?.['app.kubernetes.io/version']).toBe(VERSION);
    // The pod of the admitted version kept serving all along (a rollout of one replica never removes
    // it before its successor is ready).
    const [scored] = await predictions(await readyPod('fraud-rollback', VERSION), [{ amount: '120' }]);
    expect(scored?.model_version).toBe(VERSION);
  });
});
