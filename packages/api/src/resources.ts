import { z } from 'zod';
import {
  API_VERSION,
  DriftMonitorNames,
  type KindNames,
  ModelDeploymentNames,
  OutputContractNames,
  RetrainPipelineNames,
} from './group.ts';
import { driftMonitorSpecSchema, driftMonitorStatusSchema } from './kinds/drift-monitor.ts';
import { modelDeploymentSpecSchema, modelDeploymentStatusSchema } from './kinds/model-deployment.ts';
import { outputContractSpecSchema, outputContractStatusSchema } from './kinds/output-contract.ts';
import { retrainPipelineSpecSchema, retrainPipelineStatusSchema } from './kinds/retrain-pipeline.ts';

/** The metadata Steward code reads; everything else the API server keeps is passed through untouched. */
export const objectMetaSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.int().optional(),
  resourceVersion: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

function resourceSchema<S extends z.ZodType, T extends z.ZodType>(names: KindNames, spec: S, status: T) {
  return z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(names.kind),
    metadata: objectMetaSchema,
    spec,
    status: status.optional(),
  });
}

export const modelDeploymentSchema = resourceSchema(
  ModelDeploymentNames,
  modelDeploymentSpecSchema,
  modelDeploymentStatusSchema,
);
export type ModelDeployment = z.infer<typeof modelDeploymentSchema>;

export const outputContractSchema = resourceSchema(
  OutputContractNames,
  outputContractSpecSchema,
  outputContractStatusSchema,
);
export type OutputContract = z.infer<typeof outputContractSchema>;

export const driftMonitorSchema = resourceSchema(
  DriftMonitorNames,
  driftMonitorSpecSchema,
  driftMonitorStatusSchema,
);
export type DriftMonitor = z.infer<typeof driftMonitorSchema>;

export const retrainPipelineSchema = resourceSchema(
  RetrainPipelineNames,
  retrainPipelineSpecSchema,
  retrainPipelineStatusSchema,
);
export type RetrainPipeline = z.infer<typeof retrainPipelineSchema>;

/** The resource schema of each kind, by kind name: for code that handles any Steward object. */
export const resourceSchemas = {
  ModelDeployment: modelDeploymentSchema,
  OutputContract: outputContractSchema,
  DriftMonitor: driftMonitorSchema,
  RetrainPipeline: retrainPipelineSchema,
} as const;
