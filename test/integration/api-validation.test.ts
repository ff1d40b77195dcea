import { readFileSync } from 'node:fs';
import { API_VERSION, KIND_DEFINITIONS } from '@steward/api';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCrds, kubeRequest } from '../harness/crds.ts';
import { testKubeConfig, useTestNamespace } from '../harness/index.ts';

const namespace = useTestNamespace();

type Json = Record<string, unknown>;
type Kind = 'ModelDeployment' | 'OutputContract' | 'DriftMonitor' | 'RetrainPipeline';
const EXAMPLE_FILES: Record<Kind, string> = {
  ModelDeployment: 'model-deployment.yaml',
  OutputContract: 'output-contract.yaml',
  DriftMonitor: 'drift-monitor.yaml',
  RetrainPipeline: 'retrain-pipeline.yaml',
};

function example(kind: Kind): Json {
  const url = new URL(`../../examples/fraud-scoring/${EXAMPLE_FILES[kind]}`, import.meta.url);
  return load(readFileSync(url, 'utf8')) as Json;
}

/** The object at a dotted path of `root` (numeric segments index arrays); the examples define every path used. */
function at(root: Json, path: string): Json {
  let node: unknown = root;
  for (const segment of path.split('.')) node = (node as Json)[segment];
  if (typeof node !== 'object' || node === null) throw new Error(`example has no object at ${path}`);
  return node as Json;
}

interface Case {
  name: string;
  kind: Kind;
  /** Breaks a valid example in exactly one way. */
  edit: (resource: Json) => void;
  /** The field the API server must name (a Status cause's `field`). */
  field: string;
  /** A part of the message for that field. */
  message: string;
}

const set = (path: string, key: string, value: unknown) => (r: Json) => {
  at(r, path)[key] = value;
};
const remove = (path: string, key: string) => (r: Json) => {
  delete at(r, path)[key];
};

const cases: Case[] = [
  // ModelDeployment: owner
  {
    name: 'an owner e-mail that is not an address',
    kind: 'ModelDeployment',
    edit: set('spec.owner', 'email', 'amara'),
    field: 'spec.owner.email',
    message: 'must be of type email',
  },
  {
    name: 'an empty owner name',
    kind: 'ModelDeployment',
    edit: set('spec.owner', 'name', ''),
    field: 'spec.owner.name',
    message: 'should be at least 1 chars long',
  },
  {
    name: 'a review interval in words',
    kind: 'ModelDeployment',
    edit: set('spec.owner', 'reviewInterval', '3 months'),
    field: 'spec.owner.reviewInterval',
    message: 'must be a duration such as 30s, 15m, 12h, 90d',
  },
  {
    name: 'a review date that is not a date',
    kind: 'ModelDeployment',
    edit: set('spec.owner', 'lastReviewed', '01/10/2026'),
    field: 'spec.owner.lastReviewed',
    message: 'must be of type date',
  },
  // ModelDeployment: model and serving
  {
    name: 'a model version that is not semver',
    kind: 'ModelDeployment',
    edit: set('spec.model', 'version', '2.3'),
    field: 'spec.model.version',
    message: 'must be a semantic version',
  },
  {
    name: 'both a version and versionFrom',
    kind: 'ModelDeployment',
    edit: set('spec.model', 'versionFrom', { retrainPipeline: 'fraud-scorer-retrain' }),
    field: 'spec.model',
    message: 'set exactly one of version or versionFrom',
  },
  {
    name: 'a version without an artifact uri',
    kind: 'ModelDeployment',
    edit: remove('spec.model', 'uri'),
    field: 'spec.model.uri',
    message: 'uri is required when version is set',
  },
  {
    name: 'an artifact uri with an unsupported scheme',
    kind: 'ModelDeployment',
    edit: set('spec.model', 'uri', 'ftp://models/fraud'),
    field: 'spec.model.uri',
    message: 'must be a URI with scheme',
  },
  {
    name: 'a port above 65535',
    kind: 'ModelDeployment',
    edit: set('spec.serving', 'port', 70000),
    field: 'spec.serving.port',
    message: 'should be less than or equal to 65535',
  },
  {
    name: 'negative replicas',
    kind: 'ModelDeployment',
    edit: set('spec.serving', 'replicas', -1),
    field: 'spec.serving.replicas',
    message: 'should be greater than or equal to 0',
  },
  {
    name: 'an env var with both a value and a secret',
    kind: 'ModelDeployment',
    edit: set('spec.serving.env.1', 'value', 'inline-secret'),
    field: 'spec.serving.env[1]',
    message: 'set exactly one of value or secretKeyRef',
  },
  {
    name: 'the same env var twice',
    kind: 'ModelDeployment',
    edit: set('spec.serving.env.1', 'name', 'LOG_LEVEL'),
    field: 'spec.serving.env[1]',
    message: 'Duplicate value',
  },
  {
    name: 'a cpu request that is not a quantity',
    kind: 'ModelDeployment',
    edit: set('spec.serving.resources.requests', 'cpu', 'lots'),
    field: 'spec.serving.resources.requests[cpu]',
    message: 'must be a Kubernetes quantity',
  },
  // ModelDeployment: contract and governance
  {
    name: 'a contract range that is not a semver range',
    kind: 'ModelDeployment',
    edit: set('spec.outputContract', 'versionRange', 'latest'),
    field: 'spec.outputContract.versionRange',
    message: 'must be a semver range',
  },
  {
    name: 'a contract reference without a declared output',
    kind: 'ModelDeployment',
    edit: remove('spec', 'output'),
    field: 'spec.output',
    message: 'output is required when outputContract is set',
  },
  {
    name: 'the same output field twice',
    kind: 'ModelDeployment',
    edit: set('spec.output.fields.1', 'path', 'score'),
    field: 'spec.output.fields[1]',
    message: 'Duplicate value',
  },
  {
    name: 'an unknown risk class',
    kind: 'ModelDeployment',
    edit: set('spec.governance', 'riskClass', 'extreme'),
    field: 'spec.governance.riskClass',
    message: 'Unsupported value: "extreme"',
  },
  {
    name: 'a high-risk model without an intended purpose',
    kind: 'ModelDeployment',
    edit: remove('spec.governance', 'intendedPurpose'),
    field: 'spec.governance.intendedPurpose',
    message: 'riskClass high requires intendedPurpose',
  },
  {
    name: 'the same approver approving one version twice',
    kind: 'ModelDeployment',
    edit: (r) => {
      const governance = at(r, 'spec.governance');
      const [first] = governance.approvals as Json[];
      governance.approvals = [first, { ...first, comment: 'again' }];
    },
    field: 'spec.governance.approvals[1]',
    message: 'Duplicate value',
  },
  {
    name: 'a high-risk model without fairness results',
    kind: 'ModelDeployment',
    edit: remove('spec.governance', 'fairness'),
    field: 'spec.governance.fairness',
    message: 'riskClass high requires fairness results with bounds',
  },
  {
    name: 'a high-risk model without training-data lineage',
    kind: 'ModelDeployment',
    edit: remove('spec.governance', 'trainingData'),
    field: 'spec.governance.trainingData',
    message: 'riskClass high requires trainingData lineage',
  },
  {
    name: 'a fairness result without bounds',
    kind: 'ModelDeployment',
    edit: (r) => {
      remove('spec.governance.fairness.1', 'min')(r);
    },
    field: 'spec.governance.fairness[1]',
    message: 'a fairness result needs at least one bound',
  },
  {
    name: 'a fairness result whose min is above its max',
    kind: 'ModelDeployment',
    edit: set('spec.governance.fairness.0', 'min', 2),
    field: 'spec.governance.fairness[0].min',
    message: 'min must be less than or equal to max',
  },
  {
    name: 'an evaluated auc above 1',
    kind: 'ModelDeployment',
    edit: set('spec.governance.evaluation.0', 'value', 1.2),
    field: 'spec.governance.evaluation[0].value',
    message: 'value must be between 0 and 1 when name is accuracy, precision, recall, f1, auc',
  },
  {
    name: 'a negative evaluated recall, named in capitals',
    kind: 'ModelDeployment',
    edit: (r) => {
      set('spec.governance.evaluation.1', 'name', 'RECALL')(r);
      set('spec.governance.evaluation.1', 'value', -0.1)(r);
    },
    field: 'spec.governance.evaluation[1].value',
    message: 'value must be between 0 and 1',
  },
  {
    name: 'a declared output field whose minimum is above its maximum',
    kind: 'ModelDeployment',
    edit: set('spec.output.fields.0', 'minimum', 2),
    field: 'spec.output.fields[0].minimum',
    message: 'minimum must be less than or equal to maximum',
  },
  {
    name: 'an approval time that is not a timestamp',
    kind: 'ModelDeployment',
    edit: set('spec.governance.approvals.0', 'approvedAt', 'yesterday'),
    field: 'spec.governance.approvals[0].approvedAt',
    message: 'must be of type date-time',
  },
  {
    name: 'a resource without spec',
    kind: 'ModelDeployment',
    edit: (r) => {
      delete r.spec;
    },
    field: 'spec',
    message: 'Required value',
  },
  // OutputContract
  {
    name: 'a contract version that is not semver',
    kind: 'OutputContract',
    edit: set('spec', 'version', 'v2'),
    field: 'spec.version',
    message: 'should match',
  },
  {
    name: 'a consumer range that is not a semver range',
    kind: 'OutputContract',
    edit: set('spec.consumers.0', 'accepts', 'whatever'),
    field: 'spec.consumers[0].accepts',
    message: 'must be a semver range',
  },
  {
    name: 'the same consumer twice',
    kind: 'OutputContract',
    edit: set('spec.consumers.1', 'name', 'payments-gateway'),
    field: 'spec.consumers[1]',
    message: 'Duplicate value',
  },
  {
    name: 'a contract field whose minimum is above its maximum',
    kind: 'OutputContract',
    edit: set('spec.schema.fields.4', 'maximum', -1),
    field: 'spec.schema.fields[4].minimum',
    message: 'minimum must be less than or equal to maximum',
  },
  {
    name: 'contract array items whose minimum is above its maximum',
    kind: 'OutputContract',
    edit: set('spec.schema.fields.2', 'items', { type: 'number', minimum: 1, maximum: 0 }),
    field: 'spec.schema.fields[2].items.minimum',
    message: 'minimum must be less than or equal to maximum',
  },
  {
    name: 'an unknown compatibility mode',
    kind: 'OutputContract',
    edit: set('spec', 'compatibility', 'sideways'),
    field: 'spec.compatibility',
    message: 'Unsupported value: "sideways"',
  },
  {
    name: 'an unknown field type',
    kind: 'OutputContract',
    edit: set('spec.schema.fields.0', 'type', 'float'),
    field: 'spec.schema.fields[0].type',
    message: 'Unsupported value: "float"',
  },
  // DriftMonitor
  {
    name: 'a schedule in words',
    kind: 'DriftMonitor',
    edit: set('spec', 'schedule', 'every 6 hours'),
    field: 'spec.schedule',
    message: 'must be a schedule a CronJob accepts',
  },
  {
    name: 'a time zone with a space',
    kind: 'DriftMonitor',
    edit: set('spec', 'timeZone', 'Europe Berlin'),
    field: 'spec.timeZone',
    message: 'must be a time zone name of the IANA database',
  },
  {
    name: 'a target name that is not a Kubernetes name',
    kind: 'DriftMonitor',
    edit: set('spec.target', 'name', 'Fraud_Scorer'),
    field: 'spec.target.name',
    message: 'must be a lowercase RFC 1123 subdomain',
  },
  {
    name: 'a ks threshold that is not a p-value',
    kind: 'DriftMonitor',
    edit: set('spec.dataDrift.features.2', 'threshold', 1.5),
    field: 'spec.dataDrift.features[2].threshold',
    message: 'threshold of a p-value method (ks, chisquare, ztest) must be in (0, 1)',
  },
  {
    name: 'a chi-square threshold of exactly 1',
    kind: 'DriftMonitor',
    edit: set('spec.dataDrift.features.3', 'threshold', 1),
    field: 'spec.dataDrift.features[3].threshold',
    message: 'threshold of a p-value method',
  },
  {
    name: 'a Jensen-Shannon threshold above 1',
    kind: 'DriftMonitor',
    edit: set('spec.dataDrift.features.4', 'threshold', 1.5),
    field: 'spec.dataDrift.features[4].threshold',
    message: 'threshold of jensenshannon must be in (0, 1]',
  },
  {
    name: 'a PSI threshold of zero',
    kind: 'DriftMonitor',
    edit: set('spec.dataDrift.features.1', 'threshold', 0),
    field: 'spec.dataDrift.features[1].threshold',
    message: 'should be greater than 0',
  },
  {
    name: 'a large threshold without a method',
    kind: 'DriftMonitor',
    edit: set('spec.dataDrift.features.5', 'threshold', 2),
    field: 'spec.dataDrift.features[5].threshold',
    message: 'a threshold of 1 or more needs an explicit distance method',
  },
  {
    name: 'an unknown drift method',
    kind: 'DriftMonitor',
    edit: set('spec.dataDrift.features.0', 'method', 'vibes'),
    field: 'spec.dataDrift.features[0].method',
    message: 'Unsupported value: "vibes"',
  },
  {
    name: 'the same feature twice',
    kind: 'DriftMonitor',
    edit: set('spec.dataDrift.features.1', 'name', 'amount'),
    field: 'spec.dataDrift.features[1]',
    message: 'Duplicate value',
  },
  {
    name: 'a drift share above 1',
    kind: 'DriftMonitor',
    edit: set('spec.dataDrift', 'driftShare', 1.5),
    field: 'spec.dataDrift.driftShare',
    message: 'should be less than or equal to 1',
  },
  {
    name: 'a baseline with both a profile and a source',
    kind: 'DriftMonitor',
    edit: set('spec.baseline', 'profile', { name: 'fraud-baseline', key: 'profile.json' }),
    field: 'spec.baseline',
    message: 'set exactly one of profile or source',
  },
  {
    name: 'data drift without current data',
    kind: 'DriftMonitor',
    edit: remove('spec', 'current'),
    field: 'spec.dataDrift',
    message: 'dataDrift requires baseline and current',
  },
  {
    name: 'a window without a timestamp column',
    kind: 'DriftMonitor',
    // The example reads its whole snapshot (no window), so the case adds one before dropping the column.
    edit: (r) => {
      set('spec.current', 'window', '7d')(r);
      remove('spec.current', 'timestampColumn')(r);
    },
    field: 'spec.current.timestampColumn',
    message: 'timestampColumn is required with window',
  },
  {
    name: 'KPI queries without Prometheus',
    kind: 'DriftMonitor',
    edit: remove('spec', 'prometheus'),
    field: 'spec.prometheus',
    message: 'prometheus is required when businessKpis',
  },
  {
    name: 'a KPI without bounds',
    kind: 'DriftMonitor',
    edit: remove('spec.businessKpis.0', 'max'),
    field: 'spec.businessKpis[0]',
    message: 'set at least one of min or max',
  },
  {
    name: 'a KPI whose min is above its max',
    kind: 'DriftMonitor',
    edit: set('spec.businessKpis.1', 'min', 0.5),
    field: 'spec.businessKpis[1].min',
    message: 'min must be less than or equal to max',
  },
  {
    name: 'an output-quality rate bound above 1',
    kind: 'DriftMonitor',
    edit: set('spec.outputQuality.0', 'max', 2),
    field: 'spec.outputQuality[0].max',
    message: 'max must be between 0 and 1',
  },
  {
    name: 'a negative output-quality rate bound',
    kind: 'DriftMonitor',
    edit: set('spec.outputQuality.1', 'min', -0.5),
    field: 'spec.outputQuality[1].min',
    message: 'min must be between 0 and 1',
  },
  {
    name: 'an output-quality check whose min is above its max',
    kind: 'DriftMonitor',
    edit: set('spec.outputQuality.1', 'max', 0.5),
    field: 'spec.outputQuality[1].min',
    message: 'min must be less than or equal to max',
  },
  {
    name: 'a concept-drift auc baseline above 1',
    kind: 'DriftMonitor',
    edit: set('spec.conceptDrift', 'baseline', 94.7),
    field: 'spec.conceptDrift.baseline',
    message: 'baseline must be between 0 and 1 when metric is accuracy, precision, recall, f1, auc',
  },
  {
    name: 'a tolerated auc degradation above 1',
    kind: 'DriftMonitor',
    edit: set('spec.conceptDrift', 'maxDegradation', 3),
    field: 'spec.conceptDrift.maxDegradation',
    message: 'maxDegradation must be between 0 and 1',
  },
  {
    name: 'a negative rmse baseline',
    kind: 'DriftMonitor',
    edit: (r) => {
      set('spec.conceptDrift', 'metric', 'rmse')(r);
      set('spec.conceptDrift', 'baseline', -2)(r);
    },
    field: 'spec.conceptDrift.baseline',
    message: 'baseline cannot be negative when metric is logloss, rmse, mae',
  },
  {
    name: 'an empty list of join key columns',
    kind: 'DriftMonitor',
    edit: set('spec.conceptDrift', 'keyColumns', []),
    field: 'spec.conceptDrift.keyColumns',
    message: 'should have at least 1 items',
  },
  {
    name: 'an empty join key column name',
    kind: 'DriftMonitor',
    edit: set('spec.conceptDrift', 'keyColumns', ['']),
    field: 'spec.conceptDrift.keyColumns[0]',
    message: 'should be at least 1 chars long',
  },
  {
    name: 'a join key column named twice',
    kind: 'DriftMonitor',
    edit: set('spec.conceptDrift', 'keyColumns', ['transaction_id', 'transaction_id']),
    field: 'spec.conceptDrift.keyColumns[1]',
    message: 'Duplicate value',
  },
  {
    name: 'predictions to join without key columns',
    kind: 'DriftMonitor',
    edit: remove('spec.conceptDrift', 'keyColumns'),
    field: 'spec.conceptDrift.keyColumns',
    message: 'set predictions and keyColumns together',
  },
  {
    name: 'a minimum match rate of 0',
    kind: 'DriftMonitor',
    edit: set('spec.conceptDrift', 'minMatchRate', 0),
    field: 'spec.conceptDrift.minMatchRate',
    message: 'should be greater than 0',
  },
  {
    name: 'scored samples without a score column',
    kind: 'DriftMonitor',
    edit: remove('spec.outputQuality.1', 'scoreColumn'),
    field: 'spec.outputQuality[1].scoreColumn',
    message: 'scoreColumn is required with samples',
  },
  {
    name: 'an output-quality check with both a query and samples',
    kind: 'DriftMonitor',
    edit: set('spec.outputQuality.1', 'query', 'avg(x)'),
    field: 'spec.outputQuality[1]',
    message: 'set exactly one of query or samples',
  },
  {
    name: 'a cooldown in words',
    kind: 'DriftMonitor',
    edit: set('spec.onDrift', 'cooldown', '1 day'),
    field: 'spec.onDrift.cooldown',
    message: 'must be a duration',
  },
  {
    name: 'a secret reference without a key',
    kind: 'DriftMonitor',
    edit: remove('spec.prometheus.bearerTokenSecretRef', 'key'),
    field: 'spec.prometheus.bearerTokenSecretRef.key',
    message: 'Required value',
  },
  {
    name: 'a data format the readers do not know',
    kind: 'DriftMonitor',
    edit: set('spec.current', 'format', 'xlsx'),
    field: 'spec.current.format',
    message: 'Unsupported value: "xlsx"',
  },
  // RetrainPipeline
  {
    name: 'a drill schedule with four fields',
    kind: 'RetrainPipeline',
    edit: set('spec.fireDrill', 'schedule', '0 3 * *'),
    field: 'spec.fireDrill.schedule',
    message: 'must be a schedule a CronJob accepts',
  },
  {
    name: 'a drill on a monitor that may not trigger the pipeline',
    kind: 'RetrainPipeline',
    edit: set('spec.fireDrill', 'driftMonitor', 'other-monitor'),
    field: 'spec.fireDrill.driftMonitor',
    message: 'fireDrill.driftMonitor must be listed in triggers.driftMonitors',
  },
  {
    name: 'a drill injection of zero magnitude',
    kind: 'RetrainPipeline',
    edit: set('spec.fireDrill.injection', 'magnitude', 0),
    field: 'spec.fireDrill.injection.magnitude',
    message: 'should be greater than 0',
  },
  {
    name: 'a metric gate without bounds',
    kind: 'RetrainPipeline',
    edit: remove('spec.validate.gates.0', 'min'),
    field: 'spec.validate.gates[0]',
    message: 'a metric gate needs at least one bound',
  },
  {
    name: 'a metric gate whose min is above its max',
    kind: 'RetrainPipeline',
    edit: set('spec.validate.gates.1', 'max', 0.1),
    field: 'spec.validate.gates[1].min',
    message: 'min must be less than or equal to max',
  },
  {
    name: 'an auc gate above 1',
    kind: 'RetrainPipeline',
    edit: set('spec.validate.gates.0', 'min', 93),
    field: 'spec.validate.gates[0].min',
    message: 'min must be between 0 and 1 when name is accuracy, precision, recall, f1, auc',
  },
  {
    name: 'a category-flip drill that reassigns more than every category',
    kind: 'RetrainPipeline',
    edit: set('spec.fireDrill.injection', 'kind', 'categoryFlip'),
    field: 'spec.fireDrill.injection.magnitude',
    message: 'magnitude of categoryFlip is the share of categories reassigned and must be at most 1',
  },
  {
    name: 'an unknown promotion mode',
    kind: 'RetrainPipeline',
    edit: set('spec.promotion', 'mode', 'yolo'),
    field: 'spec.promotion.mode',
    message: 'Unsupported value: "yolo"',
  },
  {
    name: 'a history limit of zero',
    kind: 'RetrainPipeline',
    edit: set('spec', 'historyLimit', 0),
    field: 'spec.historyLimit',
    message: 'should be greater than or equal to 1',
  },
  {
    name: 'a training timeout in words',
    kind: 'RetrainPipeline',
    edit: set('spec.train', 'timeout', '4 hours'),
    field: 'spec.train.timeout',
    message: 'must be a duration',
  },
  {
    name: 'an image reference with spaces',
    kind: 'RetrainPipeline',
    edit: set('spec.train', 'image', 'my image:latest'),
    field: 'spec.train.image',
    message: 'must be a container image reference',
  },
  {
    name: 'a secret env var without the secret name',
    kind: 'RetrainPipeline',
    edit: remove('spec.train.env.0.secretKeyRef', 'name'),
    field: 'spec.train.env[0].secretKeyRef.name',
    message: 'Required value',
  },
];

interface StatusCause {
  field?: string;
  message?: string;
}
interface Status {
  code: number;
  message: string;
  details?: { causes?: StatusCause[] };
}

beforeAll(async () => {
  await installCrds(testKubeConfig());
});

describe('the API server rejects invalid resources, naming the offending field', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c, index) => ({ ...c, index })))(
    '$kind: $name ($field)',
    async ({ kind, edit, field, message, index }) => {
      const resource = example(kind);
      edit(resource);
      (resource.metadata as Json).name = `invalid-${index}`;
      const plural = KIND_DEFINITIONS.find((d) => d.names.kind === kind)?.names.plural;
      const response = await kubeRequest(
        testKubeConfig(),
        'POST',
        `/apis/${API_VERSION}/namespaces/${namespace.name}/${plural}`,
        { body: resource },
      );
      expect(response.status, response.body).toBe(422);
      const status = JSON.parse(response.body) as Status;
      const causes = (status.details?.causes ?? []).map((c) => ({ field: c.field, message: c.message }));
      expect(causes, status.message).toContainEqual({ field, message: expect.stringContaining(message) });
      // The one-line message kubectl prints names the field too.
      expect(status.message).toContain(field);
    },
  );

  it('accepts the unmodified examples, so every rejection above is caused by its edit', async () => {
    for (const kind of Object.keys(EXAMPLE_FILES) as Kind[]) {
      const resource = example(kind);
      const plural = KIND_DEFINITIONS.find((d) => d.names.kind === kind)?.names.plural;
      const response = await kubeRequest(
        testKubeConfig(),
        'POST',
        `/apis/${API_VERSION}/namespaces/${namespace.name}/${plural}?dryRun=All`,
        { body: resource },
      );
      expect(response.status, response.body).toBe(201);
    }
  });
});
