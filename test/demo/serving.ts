import { readFileSync } from 'node:fs';
import type { ModelDeployment } from '@steward/api';
import { eventually } from '../harness/eventually.ts';
import type { DemoKube } from './kube.ts';
import { modelName, namespace } from './kube.ts';
import { deploymentModelVersion, deploymentWhere, modelReaches } from './model.ts';

// What serves each model version in the demo. With a node: the example model server of the Steward image,
// loading the trainer's artefact over HTTP from this host; its Pod turns Ready and answers a prediction.
// Without one: the example's own serving image, and only the Deployment's Pod template to show.

type Serving = ModelDeployment['spec']['serving'];

export interface DemoServing {
  /** spec.model.uri of `version`. */
  modelUri(version: string): string;
  /** spec.serving for the example's `serving` block and `version`. */
  serving(example: Serving, version: string): Serving;
  /** Waits until `version` serves and says how, in one line. */
  servedBy(kube: DemoKube, version: string): Promise<string>;
}

// The example asks for 3 replicas of 500m CPU each: more than a 2-core local node can give beside the
// check and training Pods, which would then never be scheduled. One small replica tells the same story.
const LOCAL_SIZE = { replicas: 1, resources: { requests: { cpu: '50m', memory: '64Mi' } } };

/** The example's image per version (not on any node here): the Deployment is all there is to show. */
export const exampleImageServing: DemoServing = {
  modelUri: (version) => `s3://ml-models/fraud-scorer/${version}/`,
  serving: (example, version) => ({
    ...example,
    ...LOCAL_SIZE,
    image: example.image.replace(/:[^:/]+$/, `:${version}`),
  }),
  servedBy: async (kube, version) => {
    const deployment = await deploymentWhere(
      kube,
      `to run ${version}`,
      (d) => deploymentModelVersion(d) === version,
    );
    return `serving ${version} (image ${deployment.spec?.template?.spec?.containers?.[0]?.image})`;
  },
};

// How the Steward image runs the example model server (docs/e2e.md); MODEL_URI, set by the operator, names the artefact.
const MODEL_SERVER_COMMAND = ['node', '/app/examples/fraud-scoring/model-server/src/main.ts'];
const MODEL_SERVER_PORT = 8080;
// Starting the container, loading the model and the kubelet's next readiness probe (every 10 s), on a busy 2-core machine.
const SERVING_TIMEOUT_MS = 180_000;
const holdout = new URL('../../examples/fraud-scoring/data/holdout.csv', import.meta.url).pathname;

/** The first holdout transaction, its label left out: what the demo asks the served model to score. */
function sampleTransaction(): Record<string, string> {
  const [header = '', first = ''] = readFileSync(holdout, 'utf8').split('\n');
  const cells = first.split(',');
  return Object.fromEntries(
    header.split(',').flatMap((name, at) => (name === 'is_fraud' ? [] : [[name, cells[at] ?? '']])),
  );
}

type Pod = {
  status?: { podIP?: string; conditions?: { type: string; status: string }[] };
  spec?: { containers?: { env?: { name: string; value?: string }[] }[] };
};

/** A Ready Pod of the model's Deployment that serves `version`. */
async function readyPodServing(
  kube: DemoKube,
  version: string,
): Promise<Pod & { status: { podIP: string } }> {
  const selector = encodeURIComponent(`app.kubernetes.io/instance=${modelName}`);
  return eventually(
    `a Ready Pod of ${modelName} serving ${version}`,
    async () => {
      const pods = await kube.read<{ items: Pod[] }>(
        `/api/v1/namespaces/${namespace}/pods?labelSelector=${selector}`,
      );
      const pod = pods?.items.find(
        (p) =>
          p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          p.spec?.containers?.[0]?.env?.some((e) => e.name === 'MODEL_VERSION' && e.value === version),
      );
      return pod?.status?.podIP ? (pod as Pod & { status: { podIP: string } }) : undefined;
    },
    SERVING_TIMEOUT_MS,
  );
}

/** The example model server in `image`, loading artefacts from `artefactBase` (`<base>/<version>/model.json`). */
export function modelServerServing(image: string, artefactBase: string): DemoServing {
  return {
    modelUri: (version) => `${artefactBase}/${version}/`,
    serving: () => ({
      image,
      command: MODEL_SERVER_COMMAND,
      port: MODEL_SERVER_PORT,
      readinessPath: '/readyz',
      ...LOCAL_SIZE,
    }),
    servedBy: async (kube, version) => {
      const model = await modelReaches(
        kube,
        `serving ${version} on a Ready Pod`,
        (m) => m.status?.servingVersion === version && (m.status?.availableReplicas ?? 0) > 0,
        SERVING_TIMEOUT_MS,
      );
      const pod = await readyPodServing(kube, version);
      const response = await fetch(`http://${pod.status.podIP}:${MODEL_SERVER_PORT}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: [sampleTransaction()] }),
      });
      if (!response.ok) throw new Error(`POST /predict to ${pod.status.podIP}: HTTP ${response.status}`);
      const [prediction] = ((await response.json()) as { predictions: Record<string, unknown>[] })
        .predictions;
      const { score, decision, model_version } = prediction ?? {};
      return `serving ${version} (the example model server of the Steward image, ${model.status?.availableReplicas}/${model.spec.serving.replicas} Pods Ready); POST /predict on the first holdout transaction: ${JSON.stringify({ score, decision, model_version })}`;
    },
  };
}
