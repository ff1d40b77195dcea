import { type Clock, systemClock } from '../clock.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

/** What the queue reports; the Prometheus implementation lives in observability/metrics.ts. */
export interface WorkQueueMetrics {
  added(): void;
  depth(length: number): void;
  retried(): void;
  /** Seconds a key waited in the queue before a worker took it. */
  queued(seconds: number): void;
  /** Seconds a worker held a key, from `get` to `done`. */
  worked(seconds: number): void;
}

/** The keys workers hold right now, as client-go's stuck-worker gauges report them. */
export interface UnfinishedWork {
  /** Sum over held keys of the seconds each has been held. */
  totalSeconds: number;
  /** Seconds the longest-held key has been held. */
  longestSeconds: number;
}

const noMetrics: WorkQueueMetrics = {
  added() {},
  depth() {},
  retried() {},
  queued() {},
  worked() {},
};

export interface WorkQueueOptions {
  clock?: Clock;
  rateLimiter?: RateLimiter;
  metrics?: WorkQueueMetrics;
}

interface Delayed {
  readonly readyAt: number;
  readonly cancel: () => void;
}

/**
 * A queue of keys with client-go's semantics:
 * - a key is queued at most once however often it is added (dedup);
 * - a key held by a worker is never handed to a second one; adds meanwhile mark it dirty and it is
 *   queued again, once, when the worker calls `done`;
 * - `addAfter` / `addRateLimited` park a key until its time comes (the earliest request wins);
 * - after `shutDown` adds are ignored, parked keys are dropped, and `get` keeps handing out what is
 *   already queued, then answers `undefined` so workers exit.
 */
export class WorkQueue {
  readonly #clock: Clock;
  readonly #rateLimiter: RateLimiter;
  readonly #metrics: WorkQueueMetrics;
  // FIFO order of keys ready to run; every key in it is also in #dirty.
  #ready: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Map<string, number>();
  readonly #enqueuedAt = new Map<string, number>();
  readonly #delayed = new Map<string, Delayed>();
  #waiters: Array<(key: string | undefined) => void> = [];
  #drainWaiters: Array<() => void> = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.#clock);
    this.#metrics = options.metrics ?? noMetrics;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#metrics.added();
    this.#dirty.add(key);
    // The worker holding it will requeue it in done(): that is what keeps one reconcile per key.
    if (this.#processing.has(key)) return;
    this.#enqueuedAt.set(key, this.#clock.now());
    this.#hand(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const readyAt = this.#clock.now() + delayMs;
    const existing = this.#delayed.get(key);
    if (existing !== undefined) {
      if (existing.readyAt <= readyAt) return;
      existing.cancel();
    }
    const cancel = this.#clock.schedule(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.#delayed.set(key, { readyAt, cancel });
  }

  /** Re-adds `key` after the rate limiter's delay: use it when a reconcile failed. */
  addRateLimited(key: string): void {
    if (this.#shuttingDown) return;
    this.#metrics.retried();
    this.addAfter(key, this.#rateLimiter.when(key));
  }

  /** Ends the backoff history of `key`: its next failure starts from the base delay again. */
  forget(key: string): void {
    this.#rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#rateLimiter.retries(key);
  }

  /** The next key to work on, or `undefined` once the queue is shut down and empty. */
  get(): Promise<string | undefined> {
    const key = this.#take();
    if (key !== undefined || this.#shuttingDown) return Promise.resolve(key);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Marks the worker's hold on `key` as finished; must follow every `get` that returned a key. */
  done(key: string): void {
    const startedAt = this.#processing.get(key);
    if (startedAt === undefined) return;
    this.#processing.delete(key);
    this.#metrics.worked((this.#clock.now() - startedAt) / 1000);
    if (this.#dirty.has(key)) {
      this.#enqueuedAt.set(key, this.#clock.now());
      this.#hand(key);
    }
    this.#notifyIfDrained();
  }

  /** Keys ready to run now (not counting parked or in-flight ones). */
  len(): number {
    return this.#ready.length;
  }

  unfinishedWork(): UnfinishedWork {
    const now = this.#clock.now();
    let totalSeconds = 0;
    let longestSeconds = 0;
    for (const startedAt of this.#processing.values()) {
      const seconds = (now - startedAt) / 1000;
      totalSeconds += seconds;
      longestSeconds = Math.max(longestSeconds, seconds);
    }
    return { totalSeconds, longestSeconds };
  }

  inFlight(): number {
    return this.#processing.size;
  }

  /** Keys parked by addAfter / addRateLimited. */
  parked(): number {
    return this.#delayed.size;
  }

  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    for (const delayed of this.#delayed.values()) delayed.cancel();
    this.#delayed.clear();
    // Waiters only exist while nothing is ready, so they can all be told to exit.
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve(undefined);
    this.#notifyIfDrained();
  }

  /** Shuts down and resolves once every queued and in-flight key has been marked done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  #hand(key: string): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      this.#start(key);
      waiter(key);
      return;
    }
    this.#ready.push(key);
    this.#metrics.depth(this.#ready.length);
  }

  #take(): string | undefined {
    const key = this.#ready.shift();
    if (key === undefined) return undefined;
    this.#metrics.depth(this.#ready.length);
    this.#start(key);
    return key;
  }

  #start(key: string): void {
    const now = this.#clock.now();
    this.#metrics.queued((now - (this.#enqueuedAt.get(key) ?? now)) / 1000);
    this.#enqueuedAt.delete(key);
    this.#dirty.delete(key);
    this.#processing.set(key, now);
  }

  #isDrained(): boolean {
    return this.#ready.length === 0 && this.#processing.size === 0;
  }

  #notifyIfDrained(): void {
    if (!this.#shuttingDown || !this.#isDrained()) return;
    const drainWaiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of drainWaiters) resolve();
  }
}
