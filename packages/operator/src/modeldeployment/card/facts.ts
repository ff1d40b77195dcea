/** What a model card is generated from: the resource, the admitted version and what watches over it. */
import type { ModelDeploymentSpec, ModelDeploymentStatus } from '@steward/api';
import type { Admitted } from '../serving.ts';

export type AuditEntry = NonNullable<ModelDeploymentStatus['history']>[number];

export interface CardFacts {
  namespace: string;
  name: string;
  /** metadata.uid; with the version it makes the ML-BOM's serial number. */
  uid: string;
  spec: ModelDeploymentSpec;
  admitted: Admitted;
  /** The OutputContract name and version the admitted version was checked against. */
  contract: { name: string; version: string } | undefined;
  /** DriftMonitors watching this model: name and schedule. */
  driftMonitors: ReadonlyArray<{ name: string; schedule: string }>;
  /** RetrainPipelines producing versions for this model. */
  retrainPipelines: readonly string[];
  history: readonly AuditEntry[];
}

export const CARD_MARKDOWN_KEY = 'model-card.md';
export const CARD_JSON_KEY = 'model-card.json';
