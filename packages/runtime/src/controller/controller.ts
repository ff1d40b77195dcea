import { randomUUID } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { isConflict, TerminalError } from '../client/errors.ts';
import { withRequestSignal } from '../client/request-scope.ts';
import { type Clock, systemClock } from '../clock.ts';
import { keyOf, splitKey } from '../informer/keys.ts';
import { defaultLogger, type Logger } from '../observability/logger.ts';
import type { ControllerMetrics, ReconcileResultLabel } from '../observability/metrics.ts';
import { WorkQueue } from '../workqueue/queue.ts';
import type { RateLimiter } from '../workqueue/rate-limiter.ts';
import { ReconcileTimeoutError, recoveredFailure } from './failures.ts';
import type { EventFilter, MapFunction, ReconcileResult, Reconciler, Source, WatchEvent } from './types.ts';

// Longer than any healthy reconcile: a handful of requests, each failing by itself after 60 s
// (REQUEST_TIMEOUT_MS) if the API server hangs. What outlives this is stuck on something else
// (an await that never settles), and must give its worker back.
export const DEFAULT_RECONCILE_TIMEOUT_MS = 120_000;

export interface WatchedSource {
  source: Source;
  filter?: EventFilter | undefined;
}

export interface ControllerOptions {
  name: string;
  reconcile: Reconciler;
  primary: WatchedSource;
  owned: readonly WatchedSource[];
  related: ReadonlyArray<WatchedSource & { map: MapFunction }>;
  concurrency: number;
  reconcileTimeoutMs?: number;
  clock?: Clock;
  rateLimiter?: RateLimiter;
  logger?: Logger;
  metrics?: ControllerMetrics;
}

/**
 * Runs a reconciler over a workqueue fed by its sources, `concurrency` keys at a time. Built with
 * `controllerBuilder`; started by the manager once caches are synced and leadership is held.
 * Each run gets an ID on its log lines and an AbortSignal; a run that throws, or outlives its
 * timeout, is logged, counted and retried with backoff, so a reconciler needs no try/catch of its own.
 */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly #options: ControllerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #running = new Set<AbortController>();
  #workers: Promise<void>[] = [];
  #active = 0;
  #subscribed = false;

  constructor(options: ControllerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(
        `controller ${options.name}: concurrency must be a positive integer, got ${options.concurrency}`,
      );
    }
    this.#timeoutMs = options.reconcileTimeoutMs ?? DEFAULT_RECONCILE_TIMEOUT_MS;
    if (!(this.#timeoutMs > 0)) {
      throw new RangeError(
        `controller ${options.name}: reconcile timeout must be > 0 ms, got ${this.#timeoutMs}`,
      );
    }
    this.name = options.name;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? defaultLogger()).child({ controller: options.name });
    this.queue = new WorkQueue({
      clock: this.#clock,
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
      ...(options.metrics ? { metrics: options.metrics.queue } : {}),
    });
    options.metrics?.observeUnfinishedWork(() => this.queue.unfinishedWork());
  }

  /** Subscribes to the sources (which replay what they hold) and starts the workers. */
  start(): void {
    if (!this.#subscribed) {
      this.#subscribe();
      this.#subscribed = true;
    }
    this.#options.metrics?.workers(0, this.#options.concurrency);
    for (let i = this.#workers.length; i < this.#options.concurrency; i++) this.#workers.push(this.#work());
  }

  /** Stops taking new keys; resolves when the reconciles in flight have finished. */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.#workers);
    this.#workers = [];
  }

  /** Aborts the signals of the reconciles in flight (the manager's shutdown deadline). */
  abortInFlight(reason: string): void {
    for (const run of this.#running) run.abort(new Error(reason));
  }

  #subscribe(): void {
    const { primary, owned, related } = this.#options;
    listen(primary, (object) =>
      this.queue.add(keyOf(object.metadata?.namespace, object.metadata?.name ?? '')),
    );
    for (const watched of owned) {
      // A change to something we own may undo what the owner's reconcile wrote: re-check the owner.
      listen(watched, (object) => this.#enqueueControllerOwner(object));
    }
    for (const watched of related) {
      listen(watched, (object) => {
        for (const target of watched.map(object)) this.queue.add(keyOf(target.namespace, target.name));
      });
    }
  }

  #enqueueControllerOwner(object: KubernetesObject): void {
    const { kind, apiVersion } = this.#options.primary.source.type;
    const group = groupOf(apiVersion);
    for (const ref of object.metadata?.ownerReferences ?? []) {
      if (ref.controller && ref.kind === kind && groupOf(ref.apiVersion) === group) {
        this.queue.add(keyOf(object.metadata?.namespace, ref.name));
      }
    }
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      this.#active++;
      this.#options.metrics?.workers(this.#active, this.#options.concurrency);
      try {
        await this.#reconcileKey(key);
      } finally {
        this.#active--;
        this.#options.metrics?.workers(this.#active, this.#options.concurrency);
        this.queue.done(key);
      }
    }
  }

  async #reconcileKey(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const reconcileID = randomUUID();
    const log = this.#log.child({ namespace, name, reconcileID });
    const startedAt = this.#clock.now();
    const run = new AbortController();
    this.#running.add(run);
    let cancelTimeout = () => {};
    const timedOut = new Promise<'timed-out'>((resolve) => {
      cancelTimeout = this.#clock.schedule(() => resolve('timed-out'), this.#timeoutMs);
    });
    let label: ReconcileResultLabel;
    try {
      const reconciled = withRequestSignal(run.signal, () =>
        // Inside a promise chain, so a reconciler that throws synchronously is handled like one that rejects.
        Promise.resolve().then(() =>
          this.#options.reconcile({ namespace, name, key }, { log, reconcileID, signal: run.signal }),
        ),
      );
      const outcome = await Promise.race([reconciled, timedOut]);
      if (outcome === 'timed-out') {
        const error = new ReconcileTimeoutError(this.#timeoutMs);
        // Every request the run still makes now fails, so it cannot write after a retry has started;
        // its own eventual rejection has nobody left to tell.
        run.abort(error);
        reconciled.catch(() => {});
        throw error;
      }
      label = this.#succeeded(key, outcome ?? undefined);
    } catch (error) {
      label = 'error';
      this.#failed(key, error, log);
    } finally {
      cancelTimeout();
      this.#running.delete(run);
    }
    this.#options.metrics?.reconciled(label, (this.#clock.now() - startedAt) / 1000);
  }

  #succeeded(key: string, result: ReconcileResult | undefined): ReconcileResultLabel {
    // Success ends the backoff history, whatever comes next.
    this.queue.forget(key);
    const requeueAfterMs = result?.requeueAfterMs;
    if (requeueAfterMs !== undefined && requeueAfterMs > 0) {
      // A schedule, not a retry: exactly this delay, not throttled by the rate limiter.
      this.queue.addAfter(key, requeueAfterMs);
      return 'requeue_after';
    }
    if (result?.requeue) {
      // "Not done yet" (e.g. a child is still starting): come back with the rate limiter's pacing.
      this.queue.addRateLimited(key);
      return 'requeue';
    }
    return 'success';
  }

  #failed(key: string, error: unknown, log: Logger): void {
    const failure = recoveredFailure(error);
    if (error instanceof TerminalError) {
      this.#options.metrics?.failed('terminal');
      // Retrying cannot help; the next change to the object (or a resync) brings it back.
      this.queue.forget(key);
      log.error({ err: failure.message }, 'reconcile failed terminally; not retrying');
      return;
    }
    this.#options.metrics?.failed(failure.kind);
    const retries = this.queue.numRequeues(key);
    this.queue.addRateLimited(key);
    if (isConflict(error)) {
      // Routine under concurrent writers: the retry reads the newer object.
      log.info({ err: failure.message, retries }, 'conflict; retrying');
    } else if (failure.kind === 'error') {
      log.error({ err: failure.message, retries }, 'reconcile failed; retrying with backoff');
    } else {
      log.error(
        { err: failure.message, stack: failure.stack, retries },
        `reconcile ${failure.kind}; recovered, retrying with backoff`,
      );
    }
  }
}

function listen(watched: WatchedSource, enqueue: (object: KubernetesObject) => void): void {
  const { source, filter } = watched;
  source.subscribe((type, object, old) => {
    const event: WatchEvent = { type, object, old };
    if (filter === undefined || filter(event)) enqueue(object);
  });
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
