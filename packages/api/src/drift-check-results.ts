/**
 * What the DriftMonitor's check Job reports, through two least-privilege channels the operator reads:
 * a compact JSON termination message (the Pod status keeps it; the Job needs no API access for it) and
 * the full result in the monitor's report ConfigMap (the Job's ServiceAccount may patch that one map
 * by name, nothing else). Both survive an operator that is down while the Job finishes.
 */
import { z } from 'zod';
import { objectName } from './common.ts';
import { checkResultSchema } from './kinds/drift-monitor.ts';

/**
 * Why a part of a check could not run (its `reason` in status.lastResult when the outcome is Failed);
 * the DriftMonitor's conditions then say Failed and name the part and this cause in the message.
 */
export const FailureCause = {
  /** No such file, object or bucket; a network or HTTP error. */
  SourceUnreachable: 'SourceUnreachable',
  /** Read, but malformed: empty, truncated, not CSV/JSONL/Parquet, a bad timestamp, labels that do not fit. */
  InvalidData: 'InvalidData',
  /** Prometheus did not answer, answered with an error, or the query is not one series. */
  PrometheusUnavailable: 'PrometheusUnavailable',
  /** Anything else: the message says what. */
  CheckFailed: 'CheckFailed',
} as const;
export type FailureCause = (typeof FailureCause)[keyof typeof FailureCause];

/**
 * The environment variables the check CronJob's Pod template sets and `steward job drift-check` reads
 * (a flag of the same meaning wins over its variable).
 */
export const DriftCheckEnv = {
  /** The DriftMonitor (name, namespace, spec with defaults) as JSON. */
  monitor: 'STEWARD_DRIFT_MONITOR',
  /** The mounted baseline profile, when spec.baseline.profile is set. */
  baselineProfile: 'STEWARD_BASELINE_PROFILE',
  reportConfigMap: 'STEWARD_REPORT_CONFIGMAP',
  namespace: 'STEWARD_NAMESPACE',
  job: 'STEWARD_JOB_NAME',
  /** From the Secret spec.prometheus.bearerTokenSecretRef names. */
  prometheusToken: 'STEWARD_PROMETHEUS_TOKEN',
} as const;

/** The key of the report ConfigMap holding the full result (JSON). */
export const REPORT_KEY = 'report.json';

/**
 * The termination message: `detected` and `summary` (so a fire drill reads it like any check), and the
 * result with as many features as fit the kubelet's 4096 bytes, breaches first.
 */
export const driftCheckJobResultSchema = z.object({
  detected: z.boolean().describe('True when the check breached a bound (outcome Drift or SchemaDrift).'),
  summary: z.string().max(1024).describe('What was measured, e.g. "Drift: data drift 2/6 features ...".'),
  result: checkResultSchema,
});
export type DriftCheckJobResult = z.infer<typeof driftCheckJobResultSchema>;

/** The report ConfigMap's REPORT_KEY: the full result and the Job that measured it. */
export const driftCheckReportSchema = z.object({
  job: objectName().describe('The Job that wrote this report.'),
  result: checkResultSchema,
});
export type DriftCheckReport = z.infer<typeof driftCheckReportSchema>;
