/** Shared inputs of the ModelDeployment unit tests: the fraud-scoring example, at a fixed time. */
import { readFileSync } from 'node:fs';
import type { ModelDeployment, OutputContract } from '@steward/api';
import { load } from 'js-yaml';
import type { Observed, ObservedModelDeployment } from './decide.ts';

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
