/** The labels on everything a ModelDeployment owns: Kubernetes' recommended set plus Steward's own. */
import { createHash } from 'node:crypto';
import { GROUP } from '@steward/api';
import { MANAGED_BY_VALUE } from '@steward/runtime';

export const MODEL_LABEL = `${GROUP}/model`;
export const MODEL_VERSION_LABEL = `${GROUP}/model-version`;
export const OWNER_TEAM_LABEL = `${GROUP}/owner-team`;
/** Marks the ConfigMaps a ModelDeployment owns (value: its name), so the operator watches only those. */
export const MODEL_DEPLOYMENT_LABEL = `${GROUP}/model-deployment`;

// Label values: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric.
const MAX_LABEL_VALUE = 63;
const HASH_LENGTH = 8;

/** Any text as a valid label value: other characters become '-', long values keep a hash of the original. */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned.length <= MAX_LABEL_VALUE && cleaned === text) return cleaned;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
  const room = MAX_LABEL_VALUE - HASH_LENGTH - 1;
  const head = cleaned.slice(0, room).replace(/[^A-Za-z0-9]+$/, '');
  return head === '' ? hash : `${head}-${hash}`;
}

/** The selector: stable across versions, because a Deployment's selector is immutable. */
export function selectorLabels(deploymentName: string, modelName: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': labelValue(modelName),
    'app.kubernetes.io/instance': labelValue(deploymentName),
  };
}

export interface LabelFacts {
  deploymentName: string;
  modelName: string;
  version: string;
  team: string | undefined;
  partOf: string | undefined;
}

export function servingLabels(facts: LabelFacts): Record<string, string> {
  return {
    ...selectorLabels(facts.deploymentName, facts.modelName),
    'app.kubernetes.io/version': labelValue(facts.version),
    'app.kubernetes.io/component': 'model-server',
    'app.kubernetes.io/managed-by': MANAGED_BY_VALUE,
    ...(facts.partOf === undefined ? {} : { 'app.kubernetes.io/part-of': labelValue(facts.partOf) }),
    [MODEL_LABEL]: labelValue(facts.modelName),
    [MODEL_VERSION_LABEL]: labelValue(facts.version),
    ...(facts.team === undefined ? {} : { [OWNER_TEAM_LABEL]: labelValue(facts.team) }),
  };
}
