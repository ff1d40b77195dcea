import {
  type DriftCheckConfig,
  driftCheckConfigSchema,
  LOWER_IS_BETTER,
  qualityMetrics,
  Verdict,
} from '@steward/drift';
import { z } from 'zod';
import {
  boundsOrderRule,
  boundsPresentRule,
  boundsShape,
  namedUnitIntervalMetric,
  unitIntervalRule,
} from '../bounds.ts';
import { celString, crossFieldRule } from '../cel.ts';
import {
  configMapKeyReferenceSchema,
  dataSourceSchema,
  durationSchema,
  identifier,
  imageSchema,
  localObjectReferenceSchema,
  longText,
  objectName,
  promQlSchema,
  resourceRequirementsSchema,
  secretKeyReferenceSchema,
  shortText,
  timestampSchema,
  uriSchema,
} from '../common.ts';
import { conditionsSchema, observedGenerationSchema } from '../conditions.ts';
import { cronScheduleSchema, timeZoneSchema } from '../cron/schema.ts';

/** Set it on a DriftMonitor to a new value to run its check once now (one Job per value). */
export const CHECK_REQUESTED_ANNOTATION = 'mlops.steward.dev/check-requested';

// A breach retrains at most once a day unless the user says otherwise: training is expensive.
export const DEFAULT_RETRAIN_COOLDOWN = '24h';
export const DEFAULT_PROMETHEUS_TIMEOUT = '30s';
const MAX_QUERIES = 32;
export const MAX_FEATURES = 500;
const MAX_SAMPLE = 1_000_000_000;
const MAX_WARNINGS = 32;
// A composite key of more columns than this is a sign of joining on the wrong thing.
const MAX_KEY_COLUMNS = 8;
/**
 * With fewer than half the labels finding their prediction, the join is measuring something other than the
 * model's recent traffic (a wrong key, windows that do not overlap): no verdict rather than a wrong one.
 */
export const DEFAULT_MIN_MATCH_RATE = 0.5;
// An annotation value is free text; status keeps at most this much of it.
export const MAX_CHECK_REQUEST = 256;

/** Methods whose threshold is a p-value: drift when p < threshold, so the threshold lies in (0, 1). */
export const P_VALUE_METHODS = ['ks', 'chisquare', 'ztest'] as const;

type FeatureCheck = NonNullable<DriftCheckConfig['features']>[number];

/** The per-method threshold ranges, once for zod and once as CEL on each feature (see crd additions). */
export const FEATURE_THRESHOLD_RULES: readonly {
  rule: string;
  message: string;
  check: (feature: FeatureCheck) => boolean;
}[] = [
  {
    rule: "!has(self.threshold) || !has(self.method) || !(self.method in ['ks', 'chisquare', 'ztest']) || self.threshold < 1.0",
    message: 'threshold of a p-value method (ks, chisquare, ztest) must be in (0, 1)',
    check: (f) =>
      f.threshold === undefined ||
      f.method === undefined ||
      !(P_VALUE_METHODS as readonly string[]).includes(f.method) ||
      f.threshold < 1,
  },
  {
    rule: "!has(self.threshold) || !has(self.method) || self.method != 'jensenshannon' || self.threshold <= 1.0",
    message: 'threshold of jensenshannon must be in (0, 1]',
    check: (f) => f.threshold === undefined || f.method !== 'jensenshannon' || f.threshold <= 1,
  },
  {
    rule: '!has(self.threshold) || has(self.method) || self.threshold < 1.0',
    message: 'a threshold of 1 or more needs an explicit distance method (psi or wasserstein)',
    check: (f) => f.threshold === undefined || f.method !== undefined || f.threshold < 1,
  },
];

const dataDriftSchema = driftCheckConfigSchema.superRefine((config, ctx) => {
  config.features?.forEach((feature, index) => {
    for (const { check, message } of FEATURE_THRESHOLD_RULES) {
      if (!check(feature)) ctx.addIssue({ code: 'custom', message, path: ['features', index, 'threshold'] });
    }
  });
});

const baselineSchema = crossFieldRule(
  z
    .object({
      profile: configMapKeyReferenceSchema
        .optional()
        .describe(
          'A compact, mergeable baseline profile (written by `steward drift profile`) in a ConfigMap key.',
        ),
      source: dataSourceSchema.optional().describe('Raw reference data; profiled on every check.'),
    })
    .describe('What "no drift" looks like: a stored profile or a reference data set. Set exactly one.'),
  {
    rule: 'has(self.profile) != has(self.source)',
    message: 'set exactly one of profile or source',
    check: (b) => (b.profile === undefined) !== (b.source === undefined),
  },
);

const LOWER_IS_BETTER_NAMES: readonly string[] = [...LOWER_IS_BETTER];

const conceptDriftSchema = [
  unitIntervalRule('baseline', namedUnitIntervalMetric('metric')),
  unitIntervalRule('maxDegradation', namedUnitIntervalMetric('metric')),
  {
    rule: 'has(self.predictions) == has(self.keyColumns)',
    message: 'set predictions and keyColumns together (or neither, for labels already joined)',
    fieldPath: '.keyColumns',
    reason: 'FieldValueRequired' as const,
    check: (c: { predictions?: unknown; keyColumns?: unknown }) =>
      (c.predictions === undefined) === (c.keyColumns === undefined),
  },
  {
    rule: '!has(self.minMatchRate) || has(self.predictions)',
    message: 'minMatchRate applies to a join: set predictions and keyColumns',
    fieldPath: '.minMatchRate',
    reason: 'FieldValueForbidden' as const,
    check: (c: { predictions?: unknown; minMatchRate?: unknown }) =>
      c.minMatchRate === undefined || c.predictions !== undefined,
  },
  {
    rule: `!(self.metric in [${LOWER_IS_BETTER_NAMES.map(celString).join(', ')}]) || self.baseline >= 0.0`,
    message: `baseline cannot be negative when metric is ${LOWER_IS_BETTER_NAMES.join(', ')}`,
    fieldPath: '.baseline',
    check: (c: { metric: string; baseline: number }) =>
      !LOWER_IS_BETTER_NAMES.includes(c.metric) || c.baseline >= 0,
  },
].reduce(
  (schema, rule) => crossFieldRule(schema, rule),
  z
    .object({
      labels: dataSourceSchema.describe(
        'The delayed ground-truth labels, with keyColumns and labelColumn; without predictions, rows that already hold predictionColumn too.',
      ),
      predictions: dataSourceSchema
        .optional()
        .describe(
          'The predictions the model served, with keyColumns and predictionColumn; joined to labels by keyColumns. Requires keyColumns.',
        ),
      keyColumns: z
        .array(identifier())
        .min(1)
        .max(MAX_KEY_COLUMNS)
        .refine((columns) => new Set(columns).size === columns.length, 'keyColumns must not repeat a column')
        .meta({ 'x-kubernetes-list-type': 'set' })
        .optional()
        .describe(
          'Columns identifying one prediction in both sources, e.g. [transaction_id]; rows join where all are equal (compared as text). Requires predictions.',
        ),
      minMatchRate: z
        .number()
        .gt(0)
        .max(1)
        .optional()
        .describe(
          `Share of label rows that must find their prediction; below it the result is Inconclusive (LowMatchRate): the key or the windows are wrong. Default ${DEFAULT_MIN_MATCH_RATE} with predictions.`,
        ),
      predictionColumn: identifier().describe('Column holding the model prediction (or score, for auc).'),
      labelColumn: identifier().describe('Column holding the ground-truth label.'),
      metric: z
        .enum(qualityMetrics)
        .describe('Quality metric: accuracy, precision, recall, f1, auc, logloss, rmse or mae.'),
      baseline: z
        .number()
        .describe(
          'Metric value at training time, from the validation run: between 0 and 1 for accuracy, precision, recall, f1 and auc; not negative for logloss, rmse and mae.',
        ),
      maxDegradation: z
        .number()
        .gt(0)
        .describe(
          'Largest tolerated absolute worsening of the metric against the baseline, e.g. 0.03; at most 1 for the metrics between 0 and 1.',
        ),
      minSampleSize: z
        .int()
        .min(1)
        .max(MAX_SAMPLE)
        .default(100)
        .describe('Labelled rows needed for a verdict; below it the result is Inconclusive. Default 100.'),
    })
    .describe('Concept drift: model quality on delayed ground-truth labels against a baseline.'),
);

const boundedQuerySchema = [boundsPresentRule(), boundsOrderRule()].reduce(
  (schema, rule) => crossFieldRule(schema, rule),
  z
    .object({
      name: identifier().describe('Name of the check; a metric label and status key.'),
      query: promQlSchema,
      ...boundsShape,
    })
    .describe('A Prometheus query whose value must stay within bounds.'),
);

const outputQualitySchema = [
  boundsPresentRule(),
  boundsOrderRule(),
  unitIntervalRule('min'),
  unitIntervalRule('max'),
  {
    rule: 'has(self.query) != has(self.samples)',
    message: 'set exactly one of query or samples',
    check: (q: { query?: string | undefined; samples?: unknown }) =>
      (q.query === undefined) !== (q.samples === undefined),
  },
  {
    rule: '!has(self.samples) || has(self.scoreColumn)',
    message: 'scoreColumn is required with samples',
    fieldPath: '.scoreColumn',
    reason: 'FieldValueRequired' as const,
    check: (q: { samples?: unknown; scoreColumn?: string | undefined }) =>
      q.samples === undefined || q.scoreColumn !== undefined,
  },
].reduce(
  (schema, rule) => crossFieldRule(schema, rule),
  z
    .object({
      name: identifier().describe(
        'Name of the check, e.g. hallucination_rate; a metric label and status key.',
      ),
      query: promQlSchema
        .optional()
        .describe('PromQL returning the current rate, a share between 0 and 1. Set this or samples.'),
      samples: dataSourceSchema
        .optional()
        .describe('Scored output samples (e.g. an LLM-judge export). Set this or query.'),
      scoreColumn: identifier()
        .optional()
        .describe('Column of samples holding the per-sample score (0..1). Required with samples.'),
      min: z.number().optional().describe('Lowest acceptable rate, between 0 and 1 (inclusive).'),
      max: z.number().optional().describe('Highest acceptable rate, between 0 and 1 (inclusive).'),
    })
    .describe(
      'An output-quality rate between 0 and 1 (LLM hallucination, relevance, safety ...) that must stay within bounds.',
    ),
);

const prometheusSchema = z
  .object({
    url: uriSchema.describe('Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090.'),
    bearerTokenSecretRef: secretKeyReferenceSchema.optional().describe('Secret key holding a bearer token.'),
    timeout: durationSchema.default(DEFAULT_PROMETHEUS_TIMEOUT).describe('Per-query timeout. Default 30s.'),
  })
  .describe('The Prometheus the KPI and output-quality queries run against.');

const onDriftSchema = z
  .object({
    retrainPipeline: objectName().describe('Name of the RetrainPipeline to trigger, in the same namespace.'),
    cooldown: durationSchema
      .default(DEFAULT_RETRAIN_COOLDOWN)
      .describe('Minimum time between two triggered retrains. Default 24h.'),
  })
  .describe('What to do on a breach: trigger a retrain.');

const checkJobSchema = z
  .object({
    image: imageSchema
      .optional()
      .describe('Image running `steward job drift-check`; defaults to the operator image.'),
    serviceAccountName: objectName()
      .optional()
      .describe('ServiceAccount of the check pods (e.g. for workload identity).'),
    resources: resourceRequirementsSchema.optional(),
    timeout: durationSchema
      .default('30m')
      .describe('A check running longer is killed and reported Failed. Default 30m.'),
  })
  .describe('Settings of the CronJob that runs the checks.');

const PROMETHEUS_NEEDED =
  '!((has(self.businessKpis) && size(self.businessKpis) > 0) || (has(self.outputQuality) && self.outputQuality.exists(q, has(q.query)))) || has(self.prometheus)';

export const driftMonitorSpecSchema = crossFieldRule(
  crossFieldRule(
    z
      .object({
        target: localObjectReferenceSchema.describe(
          'The ModelDeployment this monitor watches, in the same namespace.',
        ),
        schedule: cronScheduleSchema,
        timeZone: timeZoneSchema.optional(),
        suspend: z.boolean().default(false).describe('Pause the scheduled checks. Default false.'),
        baseline: baselineSchema.optional(),
        current: dataSourceSchema
          .optional()
          .describe('The recent production data compared with the baseline.'),
        dataDrift: dataDriftSchema.optional(),
        conceptDrift: conceptDriftSchema.optional(),
        businessKpis: z
          .array(boundedQuerySchema)
          .max(MAX_QUERIES)
          .optional()
          .describe('Business KPIs with bounds.'),
        outputQuality: z
          .array(outputQualitySchema)
          .max(MAX_QUERIES)
          .optional()
          .describe('Output-quality checks with bounds.'),
        prometheus: prometheusSchema.optional(),
        onDrift: onDriftSchema.optional(),
        job: checkJobSchema.optional(),
      })
      .describe('Scheduled drift checks of one ModelDeployment.'),
    {
      rule: '!has(self.dataDrift) || (has(self.baseline) && has(self.current))',
      message: 'dataDrift requires baseline and current',
      fieldPath: '.dataDrift',
      check: (s) => s.dataDrift === undefined || (s.baseline !== undefined && s.current !== undefined),
    },
  ),
  {
    rule: PROMETHEUS_NEEDED,
    message: 'prometheus is required when businessKpis or query-based outputQuality checks are set',
    fieldPath: '.prometheus',
    reason: 'FieldValueRequired',
    check: (s) =>
      !((s.businessKpis?.length ?? 0) > 0 || (s.outputQuality ?? []).some((q) => q.query !== undefined)) ||
      s.prometheus !== undefined,
  },
);
export type DriftMonitorSpec = z.infer<typeof driftMonitorSpecSchema>;

/**
 * The outcome of a check and of each of its parts: the drift library's verdicts (one vocabulary from
 * `steward drift check` through status, reasons and metrics) plus Failed, when a part could not run.
 */
export const CheckOutcome = { ...Verdict, Failed: 'Failed' } as const;
export type CheckOutcome = (typeof CheckOutcome)[keyof typeof CheckOutcome];
const outcomeSchema = z
  .enum([
    CheckOutcome.NoDrift,
    CheckOutcome.Drift,
    CheckOutcome.SchemaDrift,
    CheckOutcome.Inconclusive,
    CheckOutcome.Failed,
  ])
  .describe(
    'NoDrift, Drift, SchemaDrift (a feature vanished or changed type), Inconclusive (not enough data) or Failed (the check could not run).',
  );

const featureResultSchema = z
  .object({
    name: shortText().describe('Feature name.'),
    method: shortText().optional().describe('Method used; absent when the feature could not be judged.'),
    score: z.number().optional().describe('Statistic or distance.'),
    pValue: z.number().min(0).max(1).optional().describe('p-value, for test-based methods.'),
    threshold: z.number().optional().describe('Threshold the score or p-value was compared with.'),
    referenceSize: z.int().min(0).optional().describe('Values on the baseline side.'),
    sampleSize: z.int().min(0).describe('Values on the current side.'),
    outcome: outcomeSchema,
    reason: shortText()
      .optional()
      .describe('Why the outcome is SchemaDrift or Inconclusive, e.g. MissingColumn.'),
  })
  .describe('Measured drift of one feature.');

const boundedResultSchema = z
  .object({
    name: shortText().describe('Check name.'),
    value: z.number().optional().describe('Measured value; absent when it could not be measured.'),
    ...boundsShape,
    sampleSize: z.int().min(0).optional().describe('Scored samples the value was computed from.'),
    outcome: outcomeSchema,
    reason: shortText().optional().describe('Why it failed or was inconclusive, e.g. SourceUnreachable.'),
    message: longText(1024).optional().describe('Why the check failed or was inconclusive.'),
  })
  .describe('Result of a bounded check.');

const count = (what: string) => z.int().min(0).describe(what);
const joinResultSchema = z
  .object({
    labelRows: count('Label rows with a key and a label (a repeated key counted once).'),
    predictionRows: count(
      'Prediction rows with a key and a prediction (a repeated labelled key counted once).',
    ),
    unmatchedLabels: count('Labels whose key no prediction has.'),
    unmatchedPredictions: count('Predictions whose key no label has yet (normal for delayed labels).'),
    duplicateKeys: count('Rows skipped because their key was already seen on the same side.'),
    incompleteRows: count('Rows skipped because a key cell, the prediction or the label was empty.'),
    matchRate: z
      .number()
      .min(0)
      .max(1)
      .describe('Labels that found their prediction, as a share of labelRows.'),
  })
  .describe(
    'How the predictions and labels joined (with spec.conceptDrift.predictions); sampleSize is the matched rows.',
  );

export const checkResultSchema = z
  .object({
    outcome: outcomeSchema,
    job: objectName().optional().describe('The Job that ran the check.'),
    startedAt: timestampSchema.describe('When the check started.'),
    completedAt: timestampSchema.optional().describe('When the check finished.'),
    driftShare: z.number().min(0).max(1).optional().describe('Share of drifted features.'),
    dataDrift: z
      .object({
        outcome: outcomeSchema,
        driftedFeatures: z.int().min(0).optional().describe('Features with outcome Drift or SchemaDrift.'),
        schemaDriftedFeatures: z.int().min(0).optional().describe('Features with outcome SchemaDrift.'),
        inconclusiveFeatures: z.int().min(0).optional().describe('Features that could not be judged.'),
        totalFeatures: z.int().min(0).optional().describe('Features checked.'),
        reason: shortText().optional().describe('Why it failed or was inconclusive, e.g. SourceUnreachable.'),
        message: longText(1024).optional().describe('Why the data drift check failed.'),
      })
      .optional()
      .describe('Data drift result of the dataset as a whole.'),
    features: z
      .array(featureResultSchema)
      .max(MAX_FEATURES)
      .optional()
      .describe('Per-feature results, breaches first.'),
    conceptDrift: z
      .object({
        metric: shortText().describe('Metric.'),
        value: z.number().optional().describe('Measured value; absent when it could not be measured.'),
        baseline: z.number().describe('Baseline value.'),
        maxDegradation: z.number().optional().describe('Largest tolerated worsening.'),
        sampleSize: z.int().min(0).describe('Labelled rows used.'),
        join: joinResultSchema.optional(),
        outcome: outcomeSchema,
        reason: shortText().optional().describe('Why it failed or was inconclusive, e.g. SourceUnreachable.'),
        message: longText(1024).optional().describe('Why the check failed or was inconclusive.'),
      })
      .optional()
      .describe('Concept drift result.'),
    businessKpis: z.array(boundedResultSchema).max(MAX_QUERIES).optional().describe('KPI results.'),
    outputQuality: z
      .array(boundedResultSchema)
      .max(MAX_QUERIES)
      .optional()
      .describe('Output-quality results.'),
    warnings: z
      .array(longText(1024))
      .max(MAX_WARNINGS)
      .optional()
      .describe('Implausible thresholds and other settings worth a look.'),
    message: longText(4096).optional().describe('Summary, or the error that made the check fail.'),
  })
  .describe('Values measured by one check, not only the verdict.');

export type CheckResult = z.infer<typeof checkResultSchema>;
export type FeatureCheckResult = z.infer<typeof featureResultSchema>;
export type BoundedCheckResult = z.infer<typeof boundedResultSchema>;

export const driftMonitorStatusSchema = z
  .object({
    observedGeneration: observedGenerationSchema.optional(),
    conditions: conditionsSchema.optional(),
    cronJobName: objectName().optional().describe('The CronJob running the checks.'),
    lastCheckTime: timestampSchema.optional().describe('When the last check completed.'),
    handledCheckRequest: z
      .string()
      .max(MAX_CHECK_REQUEST)
      .optional()
      .describe(`The last ${CHECK_REQUESTED_ANNOTATION} value acted on (each value runs one check).`),
    lastSuccessfulCheckTime: timestampSchema
      .optional()
      .describe('When the last check completed without a Failed part (CheckStale counts from here).'),
    lastResult: checkResultSchema.optional(),
    lastRetrainTrigger: z
      .object({
        time: timestampSchema.describe('When the retrain was requested.'),
        pipeline: objectName().describe('The RetrainPipeline triggered.'),
        reason: longText(1024).describe('Which checks breached.'),
      })
      .optional()
      .describe(
        'The last retrain this monitor requested (cooldown starts here). This is the request: the RetrainPipeline starts one run for each newer time (docs/retrain-pipeline.md).',
      ),
  })
  .describe('Observed state of the DriftMonitor.');
export type DriftMonitorStatus = z.infer<typeof driftMonitorStatusSchema>;
