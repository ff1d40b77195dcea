import { Gauge, type Registry } from 'prom-client';
import type { ContractMetricValues } from './decide.ts';

const LABELS = ['namespace', 'name'] as const;

/**
 * Gauges rather than counters: each says what holds now, so an alert fires while the problem lasts and
 * resolves when the contract is fixed, and a restarted operator reports the same values.
 */
export class OutputContractMetrics {
  readonly #breaking: Gauge<(typeof LABELS)[number]>;
  readonly #outOfRange: Gauge<(typeof LABELS)[number]>;
  readonly #published: Gauge<(typeof LABELS)[number]>;

  constructor(registry: Registry) {
    const gauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: LABELS, registers: [registry] });
    this.#breaking = gauge(
      'steward_output_contract_breaking_changes',
      'Breaking changes in the current OutputContract version that its version bump does not announce',
    );
    this.#outOfRange = gauge(
      'steward_output_contract_consumers_out_of_range',
      'Consumers of an OutputContract whose accepted range excludes its current version',
    );
    this.#published = gauge(
      'steward_output_contract_published_versions',
      'Versions of an OutputContract kept in its history',
    );
  }

  set(namespace: string, name: string, values: ContractMetricValues): void {
    const labels = { namespace, name };
    this.#breaking.set(labels, values.unannouncedBreakingChanges);
    this.#outOfRange.set(labels, values.consumersOutOfRange);
    this.#published.set(labels, values.publishedVersions);
  }

  /** A deleted contract must not keep firing alerts. */
  forget(namespace: string, name: string): void {
    for (const gauge of [this.#breaking, this.#outOfRange, this.#published])
      gauge.remove({ namespace, name });
  }
}
