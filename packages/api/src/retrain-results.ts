/**
 * What the RetrainPipeline's Job containers report, as a JSON termination message: the least-privilege
 * results channel (the Job needs no access to Steward resources; the operator reads the Pod's status).
 * The trainer and validator write these documents; the controller parses them with the same schemas.
 */
import { z } from 'zod';
import { unitIntervalMetricMap } from './bounds.ts';
import { identifier, shortText, uriSchema } from './common.ts';
import {
  MAX_REPORTED_METRICS,
  MAX_REPORTED_RESULTS,
  reportedFairnessSchema,
  reportedSliceMetricSchema,
} from './kinds/retrain-pipeline.ts';

/** The kubelet keeps at most this many bytes of a container's termination message. */
export const TERMINATION_MESSAGE_MAX_BYTES = 4096;
/** Where a container writes its termination message (the Pod spec's terminationMessagePath default). */
export const TERMINATION_MESSAGE_PATH = '/dev/termination-log';

const metricMapSchema = unitIntervalMetricMap(
  z.record(identifier(), z.number()).refine((map) => Object.keys(map).length <= MAX_REPORTED_METRICS, {
    message: `must have at most ${MAX_REPORTED_METRICS} metrics`,
  }),
);

export const trainResultSchema = z.object({
  candidateVersion: shortText().describe('Version of the trained model.'),
  uri: uriSchema.describe('Where the artefact was written.'),
  metrics: metricMapSchema.optional().describe('Training metrics, for the record.'),
});
export type TrainResult = z.infer<typeof trainResultSchema>;

export const validateResultSchema = z.object({
  metrics: metricMapSchema.describe('Overall metrics of the candidate on the holdout data.'),
  servingMetrics: metricMapSchema
    .optional()
    .describe('The same metrics of the serving version on the same data (for maxRegression gates).'),
  evaluation: z.array(reportedSliceMetricSchema).max(MAX_REPORTED_RESULTS).optional(),
  fairness: z.array(reportedFairnessSchema).max(MAX_REPORTED_RESULTS).optional(),
});
export type ValidateResult = z.infer<typeof validateResultSchema>;

/** What the fire drill's check Job reports: did the drift check detect the injected drift? */
export const drillCheckResultSchema = z.object({
  detected: z.boolean(),
  summary: z
    .string()
    .max(1024)
    .describe('What was measured, e.g. "drifted 1/6 features: amount (wasserstein 0.81)".'),
});
export type DrillCheckResult = z.infer<typeof drillCheckResultSchema>;
