import type { KubernetesObject } from '@kubernetes/client-node';
import type { Clock } from '../clock.ts';
import type { Logger } from '../observability/logger.ts';
import type { ControllerMetrics } from '../observability/metrics.ts';
import type { RateLimiter } from '../workqueue/rate-limiter.ts';
import { Controller } from './controller.ts';
import type { MapFunction, Reconciler, Source } from './types.ts';

// One worker per core is plenty for I/O-bound reconciles on small operators; raise it per controller.
const DEFAULT_CONCURRENCY = 1;

/**
 * Declares what a controller reconciles and what makes it reconcile:
 *
 *   controllerBuilder('model-deployment')
 *     .for(modelDeployments)
 *     .owns(deployments)                       // a child changed: re-check its controller owner
 *     .watches(contracts, contractToModels)    // a contract changed: re-check models that use it
 *     .complete(reconcile)
 */
export class ControllerBuilder {
  readonly #name: string;
  #primary: Source | undefined;
  readonly #owned: Source[] = [];
  readonly #related: Array<{ source: Source; map: MapFunction }> = [];
  #concurrency = DEFAULT_CONCURRENCY;
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

  for<T extends KubernetesObject>(primary: Source<T>): this {
    this.#primary = primary as unknown as Source;
    return this;
  }

  owns<T extends KubernetesObject>(owned: Source<T>): this {
    this.#owned.push(owned as unknown as Source);
    return this;
  }

  watches<T extends KubernetesObject>(source: Source<T>, map: MapFunction<T>): this {
    this.#related.push({ source: source as unknown as Source, map: map as MapFunction });
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
      ...(this.#clock ? { clock: this.#clock } : {}),
      ...(this.#rateLimiter ? { rateLimiter: this.#rateLimiter } : {}),
      ...(this.#logger ? { logger: this.#logger } : {}),
      ...(this.#metrics ? { metrics: this.#metrics } : {}),
    });
    this.#onComplete?.(controller);
    return controller;
  }
}

export function controllerBuilder(name: string): ControllerBuilder {
  return new ControllerBuilder(name);
}
