import type { Clock } from '@steward/runtime';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DriftMetricValues } from './decide.ts';

type Labels = Record<string, string>;

/** The dimensions of steward_drift_detected: one per part of a check, schema drift on its own. */
export const Dimension = {
  Data: 'data',
  Schema: 'schema',
  Concept: 'concept',
  Kpi: 'kpi',
  OutputQuality: 'output_quality',
} as const;

/**
 * The DriftMonitor's metrics, labelled with the model and its owner's e-mail so an alert reaches a
 * person. Gauges say what the last check measured; the failure counter counts each failed check Job
 * once; the age gauge is computed when scraped, from the injected clock.
 */
export class DriftMonitorMetrics {
  readonly #score: Gauge;
  readonly #detected: Gauge;
  readonly #lastSuccess: Gauge;
  readonly #failures: Counter;
  readonly #kpi: Gauge;
  readonly #quality: Gauge;
  readonly #concept: Gauge;
  readonly #matchRate: Gauge;
  /** The series each monitor wrote last time, so a vanished feature or a new owner leaves no stale series. */
  readonly #series = new Map<string, { gauge: Gauge; labels: Labels }[]>();
  readonly #counted = new Map<string, string>();
  readonly #lastSuccessAt = new Map<string, { labels: Labels; seconds: number }>();

  constructor(registry: Registry, clock: Clock) {
    const gauge = (name: string, help: string, extra: string[] = []) =>
      new Gauge({
        name,
        help,
        labelNames: ['namespace', 'monitor', 'model', 'owner', ...extra],
        registers: [registry],
      });
    this.#score = gauge(
      'steward_drift_score',
      'Drift score (statistic or distance) of a feature in the last check',
      ['feature', 'method'],
    );
    this.#detected = gauge(
      'steward_drift_detected',
      '1 when the last check breached a bound of this dimension, else 0',
      ['dimension'],
    );
    this.#lastSuccess = gauge(
      'steward_drift_check_last_success_timestamp_seconds',
      'When the last check that ran every part completed',
    );
    this.#kpi = gauge('steward_drift_kpi_value', 'Value of a business KPI query in the last check', [
      'check',
    ]);
    this.#quality = gauge('steward_drift_output_quality_value', 'Output-quality rate in the last check', [
      'check',
    ]);
    this.#concept = gauge(
      'steward_drift_concept_metric_value',
      'Model quality on delayed labels in the last check',
      ['metric'],
    );
    this.#matchRate = gauge(
      'steward_drift_concept_match_rate',
      'Share of the delayed labels that found their prediction by key in the last check',
    );
    this.#failures = new Counter({
      name: 'steward_drift_check_failures_total',
      help: 'Check Jobs that failed, or had a part that could not run',
      labelNames: ['namespace', 'monitor', 'model', 'owner'],
      registers: [registry],
    });
    const ages = this.#lastSuccessAt;
    new Gauge({
      name: 'steward_drift_check_last_success_age_seconds',
      help: 'Seconds since the last check that ran every part completed',
      labelNames: ['namespace', 'monitor', 'model', 'owner'],
      registers: [registry],
      collect() {
        this.reset();
        const now = clock.now() / 1000;
        for (const { labels, seconds } of ages.values()) this.set(labels, Math.max(0, now - seconds));
      },
    });
  }

  set(namespace: string, monitor: string, values: DriftMetricValues): void {
    const key = `${namespace}/${monitor}`;
    this.#removeSeries(key);
    const base = { namespace, monitor, model: values.model, owner: values.owner };
    const written: { gauge: Gauge; labels: Labels }[] = [];
    const put = (gauge: Gauge, labels: Labels, value: number) => {
      gauge.set(labels, value);
      written.push({ gauge, labels });
    };
    const result = values.result;
    if (result !== undefined) {
      for (const f of result.features ?? []) {
        if (f.score !== undefined && f.method !== undefined)
          put(this.#score, { ...base, feature: f.name, method: f.method }, f.score);
      }
      const breach = (outcome: string | undefined) => (outcome === 'Drift' ? 1 : 0);
      if (result.dataDrift) {
        put(this.#detected, { ...base, dimension: Dimension.Data }, breach(result.dataDrift.outcome));
        put(
          this.#detected,
          { ...base, dimension: Dimension.Schema },
          result.dataDrift.outcome === 'SchemaDrift' ? 1 : 0,
        );
      }
      if (result.conceptDrift) {
        put(this.#detected, { ...base, dimension: Dimension.Concept }, breach(result.conceptDrift.outcome));
        if (result.conceptDrift.value !== undefined)
          put(this.#concept, { ...base, metric: result.conceptDrift.metric }, result.conceptDrift.value);
        // A falling match rate is a broken join (a key or window gone wrong) before it is a quality problem.
        if (result.conceptDrift.join !== undefined)
          put(this.#matchRate, base, result.conceptDrift.join.matchRate);
      }
      for (const [dimension, gauge, list] of [
        [Dimension.Kpi, this.#kpi, result.businessKpis],
        [Dimension.OutputQuality, this.#quality, result.outputQuality],
      ] as const) {
        if (list === undefined) continue;
        put(this.#detected, { ...base, dimension }, list.some((b) => b.outcome === 'Drift') ? 1 : 0);
        for (const b of list) if (b.value !== undefined) put(gauge, { ...base, check: b.name }, b.value);
      }
    }
    if (values.lastSuccessTime !== undefined) {
      const seconds = Date.parse(values.lastSuccessTime) / 1000;
      put(this.#lastSuccess, base, seconds);
      this.#lastSuccessAt.set(key, { labels: base, seconds });
    } else {
      this.#lastSuccessAt.delete(key);
    }
    this.#series.set(key, written);
    if (values.failedJob !== undefined && this.#counted.get(key) !== values.failedJob) {
      this.#failures.inc(base);
      this.#counted.set(key, values.failedJob);
    }
  }

  /** A deleted monitor must not keep firing alerts. */
  forget(namespace: string, monitor: string): void {
    const key = `${namespace}/${monitor}`;
    this.#removeSeries(key);
    this.#series.delete(key);
    this.#lastSuccessAt.delete(key);
  }

  #removeSeries(key: string): void {
    for (const { gauge, labels } of this.#series.get(key) ?? []) gauge.remove(labels);
  }
}
