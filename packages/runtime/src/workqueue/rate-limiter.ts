import type { Clock } from '../clock.ts';

/** Decides how long a key waits before its next attempt. */
export interface RateLimiter {
  /** The delay before `key` may run again; counts one more failure for it. */
  when(key: string): number;
  /** Clears the failure history of `key` (call after a success or a terminal error). */
  forget(key: string): void;
  /** Failures counted for `key` since it was last forgotten. */
  retries(key: string): number;
}

// controller-runtime's defaults: the first retry comes almost at once (a conflict usually clears on
// the next read), and the doubling stops at ~17 minutes so a broken object is still revisited.
export const DEFAULT_BASE_DELAY_MS = 5;
export const DEFAULT_MAX_DELAY_MS = 1_000_000;
// The overall bucket bounds retries across all keys together (10/s sustained, bursts of 100), so a
// wave of failures cannot hammer the API server however many keys fail at once.
export const DEFAULT_BUCKET_QPS = 10;
export const DEFAULT_BUCKET_BURST = 100;

/** Per-key exponential backoff: base * 2^failures, capped at max. */
export class ExponentialFailureRateLimiter implements RateLimiter {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #failures = new Map<string, number>();

  constructor(baseMs = DEFAULT_BASE_DELAY_MS, maxMs = DEFAULT_MAX_DELAY_MS) {
    if (!(baseMs > 0) || !(maxMs >= baseMs)) {
      throw new RangeError(`backoff needs 0 < base <= max, got base=${baseMs}ms max=${maxMs}ms`);
    }
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  when(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2 ** failures overflows to Infinity long before a number stops being a number; min() caps it.
    return Math.min(this.#baseMs * 2 ** failures, this.#maxMs);
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  retries(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/** A token bucket shared by all keys: each `when` reserves one token and waits until it exists. */
export class BucketRateLimiter implements RateLimiter {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(clock: Clock, qps = DEFAULT_BUCKET_QPS, burst = DEFAULT_BUCKET_BURST) {
    if (!(qps > 0) || !(burst >= 1)) {
      throw new RangeError(`token bucket needs qps > 0 and burst >= 1, got qps=${qps} burst=${burst}`);
    }
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  when(_key: string): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.#qps) / 1000);
    this.#last = now;
    this.#tokens -= 1;
    // A negative balance is a reservation: the caller waits until the bucket refills to zero.
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#qps) * 1000;
  }

  forget(_key: string): void {}

  retries(_key: string): number {
    return 0;
  }
}

/** The longest delay any of the limiters asks for. */
export class MaxOfRateLimiter implements RateLimiter {
  readonly #limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.#limiters = limiters;
  }

  when(key: string): number {
    return Math.max(0, ...this.#limiters.map((limiter) => limiter.when(key)));
  }

  forget(key: string): void {
    for (const limiter of this.#limiters) limiter.forget(key);
  }

  retries(key: string): number {
    return Math.max(0, ...this.#limiters.map((limiter) => limiter.retries(key)));
  }
}

/** controller-runtime's default: per-key exponential backoff bounded by an overall token bucket. */
export function defaultControllerRateLimiter(clock: Clock): RateLimiter {
  return new MaxOfRateLimiter(new ExponentialFailureRateLimiter(), new BucketRateLimiter(clock));
}
