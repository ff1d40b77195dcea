import { z } from 'zod';
import {
  boundsOrderRule,
  boundsPresentRule,
  namedUnitIntervalMetric,
  unitIntervalMetricMap,
  unitIntervalRule,
} from '../bounds.ts';
import { crossFieldRule } from '../cel.ts';
import {
  argsSchema,
  boundedRecord,
  durationSchema,
  envSchema,
  identifier,
  imageSchema,
  localObjectReferenceSchema,
  longText,
  objectName,
  patternString,
  resourceRequirementsSchema,
  shortText,
  timestampSchema,
  uriSchema,
} from '../common.ts';
import { conditionsSchema, observedGenerationSchema } from '../conditions.ts';
import { cronScheduleSchema, timeZoneSchema } from '../cron/schema.ts';

/** Setting this annotation to a new value (e.g. a timestamp) requests one manual run: GitOps-friendly. */
export const RETRAIN_REQUESTED_ANNOTATION = 'mlops.steward.dev/retrain-requested';
/** Setting this annotation to a new value starts one fire drill now, besides fireDrill.schedule. */
export const DRILL_REQUESTED_ANNOTATION = 'mlops.steward.dev/drill-requested';
/** The Kueue label a Job carries so Kueue admits it through the named LocalQueue. */
export const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

const DEFAULT_TRAIN_TIMEOUT = '6h';
const DEFAULT_VALIDATE_TIMEOUT = '1h';
// A weekly drill that has not succeeded for eight days has missed at least one run.
export const DEFAULT_DRILL_STALE_AFTER = '8d';
const DEFAULT_HISTORY_LIMIT = 10;
const MAX_HISTORY_LIMIT = 50;
const MAX_BACKOFF = 10;
const MAX_LIST = 32;
// Slice metrics and fairness results kept per run: enough for a model card, small enough for status.
export const MAX_REPORTED_RESULTS = 32;
const MAX_LABEL_VALUE = 63;
// Kubernetes caps all annotations of an object at 256 KiB together; one request value needs far less.
const MAX_ANNOTATION_VALUE = 1024;
// The controller keeps the first this-many metrics a validate job reports, so status stays small.
export const MAX_REPORTED_METRICS = 64;

// A few volumes are enough for data, artefacts and caches; the bound keeps CEL costs small.
const MAX_VOLUMES = 8;
const MAX_PATH = 1024;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The scratch emptyDir every job container gets at /tmp (its root filesystem is read-only). */
export const SCRATCH_VOLUME = { name: 'steward-scratch', mountPath: '/tmp' } as const;

const jobVolumeSchema = crossFieldRule(
  z
    .object({
      name: patternString(
        DNS_LABEL,
        'must be a lowercase RFC 1123 label (a-z, 0-9 and "-")',
        MAX_LABEL_VALUE,
      ).describe('Volume name, unique in the list.'),
      mountPath: patternString(/^\/.*$/, 'must be an absolute path', MAX_PATH).describe(
        'Where the container sees the volume, e.g. /models.',
      ),
      persistentVolumeClaim: objectName().describe(
        'The PersistentVolumeClaim to mount, in the same namespace; the train and validate Jobs share artefacts through one.',
      ),
      readOnly: z.boolean().optional().describe('Mount read-only.'),
    })
    .describe('A PersistentVolumeClaim mounted into the job container.'),
  {
    rule: `self.name != '${SCRATCH_VOLUME.name}' && self.mountPath != '${SCRATCH_VOLUME.mountPath}'`,
    message: `the name ${SCRATCH_VOLUME.name} and the path ${SCRATCH_VOLUME.mountPath} are the scratch volume's`,
    check: (v) => v.name !== SCRATCH_VOLUME.name && v.mountPath !== SCRATCH_VOLUME.mountPath,
  },
);

const jobTemplateSchema = z
  .object({
    image: imageSchema.describe('Image of the job container.'),
    command: argsSchema.optional().describe('Entrypoint override.'),
    args: argsSchema
      .optional()
      .describe(
        'Arguments. The run is described in STEWARD_* env vars: STEWARD_RUN_ID, STEWARD_RUN_TRIGGER, STEWARD_DRY_RUN, STEWARD_CANDIDATE_VERSION/URI (validate), STEWARD_SERVING_VERSION/URI.',
      ),
    env: envSchema.optional(),
    resources: resourceRequirementsSchema.optional(),
    serviceAccountName: objectName().optional().describe('ServiceAccount of the job pod.'),
    volumes: z
      .array(jobVolumeSchema)
      .max(MAX_VOLUMES)
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })
      .optional()
      .describe('PersistentVolumeClaims to mount (data, artefacts); /tmp is always a scratch emptyDir.'),
    timeout: durationSchema.describe('The job is killed and the run fails after this long.'),
    backoffLimit: z
      .int()
      .min(0)
      .max(MAX_BACKOFF)
      .default(1)
      .describe('Pod retries before the job fails. Default 1.'),
  })
  .describe(
    'A Job the pipeline runs. The container reports its result as a JSON termination message (docs/retrain-pipeline.md).',
  );

const trainSchema = jobTemplateSchema.extend({
  timeout: durationSchema
    .default(DEFAULT_TRAIN_TIMEOUT)
    .describe('The training job fails after this long. Default 6h.'),
});

const metricGateSchema = [
  boundsPresentRule('a metric gate needs at least one bound (min or max)'),
  boundsOrderRule(),
  unitIntervalRule('min', namedUnitIntervalMetric('name')),
  unitIntervalRule('max', namedUnitIntervalMetric('name')),
  unitIntervalRule('maxRegression', namedUnitIntervalMetric('name')),
].reduce(
  (schema, rule) => crossFieldRule(schema, rule),
  z
    .object({
      name: identifier().describe('Metric reported by the validate job, e.g. auc.'),
      min: z
        .number()
        .optional()
        .describe(
          'Lowest acceptable value (inclusive); between 0 and 1 for accuracy, precision, recall, f1 and auc.',
        ),
      max: z
        .number()
        .optional()
        .describe(
          'Highest acceptable value (inclusive); between 0 and 1 for accuracy, precision, recall, f1 and auc.',
        ),
      maxRegression: z
        .number()
        .min(0)
        .optional()
        .describe(
          'The candidate may be worse than the serving version by at most this much: lower when the gate has a min, higher when it has only a max. The serving value comes from the validate job (servingMetrics) or the ModelDeployment evaluation (slice overall).',
        ),
    })
    .describe('A gate on one validation metric.'),
);

const validateSchema = jobTemplateSchema.extend({
  timeout: durationSchema
    .default(DEFAULT_VALIDATE_TIMEOUT)
    .describe('The validation job fails after this long. Default 1h.'),
  gates: z.array(metricGateSchema).max(MAX_LIST).optional().describe('Metric gates the candidate must pass.'),
  requireFairness: z
    .boolean()
    .default(true)
    .describe('The candidate fails when the validate job reports a fairness bound violation. Default true.'),
});

export const PromotionMode = { Auto: 'auto', Manual: 'manual' } as const;

const promotionSchema = z
  .object({
    mode: z
      .enum([PromotionMode.Auto, PromotionMode.Manual])
      .default(PromotionMode.Auto)
      .describe(
        'auto publishes a validated candidate in status.promotedVersion; manual waits until the ModelDeployment lists an approval for the candidate version in spec.governance.approvals (the one, attributable approval mechanism). Either way the ModelDeployment still applies all of its own gates. Default auto.',
      ),
  })
  .describe('How a validated candidate becomes the promoted version.');

const triggersSchema = z
  .object({
    driftMonitors: z
      .array(objectName().describe('A DriftMonitor name.'))
      .max(MAX_LIST)
      .optional()
      .describe(
        'DriftMonitors allowed to trigger this pipeline; their onDrift must name it. Omitted: every DriftMonitor whose onDrift names it.',
      ),
    schedule: cronScheduleSchema.optional().describe('Retrain on a schedule as well, e.g. monthly.'),
    timeZone: timeZoneSchema.optional(),
  })
  .describe(`What starts a run besides the manual ${RETRAIN_REQUESTED_ANNOTATION} annotation.`);

export const DrillInjection = { Shift: 'shift', Scale: 'scale', CategoryFlip: 'categoryFlip' } as const;

/** The synthetic drift of a fire drill; the drill's check Job receives it as JSON (STEWARD_DRILL_INJECTION). */
export const drillInjectionSchema = crossFieldRule(
  z
    .object({
      features: z
        .array(identifier().describe('A feature name.'))
        .min(1)
        .max(MAX_LIST)
        .describe('Features the synthetic drift is injected into.'),
      kind: z
        .enum([DrillInjection.Shift, DrillInjection.Scale, DrillInjection.CategoryFlip])
        .describe(
          'shift adds magnitude standard deviations; scale multiplies; categoryFlip reassigns that share of categories.',
        ),
      magnitude: z
        .number()
        .gt(0)
        .describe(
          'Strength of the injection; must make the check fire. For categoryFlip a share, at most 1.',
        ),
    })
    .describe('The synthetic drift to inject.'),
  {
    rule: `self.kind != '${DrillInjection.CategoryFlip}' || self.magnitude <= 1.0`,
    message: 'magnitude of categoryFlip is the share of categories reassigned and must be at most 1',
    fieldPath: '.magnitude',
    check: (injection) => injection.kind !== DrillInjection.CategoryFlip || injection.magnitude <= 1,
  },
);
export type DrillInjectionSpec = z.infer<typeof drillInjectionSchema>;

const fireDrillSchema = z
  .object({
    schedule: cronScheduleSchema.describe('When to run the drill, e.g. weekly.'),
    timeZone: timeZoneSchema.optional(),
    driftMonitor: objectName().describe('The DriftMonitor whose check runs on the injected data.'),
    injection: drillInjectionSchema,
    staleAfter: durationSchema
      .default(DEFAULT_DRILL_STALE_AFTER)
      .describe('A drill without a pass for this long sets DrillHealthy=False (DrillStale). Default 8d.'),
  })
  .describe('Scheduled proof that the path check -> retrain -> validate -> dry-run promote works.');

export const ConcurrencyPolicy = { Forbid: 'Forbid', Replace: 'Replace' } as const;

export const retrainPipelineSpecSchema = crossFieldRule(
  z
    .object({
      modelDeployment: localObjectReferenceSchema.describe(
        'The ModelDeployment this pipeline produces versions for.',
      ),
      triggers: triggersSchema.optional(),
      train: trainSchema.describe('The training Job; reports candidateVersion and uri.'),
      validate: validateSchema.describe('The validation Job; reports metrics and fairness results.'),
      promotion: promotionSchema.optional(),
      fireDrill: fireDrillSchema.optional(),
      concurrencyPolicy: z
        .enum([ConcurrencyPolicy.Forbid, ConcurrencyPolicy.Replace])
        .default(ConcurrencyPolicy.Forbid)
        .describe(
          'Forbid skips a trigger while a run is active; Replace cancels the active run. Default Forbid.',
        ),
      queueName: patternString(
        /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
        'must be a LocalQueue name: lowercase alphanumeric, "-" and ".", at most 63 characters',
        MAX_LABEL_VALUE,
      )
        .optional()
        .describe(`Kueue LocalQueue for the pipeline's Jobs: set as the ${KUEUE_QUEUE_LABEL} label.`),
      historyLimit: z
        .int()
        .min(1)
        .max(MAX_HISTORY_LIMIT)
        .default(DEFAULT_HISTORY_LIMIT)
        .describe('Finished runs kept in status.runs. Default 10.'),
    })
    .describe('Retraining as Jobs: triggers, train, validate, promote, and fire drills.'),
  {
    rule: '!has(self.fireDrill) || !has(self.triggers) || !has(self.triggers.driftMonitors) || self.fireDrill.driftMonitor in self.triggers.driftMonitors',
    message: 'fireDrill.driftMonitor must be listed in triggers.driftMonitors',
    fieldPath: '.fireDrill.driftMonitor',
    check: (s) =>
      s.fireDrill === undefined ||
      s.triggers?.driftMonitors === undefined ||
      s.triggers.driftMonitors.includes(s.fireDrill.driftMonitor),
  },
);
export type RetrainPipelineSpec = z.infer<typeof retrainPipelineSpecSchema>;

export const RunTrigger = { Drift: 'drift', Schedule: 'schedule', Manual: 'manual', Drill: 'drill' } as const;
export const RunPhase = {
  Training: 'Training',
  Validating: 'Validating',
  AwaitingApproval: 'AwaitingApproval',
  Promoted: 'Promoted',
  DryRunPromoted: 'DryRunPromoted',
  Rejected: 'Rejected',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
} as const;

/** Metrics by name as a job reports them; accuracy, precision, recall, f1 and auc lie in [0, 1]. */
export const reportedMetricsSchema = unitIntervalMetricMap(
  boundedRecord(z.number().describe('Metric value.'), MAX_REPORTED_METRICS),
);

export const reportedSliceMetricSchema = crossFieldRule(
  z
    .object({
      name: identifier().describe('Metric name, e.g. auc.'),
      slice: identifier().describe('Slice of the evaluation data, e.g. overall or channel-mobile.'),
      value: z
        .number()
        .describe('Measured value; between 0 and 1 for accuracy, precision, recall, f1 and auc.'),
    })
    .describe('One metric on one slice.'),
  unitIntervalRule('value', namedUnitIntervalMetric('name')),
);

/** A fairness result as a validate job reports it; @steward/api's retrain-results.ts parses job output with it. */
export const reportedFairnessSchema = crossFieldRule(
  z
    .object({
      metric: identifier().describe('Fairness metric, e.g. demographic_parity_ratio.'),
      attribute: identifier().describe('Protected attribute, e.g. age_band.'),
      value: z.number().describe('Measured value.'),
      min: z.number().optional().describe('Lowest acceptable value (inclusive).'),
      max: z.number().optional().describe('Highest acceptable value (inclusive).'),
    })
    .describe('One fairness result with the bounds it was judged against.'),
  boundsOrderRule(),
);

const runSchema = z
  .object({
    id: identifier().describe('Deterministic run id; Job names derive from it.'),
    trigger: z
      .enum([RunTrigger.Drift, RunTrigger.Schedule, RunTrigger.Manual, RunTrigger.Drill])
      .describe('What started the run: drift, schedule, manual or drill.'),
    reason: longText(1024).optional().describe('Why, e.g. which drift checks breached.'),
    phase: z.enum(RunPhase).describe(`Where the run is: ${Object.values(RunPhase).join(', ')}.`),
    startedAt: timestampSchema.describe('When the run started.'),
    completedAt: timestampSchema.optional().describe('When the run finished.'),
    candidateVersion: shortText().optional().describe('Version reported by the train job.'),
    candidateUri: uriSchema.optional().describe('Artifact URI reported by the train job.'),
    servingVersion: shortText()
      .optional()
      .describe('Version the ModelDeployment served when the run started.'),
    metrics: reportedMetricsSchema.optional().describe('Overall metrics reported by the validate job.'),
    evaluation: z
      .array(reportedSliceMetricSchema)
      .max(MAX_REPORTED_RESULTS)
      .optional()
      .describe('Metrics by slice reported by the validate job.'),
    fairness: z
      .array(reportedFairnessSchema)
      .max(MAX_REPORTED_RESULTS)
      .optional()
      .describe('Fairness results reported by the validate job.'),
    message: longText(4096).optional().describe('What happened, e.g. which gate failed with which value.'),
  })
  .describe('One pipeline run.');

export const DrillOutcome = { Running: 'Running', Passed: 'Passed', Failed: 'Failed' } as const;
export const DrillStage = {
  Check: 'check',
  Train: 'train',
  Validate: 'validate',
  Promote: 'promote',
} as const;

const handledTriggersSchema = z
  .object({
    manualRequest: z
      .string()
      .max(MAX_ANNOTATION_VALUE)
      .optional()
      .describe(`The last ${RETRAIN_REQUESTED_ANNOTATION} value acted on (each value starts one run).`),
    drillRequest: z
      .string()
      .max(MAX_ANNOTATION_VALUE)
      .optional()
      .describe(`The last ${DRILL_REQUESTED_ANNOTATION} value acted on (each value starts one drill).`),
    driftRequestTime: timestampSchema
      .optional()
      .describe('The newest DriftMonitor request (its status.lastRetrainTrigger.time) acted on.'),
    scheduleTime: timestampSchema
      .optional()
      .describe('The last scheduled time of triggers.schedule acted on.'),
    drillTime: timestampSchema.optional().describe('The last scheduled time of fireDrill.schedule acted on.'),
  })
  .describe('Which requests were acted on, so a restarted operator starts each run once.');

export const retrainPipelineStatusSchema = z
  .object({
    observedGeneration: observedGenerationSchema.optional(),
    conditions: conditionsSchema.optional(),
    activeRun: identifier().optional().describe('Id of the run in progress.'),
    runs: z
      .array(runSchema)
      .max(MAX_HISTORY_LIMIT + 1)
      .optional()
      .describe('Recent runs, newest last.'),
    promotedVersion: shortText()
      .optional()
      .describe('Latest promoted model version; a ModelDeployment with spec.model.versionFrom serves it.'),
    promotedUri: uriSchema
      .optional()
      .describe('Artifact URI of the promoted version; a ModelDeployment with versionFrom serves it.'),
    promotedAt: timestampSchema.optional().describe('When promotedVersion was published.'),
    lastTriggerTime: timestampSchema.optional().describe('When a run was last started.'),
    handledTriggers: handledTriggersSchema.optional(),
    lastDrill: z
      .object({
        runId: identifier().describe('The drill run; its Jobs derive their names from it.'),
        startedAt: timestampSchema.describe('When the drill started (the drift was injected).'),
        completedAt: timestampSchema.optional().describe('When the drill finished.'),
        outcome: z
          .enum([DrillOutcome.Running, DrillOutcome.Passed, DrillOutcome.Failed])
          .describe('Running, Passed or Failed.'),
        stage: z
          .enum([DrillStage.Check, DrillStage.Train, DrillStage.Validate, DrillStage.Promote])
          .describe('The stage reached: check, train, validate or promote (the failing one when Failed).'),
        detection: longText(1024)
          .optional()
          .describe('What the drift check measured on the injected data, e.g. drifted 1/6 features.'),
        candidateVersion: shortText().optional().describe('Candidate trained in dry-run mode.'),
        candidateUri: uriSchema.optional().describe('Where the dry-run candidate was written.'),
        metrics: reportedMetricsSchema
          .optional()
          .describe('Metrics the validate job reported for the dry-run candidate.'),
        secondsToValidatedCandidate: z
          .number()
          .min(0)
          .optional()
          .describe('Time from injection to a validated candidate, in seconds.'),
        message: longText(4096)
          .optional()
          .describe('Which stage failed and why, or what a promotion would do.'),
      })
      .optional()
      .describe('The most recent fire drill.'),
    lastDrillSuccessTime: timestampSchema.optional().describe('When a fire drill last passed.'),
  })
  .describe('Observed state of the RetrainPipeline.');
export type RetrainPipelineStatus = z.infer<typeof retrainPipelineStatusSchema>;
