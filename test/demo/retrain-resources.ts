import { basename } from 'node:path';
import type { DriftMonitor, RetrainPipeline } from '@steward/api';
import { exampleTrainerStage } from '../harness/retrain-jobs.ts';
import type { Manifest } from './kube.ts';

// The example DriftMonitor and RetrainPipeline, pointed at what this cluster has: the example data and
// the artefacts on one volume, the example trainer in the Steward image, no Prometheus.

/** Where the example Jobs and check Pods find the volume holding `data/` and `models/`. */
export const WORK_MOUNT = '/work';

export interface DemoStorage {
  /** The PersistentVolumeClaim holding `data/` (the example data) and `models/` (artefacts). */
  claim: string;
  /** The Steward image, which carries the example trainer. */
  image: string;
}

/** Every `uri` in the tree, rewritten to the example data file of the same name on the claim. */
function onClaim<T>(value: T, claim: string): T {
  if (Array.isArray(value)) return value.map((item) => onClaim(item, claim)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, inner]) => [
    key,
    key === 'uri' && typeof inner === 'string'
      ? `pvc://${claim}/data/${basename(inner)}`
      : onClaim(inner, claim),
  ]);
  return Object.fromEntries(entries) as T;
}

/**
 * The example monitor reading the example data from the claim. Its Prometheus parts (business KPIs, the
 * hallucination rate) need a Prometheus this cluster does not run; the parts that read data stay.
 */
export function demoDriftMonitor(example: Manifest, storage: DemoStorage): Manifest {
  const spec = onClaim(structuredClone(example.spec), storage.claim) as DriftMonitor['spec'];
  delete spec.businessKpis;
  delete spec.prometheus;
  spec.outputQuality = spec.outputQuality?.filter((check) => check.query === undefined);
  return { ...example, spec };
}

/**
 * The example pipeline with the example trainer and validator of the Steward image as its Jobs (the
 * example names registry images and a bucket Secret this cluster does not have); its triggers, gates,
 * promotion and fire drill as the example has them.
 */
export function demoRetrainPipeline(example: Manifest, storage: DemoStorage): Manifest {
  const spec = structuredClone(example.spec) as RetrainPipeline['spec'];
  const volumes = [{ name: 'work', mountPath: WORK_MOUNT, persistentVolumeClaim: storage.claim }];
  const exampleArg = (args: string[] | undefined, flag: string) =>
    args?.find((arg) => arg.startsWith(`${flag}=`));
  spec.train = exampleTrainerStage(
    storage.image,
    'train.ts',
    [`--data=${WORK_MOUNT}/data/training.csv`, `--output=file://${WORK_MOUNT}/models`],
    volumes,
  );
  const fairness = exampleArg(spec.validate.args, '--fairness');
  spec.validate = {
    ...spec.validate,
    ...exampleTrainerStage(
      storage.image,
      'validate.ts',
      [`--holdout=${WORK_MOUNT}/data/holdout.csv`, ...(fairness ? [fairness] : [])],
      volumes,
    ),
  };
  delete spec.validate.env;
  return { ...example, spec };
}
