import type { KubernetesObject } from '@kubernetes/client-node';
import { isConflict, TerminalError } from '../client/errors.ts';
import { type Clock, systemClock } from '../clock.ts';
import { keyOf, splitKey } from '../informer/keys.ts';
import { defaultLogger, type Logger } from '../observability/logger.ts';
import type { ControllerMetrics, ReconcileResultLabel } from '../observability/metrics.ts';
import { WorkQueue } from '../workqueue/queue.ts';
import type { RateLimiter } from '../workqueue/rate-limiter.ts';
import type { MapFunction, ReconcileResult, Reconciler, Source } from './types.ts';

export interface ControllerOptions {
  name: string;
  reconcile: Reconciler;
  primary: Source;
  owned: readonly Source[];
  related: ReadonlyArray<{ source: Source; map: MapFunction }>;
  concurrency: number;
  clock?: Clock;
  rateLimiter?: RateLimiter;
  logger?: Logger;
  metrics?: ControllerMetrics;
}

/**
 * Runs a reconciler over a workqueue fed by its sources, `concurrency` keys at a time. Built with
 * `controllerBuilder`; started by the manager once caches are synced and leadership is held.
 */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly #options: ControllerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  #workers: Promise<void>[] = [];
  #active = 0;
  #subscribed = false;

  constructor(options: ControllerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(
        `controller ${options.name}: concurrency must be a positive integer, got ${options.concurrency}`,
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

  #subscribe(): void {
    const { primary, owned, related } = this.#options;
    primary.subscribe((_event, object) =>
      this.queue.add(keyOf(object.metadata?.namespace, object.metadata?.name ?? '')),
    );
    for (const source of owned) {
      // A change to something we own may undo what the owner's reconcile wrote: re-check the owner.
      source.subscribe((_event, object) => this.#enqueueControllerOwner(object));
    }
    for (const { source, map } of related) {
      source.subscribe((_event, object) => {
        for (const target of map(object)) this.queue.add(keyOf(target.namespace, target.name));
      });
    }
  }

  #enqueueControllerOwner(object: KubernetesObject): void {
    const { kind, apiVersion } = this.#options.primary.type;
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
    const log = this.#log.child({ namespace, name });
    const startedAt = this.#clock.now();
    let result: ReconcileResult | undefined;
    let label: ReconcileResultLabel;
    try {
      result = await this.#options.reconcile({ namespace, name, key }, { log });
      const requeueAfterMs = result?.requeueAfterMs;
      this.queue.forget(key);
      if (requeueAfterMs !== undefined && requeueAfterMs > 0) {
        this.queue.addAfter(key, requeueAfterMs);
        label = 'requeue_after';
      } else {
        label = 'success';
      }
    } catch (error) {
      label = 'error';
      this.#handleError(key, error, log);
    }
    this.#options.metrics?.reconciled(label, (this.#clock.now() - startedAt) / 1000);
  }

  #handleError(key: string, error: unknown, log: Logger): void {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof TerminalError) {
      this.#options.metrics?.failed(true);
      // Retrying cannot help; the next change to the object (or a resync) brings it back.
      this.queue.forget(key);
      log.error({ err: message }, 'reconcile failed terminally; not retrying');
      return;
    }
    this.#options.metrics?.failed(false);
    const retries = this.queue.numRequeues(key);
    this.queue.addRateLimited(key);
    if (isConflict(error)) {
      // Routine under concurrent writers: the retry reads the newer object.
      log.info({ err: message, retries }, 'conflict; retrying');
    } else {
      log.error({ err: message, retries }, 'reconcile failed; retrying with backoff');
    }
  }
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
