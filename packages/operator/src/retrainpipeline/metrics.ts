import { Counter, Gauge, type Registry } from 'prom-client';
import type { RetrainMetricValues } from './decide.ts';
import { DrillResult, RunResult } from './reasons.ts';

const LABELS = ['namespace', 'pipeline'] as const;

/**
 * Runs and drills are counted as they end (a counter: `increase(...[7d])` answers "how many failed this week"); the
 * drill gauges are set from status on every reconcile, so a restarted operator reports them at once.
 */
export class RetrainPipelineMetrics {
  readonly #runs: Counter<'namespace' | 'pipeline' | 'result'>;
  readonly #drills: Counter<'namespace' | 'pipeline' | 'result'>;
  readonly #drillLastSuccess: Gauge<(typeof LABELS)[number]>;
  readonly #drillDuration: Gauge<(typeof LABELS)[number]>;

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
    const labels = { namespace, pipeline };
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
    for (const result of Object.values(RunResult)) this.#runs.remove({ namespace, pipeline, result });
    for (const result of Object.values(DrillResult)) this.#drills.remove({ namespace, pipeline, result });
    this.#drillLastSuccess.remove({ namespace, pipeline });
    this.#drillDuration.remove({ namespace, pipeline });
  }
}
