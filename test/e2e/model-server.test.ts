/**
 * The fraud-scoring example served for real: the example trainer makes the artefact, a ModelDeployment
 * serves it with the example model server from the Steward image on the node, the pod turns Ready once
 * the model is loaded, the ModelDeployment follows its Deployment to Ready, and a prediction from the
 * pod validates against the example OutputContract with the contracts engine.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { ConditionType, type ModelDeployment, type OutputContract } from '@steward/api';
import { compileValidator, outputContractSpecSchema } from '@steward/contracts';
import { predict, readModel } from '@steward/example-fraud-trainer';
import { ModelDeploymentType, OutputContractType } from '@steward/operator';
import { KubeClient } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';
import { clients, stewardImage } from './support.ts';

const example = new URL('../../examples/fraud-scoring/', import.meta.url).pathname;
const read = <T>(file: string) => load(readFileSync(join(example, file), 'utf8')) as T;
// How the image runs the example model server (docs/e2e.md); MODEL_URI, set by the operator, names the artefact.
const MODEL_SERVER_COMMAND = ['node', '/app/examples/fraud-scoring/model-server/src/main.ts'];
const VERSION = '2.3.1';
const SERVER_PORT = 8080;
// Starting the container, loading the model and the kubelet's next readiness probe (every 10 s), on a
// busy 2-core machine.
const SERVING_TIMEOUT_MS = 180_000;
// A handful of held-out transactions to score: enough to see every decision the model makes on them.
const INSTANCES = 20;

/** Serves `folder` read-only over HTTP on every address of the host: the artefact store the pod reads. */
async function artefactStore(folder: string): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const path = normalize(
      join(folder, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)),
    );
    if (!path.startsWith(folder)) return response.writeHead(403).end();
    readFile(path).then(
      (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

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
  let client: KubeClient;
  let operator: OperatorProcess | undefined;
  let store: Server | undefined;
  let folder = '';
  let modelUri = '';

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
    const served = await artefactStore(folder);
    store = served.server;
    modelUri = `http://${inject('stewardNode').hostIp}:${served.port}/${VERSION}/`;
    operator = await startOperatorProcess(ns.name);
  });

  afterAll(async () => {
    await operator?.stop();
    store?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('serves predictions that validate against the OutputContract, and the ModelDeployment follows to Ready', async () => {
    const started = Date.now();
    const contract = read<OutputContract>('output-contract.yaml');
    await client.create(OutputContractType, {
      ...contract,
      metadata: { ...contract.metadata, namespace: ns.name },
    });
    const model = read<ModelDeployment>('model-deployment.yaml');
    const spec = structuredClone(model.spec);
    spec.owner = {
      ...(spec.owner as NonNullable<typeof spec.owner>),
      lastReviewed: new Date().toISOString().slice(0, 10),
    };
    spec.model = { name: 'fraud-scorer', version: VERSION, uri: modelUri };
    // The example's image, arguments, secret and sizing belong to a production server; this one is the
    // example server in the Steward image, one small replica.
    spec.serving = {
      image: stewardImage(),
      command: MODEL_SERVER_COMMAND,
      port: SERVER_PORT,
      readinessPath: '/readyz',
      replicas: 1,
    };
    await client.create(ModelDeploymentType, {
      ...model,
      metadata: { ...model.metadata, namespace: ns.name },
      spec,
    });

    let last: ModelDeployment | undefined;
    const ready = await eventually(
      () => `ModelDeployment fraud-scorer to be Ready (last status: ${JSON.stringify(last?.status)})`,
      async () => {
        last = await client.get<ModelDeployment>(ModelDeploymentType, ns.name, 'fraud-scorer');
        const condition = last.status?.conditions?.find((c) => c.type === ConditionType.Ready);
        return condition?.status === 'True' ? last : undefined;
      },
      SERVING_TIMEOUT_MS,
    );
    console.log(`e2e model server: Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(ready.status?.servingVersion).toBe(VERSION);
    expect(ready.status?.servingUri).toBe(modelUri);
    expect(ready.status?.availableReplicas).toBe(1);

    const pods = await clients().core.listNamespacedPod({
      namespace: ns.name,
      labelSelector: 'app.kubernetes.io/instance=fraud-scorer',
    });
    const pod = pods.items.find((p) =>
      p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(pod?.status?.podIP, JSON.stringify(pods.items.map((p) => p.status))).toBeDefined();
    const base = `http://${pod?.status?.podIP}:${SERVER_PORT}`;
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({
      status: 'ready',
      model: 'fraud-scorer',
      version: VERSION,
    });

    const instances = featureRows(join(example, 'data/holdout.csv'), INSTANCES);
    const response = await fetch(`${base}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances }),
    });
    expect(response.status).toBe(200);
    const { predictions } = (await response.json()) as { predictions: Record<string, unknown>[] };
    expect(predictions).toHaveLength(INSTANCES);
    const violationsOf = compileValidator(outputContractSpecSchema.parse(contract.spec).schema);
    for (const prediction of predictions) expect(violationsOf(prediction as never)).toEqual([]);
    // The pod scores with the artefact the trainer wrote, exactly as the trainer's own scorer does.
    const artefact = await readModel(`file://${folder}/${VERSION}/`);
    expect(predictions).toEqual(instances.map((row) => JSON.parse(JSON.stringify(predict(artefact, row)))));
    console.log(`e2e model server: decisions ${JSON.stringify(predictions.map((p) => p.decision))}`);
  });
});
