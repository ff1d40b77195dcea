import { Counter, collectDefaultMetrics, exponentialBuckets, Gauge, Histogram, Registry } from 'prom-client';
import type { FailureKind } from '../controller/failures.ts';
import type { UnfinishedWork, WorkQueueMetrics } from '../workqueue/queue.ts';

export type ReconcileResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

/** What a controller reports about its reconciles. */
export interface ControllerMetrics {
  readonly queue: WorkQueueMetrics;
  reconciled(result: ReconcileResultLabel, seconds: number): void;
  failed(kind: FailureKind | 'terminal'): void;
  workers(active: number, max: number): void;
  /** Read at every scrape, so a hung reconcile shows even though it never reports anything. */
  observeUnfinishedWork(probe: () => UnfinishedWork): void;
}

// controller-runtime's buckets, so its Grafana dashboards render Steward's histograms unchanged.
const RECONCILE_TIME_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25,
  1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
// client-go's workqueue buckets: 10 ns to 1000 s in decades.
const QUEUE_DURATION_BUCKETS = exponentialBuckets(10e-9, 10, 12);

/**
 * The runtime's Prometheus metrics, under controller-runtime's names and labels (see docs/runtime.md).
 * One registry per manager, so tests and several managers in one process never collide.
 */
export class RuntimeMetrics {
  readonly registry = new Registry();
  readonly #reconcileTotal = this.#counter(
    'controller_runtime_reconcile_total',
    'Total reconciliations per controller',
    ['controller', 'result'],
  );
  readonly #reconcileErrors = this.#counter(
    'controller_runtime_reconcile_errors_total',
    'Total reconciliation errors per controller',
    ['controller'],
  );
  readonly #terminalErrors = this.#counter(
    'controller_runtime_terminal_reconcile_errors_total',
    'Total terminal reconciliation errors per controller',
    ['controller'],
  );
  readonly #panics = this.#counter(
    'controller_runtime_reconcile_panics_total',
    'Total number of reconciliation panics per controller',
    ['controller'],
  );
  readonly #timeouts = this.#counter(
    'controller_runtime_reconcile_timeouts_total',
    'Total number of reconciliation timeouts per controller',
    ['controller'],
  );
  readonly #reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'],
    buckets: RECONCILE_TIME_BUCKETS,
    registers: [this.registry],
  });
  readonly #activeWorkers = this.#gauge(
    'controller_runtime_active_workers',
    'Number of currently used workers per controller',
    ['controller'],
  );
  readonly #maxWorkers = this.#gauge(
    'controller_runtime_max_concurrent_reconciles',
    'Maximum number of concurrent reconciles per controller',
    ['controller'],
  );
  readonly #depth = this.#gauge('workqueue_depth', 'Current depth of workqueue', ['name', 'controller']);
  readonly #adds = this.#counter('workqueue_adds_total', 'Total number of adds handled by workqueue', [
    'name',
    'controller',
  ]);
  readonly #retries = this.#counter(
    'workqueue_retries_total',
    'Total number of retries handled by workqueue',
    ['name', 'controller'],
  );
  readonly #queueDuration = this.#histogram(
    'workqueue_queue_duration_seconds',
    'How long in seconds an item stays in workqueue before being requested',
  );
  readonly #workDuration = this.#histogram(
    'workqueue_work_duration_seconds',
    'How long in seconds processing an item from workqueue takes',
  );
  readonly #unfinishedProbes = new Map<string, () => UnfinishedWork>();
  readonly #leader = this.#gauge(
    'leader_election_master_status',
    'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. name is the string used to identify the lease.',
    ['name'],
  );

  constructor(options: { processMetrics?: boolean } = {}) {
    // Process metrics (RSS, CPU, event-loop lag) are what an SRE checks first when an operator is slow.
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    // Computed at scrape time from the queues: a hung reconcile reports nothing by itself.
    this.#probedGauge(
      'workqueue_unfinished_work_seconds',
      "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads.",
      (work) => work.totalSeconds,
    );
    this.#probedGauge(
      'workqueue_longest_running_processor_seconds',
      'How many seconds has the longest running processor for workqueue been running.',
      (work) => work.longestSeconds,
    );
  }

  forController(controller: string): ControllerMetrics {
    const labels = { name: controller, controller };
    for (const counter of [this.#reconcileErrors, this.#terminalErrors, this.#panics, this.#timeouts]) {
      counter.inc({ controller }, 0);
    }
    for (const result of ['success', 'error', 'requeue', 'requeue_after'] as const) {
      this.#reconcileTotal.inc({ controller, result }, 0);
    }
    this.#adds.inc(labels, 0);
    this.#retries.inc(labels, 0);
    this.#depth.set(labels, 0);
    return {
      queue: {
        added: () => this.#adds.inc(labels),
        depth: (length) => this.#depth.set(labels, length),
        retried: () => this.#retries.inc(labels),
        queued: (seconds) => this.#queueDuration.observe(labels, seconds),
        worked: (seconds) => this.#workDuration.observe(labels, seconds),
      },
      reconciled: (result, seconds) => {
        this.#reconcileTotal.inc({ controller, result });
        this.#reconcileTime.observe({ controller }, seconds);
      },
      failed: (kind) => {
        this.#reconcileErrors.inc({ controller });
        if (kind === 'terminal') this.#terminalErrors.inc({ controller });
        if (kind === 'panic') this.#panics.inc({ controller });
        if (kind === 'timeout') this.#timeouts.inc({ controller });
      },
      observeUnfinishedWork: (probe) => {
        this.#unfinishedProbes.set(controller, probe);
      },
      workers: (active, max) => {
        this.#activeWorkers.set({ controller }, active);
        this.#maxWorkers.set({ controller }, max);
      },
    };
  }

  leaderStatus(lease: string, isLeader: boolean): void {
    this.#leader.set({ name: lease }, isLeader ? 1 : 0);
  }

  #counter(name: string, help: string, labelNames: string[]): Counter<string> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  #gauge(name: string, help: string, labelNames: string[]): Gauge<string> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** A per-controller gauge computed from the queues at scrape time. */
  #probedGauge(name: string, help: string, pick: (work: UnfinishedWork) => number): void {
    const probes = () => this.#unfinishedProbes;
    new Gauge({
      name,
      help,
      labelNames: ['name', 'controller'],
      registers: [this.registry],
      collect() {
        for (const [controller, probe] of probes()) this.set({ name: controller, controller }, pick(probe()));
      },
    });
  }

  #histogram(name: string, help: string): Histogram<string> {
    return new Histogram({
      name,
      help,
      labelNames: ['name', 'controller'],
      buckets: QUEUE_DURATION_BUCKETS,
      registers: [this.registry],
    });
  }
}
