import type { KubernetesObject } from '@kubernetes/client-node';
import type { Clock } from '../clock.ts';
import type { Logger } from '../observability/logger.ts';
import type { ControllerMetrics } from '../observability/metrics.ts';
import type { RateLimiter } from '../workqueue/rate-limiter.ts';
import { Controller, type WatchedSource } from './controller.ts';
import type { EventFilter, MapFunction, Reconciler, Source, WatchOptions } from './types.ts';

// One worker per core is plenty for I/O-bound reconciles on small operators; raise it per controller.
const DEFAULT_CONCURRENCY = 1;

/**
 * Declares what a controller reconciles and what makes it reconcile:
 *
 *   controllerBuilder('model-deployment')
 *     .for(modelDeployments, { filter: generationChanged() })      // spec edits, not our status writes
 *     .owns(deployments)                       // a child changed: re-check its controller owner
 *     .watches(contracts, referrers(modelDeployments, BY_CONTRACT)) // a contract changed: re-check its users
 *     .complete(reconcile)
 *
 * Each step takes an optional event filter: only events it passes enqueue (see ./filters.ts).
 */
export class ControllerBuilder {
  readonly #name: string;
  #primary: WatchedSource | undefined;
  readonly #owned: WatchedSource[] = [];
  readonly #related: Array<WatchedSource & { map: MapFunction }> = [];
  #concurrency = DEFAULT_CONCURRENCY;
  #reconcileTimeoutMs: number | undefined;
  #clock: Clock | undefined;
  #rateLimiter: RateLimiter | undefined;
  #logger: Logger | undefined;
  #metrics: ControllerMetrics | undefined;

  readonly #onComplete: ((controller: Controller) => void) | undefined;

  /** `onComplete` lets a manager register what this builder builds. */
  constructor(name: string, onComplete?: (controller: Controller) => void) {
    this.#onComplete = onComplete;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new Error(
        `controller name "${name}" must be lower-case letters, digits and dashes (it is a metric label)`,
      );
    }
    this.#name = name;
  }

  /** The kind this controller reconciles: each of its events enqueues the object itself. */
  for<T extends KubernetesObject>(primary: Source<T>, options: WatchOptions<T> = {}): this {
    this.#primary = watched(primary, options);
    return this;
  }

  /** A kind this controller creates: an event enqueues the object's controller owner of the primary kind. */
  owns<T extends KubernetesObject>(owned: Source<T>, options: WatchOptions<T> = {}): this {
    this.#owned.push(watched(owned, options));
    return this;
  }

  /** A kind the primary refers to: an event enqueues what `map` returns (use `referrers` for an index lookup). */
  watches<T extends KubernetesObject>(
    source: Source<T>,
    map: MapFunction<T>,
    options: WatchOptions<T> = {},
  ): this {
    this.#related.push({ ...watched(source, options), map: map as MapFunction });
    return this;
  }

  /** Aborts and retries a reconcile running longer than this (default DEFAULT_RECONCILE_TIMEOUT_MS). */
  withReconcileTimeout(ms: number): this {
    this.#reconcileTimeoutMs = ms;
    return this;
  }

  withConcurrency(workers: number): this {
    this.#concurrency = workers;
    return this;
  }

  withClock(clock: Clock): this {
    this.#clock = clock;
    return this;
  }

  withRateLimiter(rateLimiter: RateLimiter): this {
    this.#rateLimiter = rateLimiter;
    return this;
  }

  withLogger(logger: Logger): this {
    this.#logger = logger;
    return this;
  }

  withMetrics(metrics: ControllerMetrics): this {
    this.#metrics = metrics;
    return this;
  }

  complete(reconcile: Reconciler): Controller {
    if (this.#primary === undefined)
      throw new Error(`controller ${this.#name}: call .for(<primary kind>) before .complete()`);
    const controller = new Controller({
      name: this.#name,
      reconcile,
      primary: this.#primary,
      owned: this.#owned,
      related: this.#related,
      concurrency: this.#concurrency,
      ...(this.#reconcileTimeoutMs === undefined ? {} : { reconcileTimeoutMs: this.#reconcileTimeoutMs }),
      ...(this.#clock ? { clock: this.#clock } : {}),
      ...(this.#rateLimiter ? { rateLimiter: this.#rateLimiter } : {}),
      ...(this.#logger ? { logger: this.#logger } : {}),
      ...(this.#metrics ? { metrics: this.#metrics } : {}),
    });
    this.#onComplete?.(controller);
    return controller;
  }
}

// A source and filter of one kind T, stored with the kit's kind-agnostic types: the filter only ever
// sees events of the source it was given with.
function watched<T extends KubernetesObject>(source: Source<T>, options: WatchOptions<T>): WatchedSource {
  return {
    source: source as unknown as Source,
    ...(options.filter ? { filter: options.filter as unknown as EventFilter } : {}),
  };
}

export function controllerBuilder(name: string): ControllerBuilder {
  return new ControllerBuilder(name);
}
