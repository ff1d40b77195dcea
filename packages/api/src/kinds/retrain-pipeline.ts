import { z } from 'zod';
import { crossFieldRule } from '../cel.ts';
import {
  argsSchema,
  boundedRecord,
  cronScheduleSchema,
  durationSchema,
  envSchema,
  identifier,
  imageSchema,
  localObjectReferenceSchema,
  longText,
  objectName,
  resourceRequirementsSchema,
  shortText,
  timestampSchema,
  timeZoneSchema,
  uriSchema,
} from '../common.ts';
import { conditionsSchema, observedGenerationSchema } from '../conditions.ts';

/** Setting this annotation to a new value (e.g. a timestamp) requests one manual run: GitOps-friendly. */
export const RETRAIN_REQUESTED_ANNOTATION = 'mlops.steward.dev/retrain-requested';
/** Set to the candidate version to approve its promotion when promotion.mode is approval. */
export const PROMOTION_APPROVED_ANNOTATION = 'mlops.steward.dev/approve-promotion';

const DEFAULT_TRAIN_TIMEOUT = '6h';
const DEFAULT_VALIDATE_TIMEOUT = '1h';
// A weekly drill that has not succeeded for eight days has missed at least one run.
export const DEFAULT_DRILL_STALE_AFTER = '8d';
const DEFAULT_HISTORY_LIMIT = 10;
const MAX_HISTORY_LIMIT = 50;
const MAX_BACKOFF = 10;
const MAX_LIST = 32;
// The controller keeps the first this-many metrics a validate job reports, so status stays small.
export const MAX_REPORTED_METRICS = 64;

const jobTemplateSchema = z
  .object({
    image: imageSchema.describe('Image of the job container.'),
    command: argsSchema.optional().describe('Entrypoint override.'),
    args: argsSchema
      .optional()
      .describe('Arguments; the run id and trigger are passed as STEWARD_RUN_* env vars.'),
    env: envSchema.optional(),
    resources: resourceRequirementsSchema.optional(),
    serviceAccountName: objectName().optional().describe('ServiceAccount of the job pod.'),
    timeout: durationSchema.describe('The job is killed and the run fails after this long.'),
    backoffLimit: z
      .int()
      .min(0)
      .max(MAX_BACKOFF)
      .default(1)
      .describe('Pod retries before the job fails. Default 1.'),
  })
  .describe(
    'A Job the pipeline runs. The container reports its result (candidateVersion, uri, metrics) as a JSON termination message.',
  );

const trainSchema = jobTemplateSchema.extend({
  timeout: durationSchema
    .default(DEFAULT_TRAIN_TIMEOUT)
    .describe('The training job fails after this long. Default 6h.'),
});

const metricGateSchema = crossFieldRule(
  z
    .object({
      name: identifier().describe('Metric reported by the validate job, e.g. auc.'),
      min: z.number().optional().describe('Lowest acceptable value (inclusive).'),
      max: z.number().optional().describe('Highest acceptable value (inclusive).'),
    })
    .describe('A gate on one validation metric.'),
  {
    rule: 'has(self.min) || has(self.max)',
    message: 'a metric gate needs at least one bound (min or max)',
    check: (gate) => gate.min !== undefined || gate.max !== undefined,
  },
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

export const PromotionMode = { Auto: 'auto', Approval: 'approval' } as const;

const promotionSchema = z
  .object({
    mode: z
      .enum([PromotionMode.Auto, PromotionMode.Approval])
      .default(PromotionMode.Approval)
      .describe(
        `auto promotes a validated candidate; approval waits for the ${PROMOTION_APPROVED_ANNOTATION} annotation. Default approval.`,
      ),
  })
  .describe('How a validated candidate becomes the promoted version.');

const triggersSchema = z
  .object({
    driftMonitors: z
      .array(objectName().describe('A DriftMonitor name.'))
      .max(MAX_LIST)
      .optional()
      .describe('DriftMonitors allowed to trigger this pipeline (their onDrift must name it).'),
    schedule: cronScheduleSchema.optional().describe('Retrain on a schedule as well, e.g. monthly.'),
    timeZone: timeZoneSchema.optional(),
  })
  .describe(`What starts a run besides the manual ${RETRAIN_REQUESTED_ANNOTATION} annotation.`);

export const DrillInjection = { Shift: 'shift', Scale: 'scale', CategoryFlip: 'categoryFlip' } as const;

const fireDrillSchema = z
  .object({
    schedule: cronScheduleSchema.describe('When to run the drill, e.g. weekly.'),
    timeZone: timeZoneSchema.optional(),
    driftMonitor: objectName().describe('The DriftMonitor whose check runs on the injected data.'),
    injection: z
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
        magnitude: z.number().gt(0).describe('Strength of the injection; must make the check fire.'),
      })
      .describe('The synthetic drift to inject.'),
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
    metrics: boundedRecord(z.number().describe('Metric value.'), MAX_REPORTED_METRICS)
      .optional()
      .describe('Metrics reported by the validate job.'),
    message: longText(4096).optional().describe('What happened, e.g. which gate failed with which value.'),
  })
  .describe('One pipeline run.');

export const DrillOutcome = { Running: 'Running', Passed: 'Passed', Failed: 'Failed' } as const;

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
      .describe('Latest promoted model version (ModelDeployment versionFrom reads it).'),
    promotedUri: uriSchema.optional().describe('Artifact URI of the promoted version.'),
    lastTriggerTime: timestampSchema.optional().describe('When a run was last started.'),
    lastDrill: z
      .object({
        runId: identifier().describe('The drill run.'),
        startedAt: timestampSchema.describe('When the drill started.'),
        completedAt: timestampSchema.optional().describe('When the drill finished.'),
        outcome: z
          .enum([DrillOutcome.Running, DrillOutcome.Passed, DrillOutcome.Failed])
          .describe('Running, Passed or Failed.'),
        message: longText(4096).optional().describe('Which stage failed and why.'),
      })
      .optional()
      .describe('The most recent fire drill.'),
  })
  .describe('Observed state of the RetrainPipeline.');
export type RetrainPipelineStatus = z.infer<typeof retrainPipelineStatusSchema>;
