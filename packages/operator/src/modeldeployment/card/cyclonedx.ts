/**
 * The model card as a CycloneDX 1.6 ML-BOM: one `machine-learning-model` component whose `modelCard`
 * carries purpose, limitations, datasets, evaluation and fairness; Steward's own facts (owner, risk
 * class, approvals, contract, monitors, change log) go into namespaced `properties`, as the spec
 * intends for facts it has no field for. Deterministic: the same inputs give the same document.
 */
import { createHash } from 'node:crypto';
import { RiskClass } from '@steward/api';
import type { CardFacts } from './facts.ts';

export const CYCLONEDX_SPEC_VERSION = '1.6';
const PROPERTY_PREFIX = 'steward:';

interface Property {
  name: string;
  value: string;
}

/** The parts of the CycloneDX 1.6 BOM this card uses; the test validates the result against the official schema. */
export interface MlBom {
  bomFormat: 'CycloneDX';
  specVersion: typeof CYCLONEDX_SPEC_VERSION;
  serialNumber: string;
  version: number;
  metadata: {
    timestamp: string;
    tools: { components: Array<{ type: 'application'; name: string }> };
  };
  components: MlComponent[];
}

interface MlComponent {
  type: 'machine-learning-model';
  'bom-ref': string;
  group: string;
  name: string;
  version: string;
  description?: string;
  authors?: Array<{ name: string; email: string }>;
  externalReferences: Array<{ type: 'distribution'; url: string }>;
  modelCard: {
    modelParameters?: {
      datasets: Array<{ type: 'dataset'; name: string; contents: { url: string }; classification?: string }>;
      outputs?: Array<{ format: string }>;
    };
    quantitativeAnalysis?: {
      performanceMetrics: Array<{
        type: string;
        value: string;
        slice: string;
        confidenceInterval?: { lowerBound?: string; upperBound?: string };
      }>;
    };
    considerations: {
      useCases?: string[];
      technicalLimitations?: string[];
      fairnessAssessments?: Array<{ groupAtRisk: string; mitigationStrategy: string }>;
    };
  };
  properties: Property[];
}

export function renderMlBom(facts: CardFacts): MlBom {
  const { spec, admitted } = facts;
  const governance = spec.governance;
  const trainingData = governance?.trainingData;
  const evaluation = (governance?.evaluation ?? []).map((m) => ({
    type: m.name,
    value: String(m.value),
    slice: m.slice,
  }));
  // Fairness results are measured metrics too; their bounds travel as the acceptable interval.
  const fairness = (governance?.fairness ?? []).map((f) => ({
    type: `fairness:${f.metric}`,
    value: String(f.value),
    slice: f.attribute,
    confidenceInterval: {
      ...(f.min === undefined ? {} : { lowerBound: String(f.min) }),
      ...(f.max === undefined ? {} : { upperBound: String(f.max) }),
    },
  }));
  const metrics = [...evaluation, ...fairness];
  const component: MlComponent = {
    type: 'machine-learning-model',
    'bom-ref': `${facts.namespace}/${facts.name}@${admitted.version}`,
    group: facts.namespace,
    name: spec.model.name,
    version: admitted.version,
    ...(governance?.intendedPurpose === undefined ? {} : { description: governance.intendedPurpose }),
    ...(spec.owner === undefined ? {} : { authors: [{ name: spec.owner.name, email: spec.owner.email }] }),
    externalReferences: [{ type: 'distribution', url: admitted.uri }],
    modelCard: {
      ...(trainingData === undefined && spec.output === undefined
        ? {}
        : {
            modelParameters: {
              datasets:
                trainingData === undefined
                  ? []
                  : [
                      {
                        type: 'dataset',
                        name: trainingData.version ?? 'training data',
                        contents: { url: trainingData.uri },
                      },
                    ],
              ...(spec.output === undefined ? {} : { outputs: [{ format: 'application/json' }] }),
            },
          }),
      ...(metrics.length === 0 ? {} : { quantitativeAnalysis: { performanceMetrics: metrics } }),
      considerations: {
        ...(governance?.intendedPurpose === undefined ? {} : { useCases: [governance.intendedPurpose] }),
        ...(governance?.limitations === undefined ? {} : { technicalLimitations: governance.limitations }),
        ...(governance?.fairness === undefined
          ? {}
          : {
              fairnessAssessments: governance.fairness.map((f) => ({
                groupAtRisk: f.attribute,
                mitigationStrategy: `${f.metric} must stay within [${f.min ?? '-inf'}, ${f.max ?? '+inf'}] to roll out (measured ${f.value})`,
              })),
            }),
      },
    },
    properties: properties(facts),
  };
  return {
    bomFormat: 'CycloneDX',
    specVersion: CYCLONEDX_SPEC_VERSION,
    serialNumber: serialNumber(facts),
    version: 1,
    metadata: {
      timestamp: admitted.admittedAt,
      tools: { components: [{ type: 'application', name: 'steward' }] },
    },
    components: [component],
  };
}

function properties(facts: CardFacts): Property[] {
  const { spec, admitted } = facts;
  const property = (name: string, value: string): Property => ({ name: `${PROPERTY_PREFIX}${name}`, value });
  const owner = spec.owner;
  return [
    property('riskClass', spec.governance?.riskClass ?? RiskClass.Minimal),
    ...(owner === undefined
      ? []
      : [
          property('owner', `${owner.name} <${owner.email}>`),
          property('oversightContact', owner.email),
          ...(owner.team === undefined ? [] : [property('ownerTeam', owner.team)]),
          property('ownerLastReviewed', owner.lastReviewed ?? 'never'),
        ]),
    property('servingImage', admitted.serving.image),
    ...(facts.contract === undefined
      ? []
      : [property('outputContract', `${facts.contract.name}@${facts.contract.version}`)]),
    ...(spec.governance?.approvals ?? []).map((a) =>
      property(
        'approval',
        `${a.version} approved by ${a.approver}${a.role === undefined ? '' : ` (${a.role})`} at ${a.approvedAt}`,
      ),
    ),
    ...facts.driftMonitors.map((m) => property('driftMonitor', `${m.name} (${m.schedule})`)),
    ...facts.retrainPipelines.map((p) => property('retrainPipeline', p)),
    ...facts.history.map((e) =>
      property(
        'changeLog',
        `${e.time} ${e.version} ${e.decision}${e.reasons?.length ? ` (${e.reasons.join(', ')})` : ''}`,
      ),
    ),
  ];
}

/** A UUID-shaped serial from the object's uid and the admitted version: stable across reconciles. */
function serialNumber(facts: CardFacts): string {
  const hex = createHash('sha256')
    .update(`${facts.uid}/${facts.admitted.version}/${facts.admitted.generation}`)
    .digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
