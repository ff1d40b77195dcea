/** Shared inputs of the ModelDeployment unit tests: the fraud-scoring example, at a fixed time. */
import { readFileSync } from 'node:fs';
import type { ModelDeployment, OutputContract } from '@steward/api';
import { ConfigMapType, type Deployment, DeploymentType, type Service, ServiceType } from '@steward/runtime';
import { load } from 'js-yaml';
import type { ModelDeploymentPlan, Observed, ObservedModelDeployment } from './decide.ts';
import { auditRecordName, modelCardName } from './names.ts';

export const NOW = new Date('2026-11-25T10:00:00.000Z');
export const OWNER = 'amara.okafor@example.com';
export const APPROVER = 'lena.fischer@example.com';

function example<T>(file: string): T {
  return load(
    readFileSync(new URL(`../../../../examples/fraud-scoring/${file}`, import.meta.url), 'utf8'),
  ) as T;
}

export type Json = Record<string, unknown>;
export const exampleModel = example<ModelDeployment>('model-deployment.yaml');
export const exampleContract = example<OutputContract>('output-contract.yaml');

/** A deep copy of the example's spec, reviewed recently so only the edit under test can fail it. */
export function baseSpec(): Json {
  const spec = structuredClone(exampleModel.spec) as unknown as Json;
  (spec.owner as Json).lastReviewed = '2026-11-01';
  return spec;
}

export function observe(
  spec: Json,
  overrides: Partial<Observed> = {},
  status?: ObservedModelDeployment['status'],
): Observed {
  return {
    model: {
      apiVersion: exampleModel.apiVersion,
      kind: exampleModel.kind,
      metadata: { name: 'fraud-scorer', namespace: 'risk', uid: 'uid-1', generation: 1 },
      spec,
      ...(status === undefined ? {} : { status }),
    },
    contract: { spec: structuredClone(exampleContract.spec) },
    pipeline: undefined,
    deployment: undefined,
    auditRecord: undefined,
    driftMonitors: [],
    retrainPipelines: [],
    now: NOW,
    ...overrides,
  };
}

/** What a plan applies, by role. */
export function applied(plan: ModelDeploymentPlan) {
  const find = (kind: string, name?: string) =>
    plan.apply.find((d) => d.type.kind === kind && (name === undefined || d.object.metadata?.name === name))
      ?.object;
  const data = (name: string) =>
    (find(ConfigMapType.kind, name) as { data?: Record<string, string> } | undefined)?.data;
  return {
    deployment: find(DeploymentType.kind) as Deployment | undefined,
    service: find(ServiceType.kind) as Service | undefined,
    card: data(modelCardName('fraud-scorer')),
    audit: data(auditRecordName('fraud-scorer')),
  };
}
