import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { REPO_ROOT } from '../crd/files.ts';
import { driftMonitorSpecSchema } from './drift-monitor.ts';
import { modelDeploymentSpecSchema } from './model-deployment.ts';
import { retrainPipelineSpecSchema } from './retrain-pipeline.ts';

type Spec = Record<string, unknown>;
function exampleSpec(file: string): Spec {
  const resource = load(readFileSync(join(REPO_ROOT, 'examples/fraud-scoring', file), 'utf8')) as {
    spec: Spec;
  };
  return resource.spec;
}

/** A nested object of the spec being edited; the examples define every part the cases edit. */
function part(spec: Spec, key: string): Spec {
  const value = spec[key];
  if (typeof value !== 'object' || value === null) throw new Error(`example spec has no ${key}`);
  return value as Spec;
}

/** The first element of a list of the spec being edited. */
function first(spec: Spec, key: string): Spec {
  const list = spec[key];
  if (!Array.isArray(list) || typeof list[0] !== 'object') throw new Error(`example spec has no list ${key}`);
  return list[0] as Spec;
}

/** Applies `edit` to a copy of an example's spec: each case breaks exactly one rule of a valid resource. */
function broken(file: string, edit: (spec: Spec) => void): Spec {
  const spec = structuredClone(exampleSpec(file));
  edit(spec);
  return spec;
}

const cases: { name: string; schema: z.ZodType; spec: Spec; path: string; message: string }[] = [
  {
    name: 'a high-risk model without training-data lineage',
    schema: modelDeploymentSpecSchema,
    spec: broken('model-deployment.yaml', (s) => {
      delete part(s, 'governance').trainingData;
    }),
    path: 'governance.trainingData',
    message: 'riskClass high requires trainingData lineage',
  },
  {
    name: 'a model with both version and versionFrom',
    schema: modelDeploymentSpecSchema,
    spec: broken('model-deployment.yaml', (s) => {
      part(s, 'model').versionFrom = { retrainPipeline: 'fraud-scorer-retrain' };
    }),
    path: 'model',
    message: 'set exactly one of version or versionFrom',
  },
  {
    name: 'a contract reference without a declared output',
    schema: modelDeploymentSpecSchema,
    spec: broken('model-deployment.yaml', (s) => {
      delete s.output;
    }),
    path: 'output',
    message: 'output is required when outputContract is set',
  },
  {
    name: 'a ks threshold that is not a p-value',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      part(s, 'dataDrift').features = [{ name: 'amount', method: 'ks', threshold: 1.5 }];
    }),
    path: 'dataDrift.features.0.threshold',
    message: 'threshold of a p-value method (ks, chisquare, ztest) must be in (0, 1)',
  },
  {
    name: 'a KPI query without Prometheus',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      delete s.prometheus;
    }),
    path: 'prometheus',
    message: 'prometheus is required when businessKpis or query-based outputQuality checks are set',
  },
  {
    name: 'a baseline with both a profile and a source',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      part(s, 'baseline').profile = { name: 'fraud-baseline', key: 'profile.json' };
    }),
    path: 'baseline',
    message: 'set exactly one of profile or source',
  },
  {
    name: 'a fire drill on a monitor that may not trigger the pipeline',
    schema: retrainPipelineSpecSchema,
    spec: broken('retrain-pipeline.yaml', (s) => {
      part(s, 'fireDrill').driftMonitor = 'some-other-monitor';
    }),
    path: 'fireDrill.driftMonitor',
    message: 'fireDrill.driftMonitor must be listed in triggers.driftMonitors',
  },
  {
    name: 'a fairness result whose min is above its max',
    schema: modelDeploymentSpecSchema,
    spec: broken('model-deployment.yaml', (s) => {
      Object.assign(first(part(s, 'governance'), 'fairness'), { min: 2 });
    }),
    path: 'governance.fairness.0.min',
    message: 'min must be less than or equal to max',
  },
  {
    name: 'an evaluated AUC above 1, whatever the case of its name',
    schema: modelDeploymentSpecSchema,
    spec: broken('model-deployment.yaml', (s) => {
      Object.assign(first(part(s, 'governance'), 'evaluation'), { name: 'AUC', value: 1.2 });
    }),
    path: 'governance.evaluation.0.value',
    message: 'value must be between 0 and 1 when name is accuracy, precision, recall, f1, auc',
  },
  {
    name: 'an output-quality rate bound above 1',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      Object.assign(first(s, 'outputQuality'), { max: 2 });
    }),
    path: 'outputQuality.0.max',
    message: 'max must be between 0 and 1',
  },
  {
    name: 'a concept-drift auc baseline given in percent',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      part(s, 'conceptDrift').baseline = 94.7;
    }),
    path: 'conceptDrift.baseline',
    message: 'baseline must be between 0 and 1 when metric is accuracy, precision, recall, f1, auc',
  },
  {
    name: 'a negative rmse baseline',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      Object.assign(part(s, 'conceptDrift'), { metric: 'rmse', baseline: -2 });
    }),
    path: 'conceptDrift.baseline',
    message: 'baseline cannot be negative when metric is logloss, rmse, mae',
  },
  {
    name: 'a labels-to-predictions join without key columns',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      delete part(s, 'conceptDrift').keyColumns;
    }),
    path: 'conceptDrift.keyColumns',
    message: 'set predictions and keyColumns together (or neither, for labels already joined)',
  },
  {
    name: 'a minimum match rate without a join',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      const concept = part(s, 'conceptDrift');
      delete concept.predictions;
      delete concept.keyColumns;
    }),
    path: 'conceptDrift.minMatchRate',
    message: 'minMatchRate applies to a join: set predictions and keyColumns',
  },
  {
    name: 'a key column named twice',
    schema: driftMonitorSpecSchema,
    spec: broken('drift-monitor.yaml', (s) => {
      part(s, 'conceptDrift').keyColumns = ['transaction_id', 'transaction_id'];
    }),
    path: 'conceptDrift.keyColumns',
    message: 'keyColumns must not repeat a column',
  },
  {
    name: 'a metric gate whose min is above its max',
    schema: retrainPipelineSpecSchema,
    spec: broken('retrain-pipeline.yaml', (s) => {
      Object.assign(first(part(s, 'validate'), 'gates'), { max: 0.5 });
    }),
    path: 'validate.gates.0.min',
    message: 'min must be less than or equal to max',
  },
  {
    name: 'an auc gate above 1',
    schema: retrainPipelineSpecSchema,
    spec: broken('retrain-pipeline.yaml', (s) => {
      Object.assign(first(part(s, 'validate'), 'gates'), { min: 93 });
    }),
    path: 'validate.gates.0.min',
    message: 'min must be between 0 and 1 when name is accuracy, precision, recall, f1, auc',
  },
  {
    name: 'a category-flip drill above a share of 1',
    schema: retrainPipelineSpecSchema,
    spec: broken('retrain-pipeline.yaml', (s) => {
      part(part(s, 'fireDrill'), 'injection').kind = 'categoryFlip';
    }),
    path: 'fireDrill.injection.magnitude',
    message: 'magnitude of categoryFlip is the share of categories reassigned and must be at most 1',
  },
  {
    name: 'a job volume mounted over the scratch /tmp',
    schema: retrainPipelineSpecSchema,
    spec: broken('retrain-pipeline.yaml', (s) => {
      part(s, 'train').volumes = [{ name: 'tmp', mountPath: '/tmp', persistentVolumeClaim: 'models' }];
    }),
    path: 'train.volumes.0',
    message: "the name steward-scratch and the path /tmp are the scratch volume's",
  },
];

describe('cross-field rules, as zod checks them in Steward code', () => {
  it.each(cases)('$name is rejected at $path', ({ schema, spec, path, message }) => {
    const result = schema.safeParse(spec);
    const issues = (result.error?.issues ?? []).map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    expect(issues).toContainEqual({ path, message });
  });
});
