import { contractSchemaSchema } from '@steward/contracts';
import { z } from 'zod';
import {
  boundsOrderRule,
  boundsPresentRule,
  boundsShape,
  namedUnitIntervalMetric,
  unitIntervalRule,
} from '../bounds.ts';
import { crossFieldRule } from '../cel.ts';
import {
  argsSchema,
  dateSchema,
  durationSchema,
  envSchema,
  identifier,
  imageSchema,
  longText,
  objectName,
  patternString,
  resourceRequirementsSchema,
  semverRangeSchema,
  semverSchema,
  shortText,
  timestampSchema,
  uriSchema,
} from '../common.ts';
import { conditionsSchema, observedGenerationSchema } from '../conditions.ts';

// An owner is reviewed once a quarter unless the resource says otherwise.
export const DEFAULT_REVIEW_INTERVAL = '90d';
const DEFAULT_PORT = 8080;
const MAX_PORT = 65535;
const MAX_REPLICAS = 1000;
// An HTTP path the kubelet requests; Kubernetes sets no bound, this one keeps CEL's cost estimate finite.
const MAX_HTTP_PATH = 1024;
// A rollout that makes no progress for a day is stuck by any measure; Kubernetes' own default is 600 s.
const MAX_PROGRESS_DEADLINE_SECONDS = 86_400;
const MAX_LIST = 64;
// The audit history is bounded so status stays far below etcd's object size limit.
export const MAX_HISTORY = 50;

export const RiskClass = { Minimal: 'minimal', Limited: 'limited', High: 'high' } as const;

const ownerSchema = z
  .object({
    name: shortText().describe('Full name of the person accountable for the model in production.'),
    email: z.email().max(254).describe('E-mail address alerts and review reminders go to.'),
    team: shortText().optional().describe('Team the owner belongs to; used as an alert routing label.'),
    username: shortText()
      .optional()
      .describe(
        'The owner’s Kubernetes user name (request.userInfo.username, e.g. an OIDC e-mail); the approval policy refuses it, like email, as approver of a high-risk version.',
      ),
    reviewInterval: durationSchema
      .default(DEFAULT_REVIEW_INTERVAL)
      .describe('How often the owner must re-confirm ownership, e.g. 90d. Default 90d.'),
    lastReviewed: dateSchema
      .optional()
      .describe(
        'Date of the last ownership review (YYYY-MM-DD). Missing or older than reviewInterval blocks new versions.',
      ),
  })
  .describe('The named person accountable for this model; no owner, no rollout.');

const modelSchema = crossFieldRule(
  crossFieldRule(
    z
      .object({
        name: identifier().describe('Name of the model, e.g. fraud-scorer.'),
        version: semverSchema
          .optional()
          .describe('Model version to serve (semver). Set this or versionFrom.'),
        uri: uriSchema
          .optional()
          .describe(
            'Artifact URI of that version, e.g. s3://models/fraud-scorer/1.4.0/. Required with version.',
          ),
        versionFrom: z
          .object({
            retrainPipeline: objectName().describe(
              'Name of the RetrainPipeline whose promoted version is served.',
            ),
          })
          .optional()
          .describe(
            'Serve the version a RetrainPipeline promoted (resolved into status; spec is never rewritten).',
          ),
      })
      .describe('Which model version to serve.'),
    {
      rule: 'has(self.version) != has(self.versionFrom)',
      message: 'set exactly one of version or versionFrom',
      check: (model) => (model.version === undefined) !== (model.versionFrom === undefined),
    },
  ),
  {
    rule: '!has(self.version) || has(self.uri)',
    message: 'uri is required when version is set',
    fieldPath: '.uri',
    reason: 'FieldValueRequired',
    check: (model) => model.version === undefined || model.uri !== undefined,
  },
);

const servingSchema = z
  .object({
    image: imageSchema.describe('Container image of the model server.'),
    command: argsSchema
      .optional()
      .describe('Entrypoint override of the model server container (the image’s own when unset).'),
    args: argsSchema.optional().describe('Arguments of the model server container.'),
    env: envSchema.optional(),
    port: z
      .int()
      .min(1)
      .max(MAX_PORT)
      .default(DEFAULT_PORT)
      .describe('Port the model server listens on. Default 8080.'),
    readinessPath: patternString(/^[/][^ ]*$/, 'must be an absolute HTTP path such as /readyz', MAX_HTTP_PATH)
      .optional()
      .describe(
        'HTTP path on the serving port the kubelet probes for readiness, e.g. /readyz: a pod takes traffic and counts as available only once it answers 2xx (the model is loaded). Unset: ready as soon as the container runs.',
      ),
    replicas: z.int().min(0).max(MAX_REPLICAS).default(1).describe('Number of serving pods. Default 1.'),
    resources: resourceRequirementsSchema.optional(),
    progressDeadlineSeconds: z
      .int()
      .min(1)
      .max(MAX_PROGRESS_DEADLINE_SECONDS)
      .optional()
      .describe(
        'Seconds a rollout may make no progress before the Deployment reports ProgressDeadlineExceeded (Kubernetes’ default when unset: 600). Steward then rolls a new version back to the last one that rolled out.',
      ),
  })
  .describe('How the model is served: an owned Deployment and Service.');

const outputContractRefSchema = z
  .object({
    name: objectName().describe('Name of the OutputContract, in the same namespace.'),
    versionRange: semverRangeSchema.describe('Contract versions this model version implements, e.g. ^2.0.0.'),
  })
  .describe('The OutputContract this model’s output must satisfy.');

const approvalSchema = z
  .object({
    approver: shortText().describe(
      'Kubernetes user name of the approver (request.userInfo.username, e.g. an OIDC e-mail or system:serviceaccount:NS:NAME); the approval policy admits an approval only from this identity.',
    ),
    role: shortText().optional().describe('Role the approver acted in, e.g. model-risk-officer.'),
    version: semverSchema.describe(
      'Model version the approval is for; approvals do not carry over to new versions.',
    ),
    approvedAt: timestampSchema.describe('When the approval was given.'),
    comment: longText(1024).optional().describe('Conditions or notes attached to the approval.'),
  })
  .describe('A recorded human approval of one model version.');

const evaluationMetricSchema = crossFieldRule(
  z
    .object({
      name: identifier().describe('Metric name, e.g. auc or recall.'),
      slice: identifier()
        .default('overall')
        .describe('Data slice the value was measured on. Default overall.'),
      value: z
        .number()
        .describe('Measured value; between 0 and 1 for accuracy, precision, recall, f1 and auc.'),
    })
    .describe('One evaluation result of the served version.'),
  unitIntervalRule('value', namedUnitIntervalMetric('name')),
);

const fairnessResultSchema = [
  boundsPresentRule('a fairness result needs at least one bound (min or max)'),
  boundsOrderRule(),
].reduce(
  (schema, rule) => crossFieldRule(schema, rule),
  z
    .object({
      metric: identifier().describe(
        'Fairness metric, e.g. demographic_parity_ratio or equal_opportunity_difference.',
      ),
      attribute: identifier().describe('Protected attribute the metric compares groups of, e.g. age_band.'),
      value: z.number().describe('Measured value.'),
      ...boundsShape,
    })
    .describe('One fairness result with its acceptable bounds; a value outside them blocks the rollout.'),
);

const trainingDataSchema = z
  .object({
    uri: uriSchema.describe('Where the training data snapshot lives.'),
    version: shortText().optional().describe('Dataset version or snapshot id.'),
    description: longText(2048).optional().describe('What the data is, its time span and known gaps.'),
  })
  .describe('Lineage of the training data of the served version.');

const HIGH = `self.riskClass == '${RiskClass.High}'`;
const isHigh = (riskClass: string) => riskClass === RiskClass.High;

type GovernanceRule = Parameters<typeof crossFieldRule<typeof governanceBase>>[1];
const governanceBase = z
  .object({
    riskClass: z
      .enum([RiskClass.Minimal, RiskClass.Limited, RiskClass.High])
      .default(RiskClass.Minimal)
      .describe(
        'EU AI Act risk class: minimal, limited or high. High requires purpose, fairness and lineage here, and an approval of the served version to roll out.',
      ),
    intendedPurpose: longText(2048).optional().describe('What the model is for and who it affects.'),
    limitations: z
      .array(longText(1024).describe('One limitation.'))
      .max(MAX_LIST)
      .optional()
      .describe('Known limitations and out-of-scope uses.'),
    approvals: z
      .array(approvalSchema)
      .max(MAX_LIST)
      // A map list: each approver's entry belongs to the field manager that added it, so a GitOps tool
      // applying the rest of the spec never removes an approval it did not write.
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['version', 'approver'] })
      .optional()
      .describe(
        'Approvals of model versions, one per approver and version; added only by the approver, never edited or removed (admission policy).',
      ),
    evaluation: z
      .array(evaluationMetricSchema)
      .max(MAX_LIST * 4)
      .optional()
      .describe('Evaluation metrics by slice.'),
    fairness: z
      .array(fairnessResultSchema)
      .max(MAX_LIST)
      .optional()
      .describe('Fairness results with bounds.'),
    trainingData: trainingDataSchema.optional(),
  })
  .describe('Governance facts the model card is generated from.');

/** Fields a high risk class requires; each rule names its field so `kubectl apply` says exactly what is missing. */
const HIGH_RISK_RULES: readonly GovernanceRule[] = [
  {
    rule: `!(${HIGH}) || has(self.intendedPurpose)`,
    message: 'riskClass high requires intendedPurpose',
    fieldPath: '.intendedPurpose',
    reason: 'FieldValueRequired',
    check: (g) => !isHigh(g.riskClass) || g.intendedPurpose !== undefined,
  },
  {
    rule: `!(${HIGH}) || (has(self.fairness) && size(self.fairness) > 0)`,
    message: 'riskClass high requires fairness results with bounds',
    fieldPath: '.fairness',
    reason: 'FieldValueRequired',
    check: (g) => !isHigh(g.riskClass) || (g.fairness?.length ?? 0) > 0,
  },
  {
    rule: `!(${HIGH}) || has(self.trainingData)`,
    message: 'riskClass high requires trainingData lineage',
    fieldPath: '.trainingData',
    reason: 'FieldValueRequired',
    check: (g) => !isHigh(g.riskClass) || g.trainingData !== undefined,
  },
];
const governanceSchema = HIGH_RISK_RULES.reduce(
  (schema, rule) => crossFieldRule(schema, rule),
  governanceBase,
);

export const modelDeploymentSpecSchema = crossFieldRule(
  z
    .object({
      owner: ownerSchema.optional(),
      model: modelSchema,
      serving: servingSchema,
      output: contractSchemaSchema
        .optional()
        .describe('The output this model version emits, checked against outputContract.'),
      outputContract: outputContractRefSchema.optional(),
      governance: governanceSchema.optional(),
      paused: z
        .boolean()
        .default(false)
        .describe('Stop admitting new versions; the current one keeps serving.'),
    })
    .describe('Desired state of a served model and the gates its rollout must pass.'),
  {
    rule: '!has(self.outputContract) || has(self.output)',
    message: 'output is required when outputContract is set',
    fieldPath: '.output',
    reason: 'FieldValueRequired',
    check: (spec) => spec.outputContract === undefined || spec.output !== undefined,
  },
);
export type ModelDeploymentSpec = z.infer<typeof modelDeploymentSpecSchema>;

export const Decision = {
  Admitted: 'Admitted',
  Blocked: 'Blocked',
  RolledOut: 'RolledOut',
  RolledBack: 'RolledBack',
  Promoted: 'Promoted',
  ReviewOverdue: 'ReviewOverdue',
  ApprovalRecorded: 'ApprovalRecorded',
} as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

const blockedReasonSchema = z
  .object({
    reason: identifier().describe('A Reason constant, e.g. OwnerReviewOverdue.'),
    message: longText(4096).describe('What exactly failed, with the measured values.'),
  })
  .describe('One failed gate.');

const auditEntrySchema = z
  .object({
    time: timestampSchema.describe('When the decision was taken.'),
    version: shortText().describe('Model version the decision is about.'),
    decision: z
      .enum([
        Decision.Admitted,
        Decision.Blocked,
        Decision.RolledOut,
        Decision.RolledBack,
        Decision.Promoted,
        Decision.ReviewOverdue,
        Decision.ApprovalRecorded,
      ])
      .describe('Admitted, Blocked, RolledOut, RolledBack, Promoted, ReviewOverdue or ApprovalRecorded.'),
    reasons: z.array(identifier().describe('A Reason constant.')).max(MAX_LIST).optional().describe('Why.'),
    message: longText(4096).optional().describe('Detail of the decision.'),
  })
  .describe('One rollout decision.');

/** What was admitted: the serving configuration the Deployment keeps while a later spec is blocked. */
const admittedSchema = z
  .object({
    version: semverSchema.describe('The admitted model version.'),
    uri: uriSchema.describe('Artifact URI of the admitted version.'),
    serving: servingSchema.describe('The serving configuration admitted with it.'),
    generation: z.int().min(0).describe('The .metadata.generation that was admitted.'),
    admittedAt: timestampSchema.describe('When it was admitted.'),
    contractVersion: semverSchema.optional().describe('The OutputContract version it was checked against.'),
  })
  .describe('The last admitted version and its serving configuration.');

const rolledBackSchema = admittedSchema
  .extend({
    rolledBackAt: timestampSchema.describe('When the rollout was rolled back.'),
    message: longText(4096).describe('Why: the Deployment’s ProgressDeadlineExceeded message.'),
  })
  .describe(
    'The last rollout that failed and was rolled back. While the spec asks for exactly this version, artefact and serving configuration, it stays blocked (reason RolledBack); admitting anything else clears it.',
  );

export const modelDeploymentStatusSchema = z
  .object({
    observedGeneration: observedGenerationSchema.optional(),
    conditions: conditionsSchema.optional(),
    servingVersion: shortText()
      .optional()
      .describe('Model version currently served (the last admitted one).'),
    servingUri: uriSchema.optional().describe('Artifact URI of the served version.'),
    admitted: admittedSchema.optional(),
    lastRolledOut: admittedSchema
      .optional()
      .describe(
        'The last admitted version that completed its rollout: what a failed rollout is rolled back to.',
      ),
    rolledBack: rolledBackSchema.optional(),
    availableReplicas: z
      .int()
      .min(0)
      .optional()
      .describe('Available pods of the owned Deployment running the served version.'),
    desiredVersion: shortText()
      .optional()
      .describe(
        'Version the spec (or the referenced pipeline) asks for; absent while that pipeline has promoted none.',
      ),
    blockedReasons: z
      .array(blockedReasonSchema)
      .max(MAX_LIST)
      .optional()
      .describe('Every gate the desired version fails; empty when it is admitted.'),
    ownerReviewDue: dateSchema.optional().describe('Date the next owner review is due.'),
    modelCard: z
      .object({
        configMapName: objectName().describe('ConfigMap holding model-card.md and model-card.json.'),
        version: shortText().describe('Model version the card describes.'),
      })
      .optional()
      .describe('The generated model card of the served version.'),
    history: z
      .array(auditEntrySchema)
      .max(MAX_HISTORY)
      .optional()
      .describe('Bounded audit trail, newest last.'),
  })
  .describe('Observed state of the ModelDeployment.');
export type ModelDeploymentStatus = z.infer<typeof modelDeploymentStatusSchema>;
