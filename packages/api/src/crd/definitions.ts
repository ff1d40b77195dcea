import type { z } from 'zod';
import { boundsOrderRule } from '../bounds.ts';
import { celString } from '../cel.ts';
import { SEMVER_RANGE_PATTERN } from '../common.ts';
import { ConditionType } from '../conditions.ts';
import {
  DriftMonitorNames,
  type KindNames,
  ModelDeploymentNames,
  OutputContractNames,
  RetrainPipelineNames,
} from '../group.ts';
import {
  driftMonitorSpecSchema,
  driftMonitorStatusSchema,
  FEATURE_THRESHOLD_RULES,
} from '../kinds/drift-monitor.ts';
import { modelDeploymentSpecSchema, modelDeploymentStatusSchema } from '../kinds/model-deployment.ts';
import { outputContractSpecSchema, outputContractStatusSchema } from '../kinds/output-contract.ts';
import { retrainPipelineSpecSchema, retrainPipelineStatusSchema } from '../kinds/retrain-pipeline.ts';
import type { SchemaAddition } from './structural.ts';

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description: string;
  /** 0: in `kubectl get`; 1: only with `-o wide`. */
  readonly priority?: number;
}

export interface KindDefinition {
  readonly names: KindNames;
  readonly description: string;
  readonly spec: z.ZodType;
  readonly status: z.ZodType;
  readonly printerColumns: readonly PrinterColumn[];
  /** Keywords for nodes of the spec schema that other packages own (paths relative to spec). */
  readonly specAdditions?: Readonly<Record<string, SchemaAddition>>;
}

const conditionStatus = (type: string) => `.status.conditions[?(@.type=="${type}")].status`;
const conditionReason = (type: string) => `.status.conditions[?(@.type=="${type}")].reason`;

const READY: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: conditionStatus(ConditionType.Ready),
  description: 'Whether the resource is fully reconciled and healthy.',
};
const AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since creation.',
};

// Limits for the fields of the shared schemas: they bound the API server's CEL cost estimate.
const MAX_FEATURES = 500;
const MAX_FEATURE_NAME = 256;
const MAX_EDGES = 1000;

const SEMVER_RANGE_RULE = {
  rule: `self.matches(${celString(SEMVER_RANGE_PATTERN.source)})`,
  message: 'must be a semver range such as ^1.2.0, ~1.4, >=1.0.0 <2.0.0 or 1.x || 2.x',
};

// @steward/contracts checks minimum <= maximum in zod (field-tree.ts); this is the same rule for the API server.
const { check: _zodSide, ...MINIMUM_ORDER_RULE } = boundsOrderRule('minimum', 'maximum');

/**
 * Field paths of one contract are unique: the API server rejects a duplicate with the path it repeats. A field's
 * (and its items') minimum is not above its maximum.
 */
const contractSchemaAdditions = (prefix: string): Record<string, SchemaAddition> => ({
  [`${prefix}fields`]: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['path'] },
  [`${prefix}fields[]`]: { 'x-kubernetes-validations': [MINIMUM_ORDER_RULE] },
  [`${prefix}fields[].items`]: { 'x-kubernetes-validations': [MINIMUM_ORDER_RULE] },
});

export const modelDeploymentDefinition: KindDefinition = {
  names: ModelDeploymentNames,
  description:
    'ModelDeployment serves one model version and gates its rollout on a named owner, the output contract and governance facts.',
  spec: modelDeploymentSpecSchema,
  status: modelDeploymentStatusSchema,
  specAdditions: contractSchemaAdditions('output.'),
  printerColumns: [
    {
      name: 'Owner',
      type: 'string',
      jsonPath: '.spec.owner.name',
      description: 'Person accountable for the model.',
    },
    { name: 'Model', type: 'string', jsonPath: '.spec.model.name', description: 'Model name.' },
    {
      name: 'Serving',
      type: 'string',
      jsonPath: '.status.servingVersion',
      description: 'Model version currently served.',
    },
    READY,
    {
      name: 'Blocked',
      type: 'string',
      // blockedReasons is empty when the desired version is admitted, so the column is blank unless blocked.
      jsonPath: '.status.blockedReasons[0].reason',
      description: 'Why the desired version is not rolled out (first failing gate; all of them in status).',
    },
    {
      name: 'Desired',
      type: 'string',
      jsonPath: '.status.desiredVersion',
      description: 'Version asked for.',
      priority: 1,
    },
    {
      name: 'Risk',
      type: 'string',
      jsonPath: '.spec.governance.riskClass',
      description: 'EU AI Act risk class.',
      priority: 1,
    },
    AGE,
  ],
};

export const outputContractDefinition: KindDefinition = {
  names: OutputContractNames,
  description:
    'OutputContract is the versioned interface of a model output: its fields, its consumers and the compatibility they rely on.',
  spec: outputContractSpecSchema,
  status: outputContractStatusSchema,
  specAdditions: {
    ...contractSchemaAdditions('schema.'),
    consumers: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
    'consumers[].accepts': { 'x-kubernetes-validations': [SEMVER_RANGE_RULE] },
  },
  printerColumns: [
    { name: 'Version', type: 'string', jsonPath: '.spec.version', description: 'Contract version in spec.' },
    {
      name: 'Published',
      type: 'string',
      jsonPath: '.status.latestVersion',
      description: 'Newest version the controller recorded.',
      priority: 1,
    },
    {
      name: 'Compatibility',
      type: 'string',
      jsonPath: '.spec.compatibility',
      description: 'Compatibility mode.',
    },
    {
      name: 'Consumers',
      type: 'integer',
      jsonPath: '.status.consumers',
      description: 'Number of consumers.',
    },
    READY,
    {
      name: 'Reason',
      type: 'string',
      jsonPath: conditionReason(ConditionType.Ready),
      description: 'Reason of the Ready condition, e.g. BreakingChangeWithoutMajorBump.',
    },
    AGE,
  ],
};

export const driftMonitorDefinition: KindDefinition = {
  names: DriftMonitorNames,
  description:
    'DriftMonitor checks one ModelDeployment on a schedule: data drift, concept drift, business KPIs and output quality.',
  spec: driftMonitorSpecSchema,
  status: driftMonitorStatusSchema,
  specAdditions: {
    'dataDrift.features': {
      maxItems: MAX_FEATURES,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
    'dataDrift.features[].name': { maxLength: MAX_FEATURE_NAME },
    'dataDrift.features[].edges': { maxItems: MAX_EDGES },
    'dataDrift.features[]': {
      'x-kubernetes-validations': FEATURE_THRESHOLD_RULES.map(({ rule, message }) => ({
        rule,
        message,
        fieldPath: '.threshold',
      })),
    },
  },
  printerColumns: [
    {
      name: 'Target',
      type: 'string',
      jsonPath: '.spec.target.name',
      description: 'The ModelDeployment watched.',
    },
    {
      name: 'Schedule',
      type: 'string',
      jsonPath: '.spec.schedule',
      description: 'Cron schedule of the checks.',
    },
    {
      name: 'Result',
      type: 'string',
      jsonPath: '.status.lastResult.outcome',
      description: 'Outcome of the last check.',
    },
    {
      name: 'Last Check',
      type: 'date',
      jsonPath: '.status.lastCheckTime',
      description: 'When the last check completed.',
    },
    READY,
    {
      name: 'Drift Share',
      type: 'number',
      jsonPath: '.status.lastResult.driftShare',
      description: 'Share of drifted features.',
      priority: 1,
    },
    AGE,
  ],
};

export const retrainPipelineDefinition: KindDefinition = {
  names: RetrainPipelineNames,
  description:
    'RetrainPipeline retrains a model as Jobs (train, validate, promote) and proves the path works with fire drills.',
  spec: retrainPipelineSpecSchema,
  status: retrainPipelineStatusSchema,
  printerColumns: [
    {
      name: 'Model',
      type: 'string',
      jsonPath: '.spec.modelDeployment.name',
      description: 'The ModelDeployment trained for.',
    },
    {
      name: 'Promoted',
      type: 'string',
      jsonPath: '.status.promotedVersion',
      description: 'Latest promoted version.',
    },
    { name: 'Active', type: 'string', jsonPath: '.status.activeRun', description: 'Run in progress.' },
    {
      name: 'Drill',
      type: 'string',
      jsonPath: '.status.lastDrill.outcome',
      description: 'Outcome of the last fire drill.',
    },
    {
      name: 'Drill At',
      type: 'date',
      jsonPath: '.status.lastDrill.startedAt',
      description: 'When the last fire drill started.',
      priority: 1,
    },
    READY,
    AGE,
  ],
};

export const KIND_DEFINITIONS: readonly KindDefinition[] = [
  modelDeploymentDefinition,
  outputContractDefinition,
  driftMonitorDefinition,
  retrainPipelineDefinition,
];
