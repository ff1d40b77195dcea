import { basename } from 'node:path';
import type { DriftMonitor, RetrainPipeline } from '@steward/api';
import { exampleTrainerStage } from '../harness/retrain-jobs.ts';
import type { Manifest } from './kube.ts';

// The example DriftMonitor and RetrainPipeline, pointed at what this cluster has: the example data in the
// S3-compatible store, the artefacts on a volume this host serves over HTTP, the example trainer in the
// Steward image, no Prometheus.

/** Where the train Job mounts the artefact volume. */
const ARTEFACT_MOUNT = '/work';

export interface DemoStorage {
  /** The Steward image, which carries the example trainer. */
  image: string;
  /** The s3:// URI of an example data file in the store. */
  dataUri(file: string): string;
  /** The Secret with the store's AWS_* variables (endpoint and credentials). */
  credentialsSecret: string;
  /** The PersistentVolumeClaim the train Job writes artefacts to, under `models/`. */
  artefactClaim: string;
  /** Where this host serves that `models/` folder over HTTP, for the validate Job and the model server. */
  artefactBase: string;
}

// The variables the store's Secret holds; Steward's readers (and so the example trainer) take them from the environment.
const STORE_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL', 'AWS_REGION'];

/** Every data source in the tree (an object with a `uri`) reading the example file of that name from the store. */
function fromStore<T>(value: T, storage: DemoStorage): T {
  if (Array.isArray(value)) return value.map((item) => fromStore(item, storage)) as T;
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const inner = Object.fromEntries(
    Object.entries(source).map(([key, item]) => [key, fromStore(item, storage)]),
  );
  if (typeof source.uri !== 'string') return inner as T;
  return {
    ...inner,
    uri: storage.dataUri(basename(source.uri)),
    credentialsSecretRef: { name: storage.credentialsSecret },
  } as T;
}

/**
 * The example monitor reading the example data from the store. Its Prometheus parts (business KPIs, the
 * hallucination rate) need a Prometheus this cluster does not run; the parts that read data stay.
 */
export function demoDriftMonitor(example: Manifest, storage: DemoStorage): Manifest {
  const spec = fromStore(structuredClone(example.spec), storage) as DriftMonitor['spec'];
  delete spec.businessKpis;
  delete spec.prometheus;
  spec.outputQuality = spec.outputQuality?.filter((check) => check.query === undefined);
  return { ...example, spec };
}

/**
 * The example pipeline with the example trainer and validator of the Steward image as its Jobs (the
 * example names registry images this cluster does not have): data from the store, artefacts to the
 * volume and reported where this host serves them; its triggers, gates, promotion and fire drill as the
 * example has them.
 */
export function demoRetrainPipeline(example: Manifest, storage: DemoStorage): Manifest {
  const spec = structuredClone(example.spec) as RetrainPipeline['spec'];
  const env = STORE_VARIABLES.map((name) => ({
    name,
    secretKeyRef: { name: storage.credentialsSecret, key: name },
  }));
  const train = exampleTrainerStage(
    storage.image,
    'train.ts',
    [
      `--data=${storage.dataUri('training.csv')}`,
      `--output=file://${ARTEFACT_MOUNT}/models`,
      `--published-at=${storage.artefactBase}`,
    ],
    [{ name: 'artefacts', mountPath: ARTEFACT_MOUNT, persistentVolumeClaim: storage.artefactClaim }],
  );
  spec.train = { ...train, env };
  const fairness = spec.validate.args?.find((arg) => arg.startsWith('--fairness='));
  const validate = exampleTrainerStage(storage.image, 'validate.ts', [
    `--holdout=${storage.dataUri('holdout.csv')}`,
    ...(fairness ? [fairness] : []),
  ]);
  spec.validate = { ...spec.validate, ...validate, env };
  return { ...example, spec };
}
