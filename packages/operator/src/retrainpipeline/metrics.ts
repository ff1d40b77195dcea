import { Counter, Gauge, type Registry } from 'prom-client';
import type { RetrainMetricValues } from './decide.ts';
import { DrillResult, RunResult } from './reasons.ts';

// `model` and `owner` come from the ModelDeployment the pipeline retrains (as on the drift metrics), so a
// retrain or drill alert is routed to the model's owner.
const LABELS = ['namespace', 'pipeline', 'model', 'owner'] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/**
 * Runs and drills are counted as they end (a counter: `increase(...[7d])` answers "how many failed this week"); the
 * drill gauges are set from status on every reconcile, so a restarted operator reports them at once.
 */
export class RetrainPipelineMetrics {
  readonly #runs: Counter<(typeof LABELS)[number] | 'result'>;
  readonly #drills: Counter<(typeof LABELS)[number] | 'result'>;
  readonly #drillLastSuccess: Gauge<(typeof LABELS)[number]>;
  readonly #drillDuration: Gauge<(typeof LABELS)[number]>;
  /** Each pipeline's labels last written, so a new model or owner leaves no series behind under the old one. */
  readonly #labels = new Map<string, Labels>();

  constructor(registry: Registry) {
    this.#runs = new Counter({
      name: 'steward_retrain_runs_total',
      help: 'RetrainPipeline runs that ended, by result',
      labelNames: [...LABELS, 'result'],
      registers: [registry],
    });
    this.#drills = new Counter({
      name: 'steward_retrain_drills_total',
      help: 'Fire drills of the RetrainPipeline that finished, by result (passed or failed)',
      labelNames: [...LABELS, 'result'],
      registers: [registry],
    });
    this.#drillLastSuccess = new Gauge({
      name: 'steward_retrain_drill_last_success_timestamp_seconds',
      help: 'Unix time a fire drill of the RetrainPipeline last passed',
      labelNames: LABELS,
      registers: [registry],
    });
    this.#drillDuration = new Gauge({
      name: 'steward_retrain_drill_duration_seconds',
      help: 'Seconds from drift injection to the end of the last finished fire drill',
      labelNames: LABELS,
      registers: [registry],
    });
  }

  set(namespace: string, pipeline: string, values: RetrainMetricValues): void {
    const labels: Labels = { namespace, pipeline, model: values.model, owner: values.owner };
    const previous = this.#labels.get(`${namespace}/${pipeline}`);
    if (previous !== undefined && (previous.model !== labels.model || previous.owner !== labels.owner))
      this.#remove(previous);
    this.#labels.set(`${namespace}/${pipeline}`, labels);
    // Every result series exists from the start, so a rate over it is defined before the first failure.
    for (const result of Object.values(RunResult)) this.#runs.inc({ ...labels, result }, 0);
    for (const result of values.finishedRuns) this.#runs.inc({ ...labels, result });
    for (const result of Object.values(DrillResult)) this.#drills.inc({ ...labels, result }, 0);
    if (values.finishedDrill !== undefined) this.#drills.inc({ ...labels, result: values.finishedDrill });
    if (values.drillLastSuccessSeconds !== undefined)
      this.#drillLastSuccess.set(labels, values.drillLastSuccessSeconds);
    if (values.drillDurationSeconds !== undefined)
      this.#drillDuration.set(labels, values.drillDurationSeconds);
  }

  /** A deleted pipeline must not keep firing alerts. */
  forget(namespace: string, pipeline: string): void {
    const labels = this.#labels.get(`${namespace}/${pipeline}`);
    if (labels !== undefined) this.#remove(labels);
    this.#labels.delete(`${namespace}/${pipeline}`);
  }

  #remove(labels: Labels): void {
    for (const result of Object.values(RunResult)) this.#runs.remove({ ...labels, result });
    for (const result of Object.values(DrillResult)) this.#drills.remove({ ...labels, result });
    this.#drillLastSuccess.remove(labels);
    this.#drillDuration.remove(labels);
  }
}
