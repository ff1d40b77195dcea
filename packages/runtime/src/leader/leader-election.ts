import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubernetesObject } from '@kubernetes/client-node';
import { isConflict, isNotFound } from '../client/errors.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { LeaseType } from '../client/resource.ts';
import { microTime } from '../client/time.ts';
import { type Clock, systemClock } from '../clock.ts';
import { defaultLogger, type Logger } from '../observability/logger.ts';
import { type Random, systemRandom } from '../random.ts';

// client-go's defaults. A standby takes over at most leaseDuration after the leader's last renewal;
// the leader gives up if it could not renew for renewDeadline, which is shorter than the lease so it
// stops working before anyone else may start (no two leaders at once); retryPeriod paces attempts.
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
// client-go's JitterFactor for standbys, so replicas started together do not poll in lockstep.
const RETRY_JITTER = 1.2;

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
type Lease = KubernetesObject & { spec?: LeaseSpec };

/** The three calls the elector makes; a KubeClient in production. */
export type LeaseClient = Pick<KubeClient, 'get' | 'create' | 'replace'>;

export interface LeaderElectionOptions {
  client: LeaseClient;
  namespace: string;
  name: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock?: Clock;
  /** Jitter of the standbys' retry period. */
  random?: Random;
  logger?: Logger;
  onStartedLeading: () => void;
  /** Leadership lost (renewal failed past the deadline): stop working now; usually, exit. */
  onStoppedLeading: () => void;
  onLeaderChange?: (isLeader: boolean) => void;
}

/**
 * Lease-based leader election (coordination.k8s.io/v1), after client-go's LeaderElector. Expiry is
 * judged on the local clock from when this process last saw the record change — never on the
 * holder's renewTime — so clock skew between nodes cannot make two leaders.
 */
export class LeaderElector {
  readonly identity: string;
  readonly #options: LeaderElectionOptions;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #log: Logger;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  #observed: { holder: string; renewTime: string | undefined; at: number } | undefined;
  #leading = false;
  #lastRenew = 0;
  #running = false;
  #cancelTimer: (() => void) | undefined;
  #attempt: Promise<void> = Promise.resolve();

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#log = (options.logger ?? defaultLogger()).child({ lease: `${options.namespace}/${options.name}` });
    this.#leaseDurationMs = options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.#retryPeriodMs = options.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    if (!(this.#leaseDurationMs > this.#renewDeadlineMs && this.#renewDeadlineMs > this.#retryPeriodMs)) {
      throw new RangeError(
        `leader election needs leaseDuration > renewDeadline > retryPeriod, got ${this.#leaseDurationMs}/${this.#renewDeadlineMs}/${this.#retryPeriodMs} ms`,
      );
    }
  }

  isLeader(): boolean {
    return this.#leading;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#tick();
  }

  /** Stops competing; if leading, empties the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelTimer?.();
    await this.#attempt;
    if (this.#leading) {
      this.#setLeading(false);
      await this.#release();
    }
  }

  #tick(): void {
    if (!this.#running) return;
    this.#attempt = this.#tryAcquireOrRenew().then(
      (held) => this.#afterAttempt(held),
      (error: unknown) => {
        this.#log.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'lease update failed',
        );
        this.#afterAttempt(false);
      },
    );
  }

  #afterAttempt(held: boolean): void {
    if (!this.#running) return;
    const now = this.#clock.now();
    if (held) {
      this.#lastRenew = now;
      if (!this.#leading) this.#setLeading(true);
    } else if (this.#leading && now - this.#lastRenew >= this.#renewDeadlineMs) {
      this.#log.error(
        { sinceRenewMs: now - this.#lastRenew },
        'could not renew the lease in time; leadership lost',
      );
      this.#setLeading(false);
    }
    const delay = this.#leading
      ? this.#retryPeriodMs
      : this.#retryPeriodMs * (1 + this.#random() * (RETRY_JITTER - 1));
    this.#cancelTimer = this.#clock.schedule(() => this.#tick(), delay);
  }

  #setLeading(leading: boolean): void {
    this.#leading = leading;
    this.#options.onLeaderChange?.(leading);
    if (leading) {
      this.#log.info({ identity: this.identity }, 'became leader');
      this.#options.onStartedLeading();
    } else {
      this.#log.info({ identity: this.identity }, 'stopped leading');
      if (this.#running) this.#options.onStoppedLeading();
    }
  }

  /** One attempt; resolves true when this process holds the lease afterwards. */
  async #tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name } = this.#options;
    const now = this.#clock.now();
    let lease: Lease;
    try {
      lease = await client.get<Lease>(LeaseType, namespace, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await client.create<Lease>(LeaseType, {
          metadata: { namespace, name },
          spec: this.#spec(now, undefined),
        });
        return true;
      } catch (createError) {
        if (isConflict(createError)) return false; // someone else created it first
        throw createError;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    if (this.#observed?.holder !== holder || this.#observed.renewTime !== spec.renewTime) {
      this.#observed = { holder, renewTime: spec.renewTime, at: now };
    }
    const durationMs = (spec.leaseDurationSeconds ?? this.#leaseDurationMs / 1000) * 1000;
    const heldByOther = holder !== '' && holder !== this.identity;
    if (heldByOther && this.#observed.at + durationMs > now) return false;
    try {
      await client.replace<Lease>(LeaseType, {
        ...lease,
        spec: this.#spec(now, holder === this.identity ? spec : undefined, spec),
      });
      return true;
    } catch (error) {
      if (isConflict(error)) return false; // another candidate won this round
      throw error;
    }
  }

  #spec(now: number, ours: LeaseSpec | undefined, previous?: LeaseSpec): LeaseSpec {
    const time = microTime(now);
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.round(this.#leaseDurationMs / 1000),
      acquireTime: ours?.acquireTime ?? time,
      renewTime: time,
      leaseTransitions: ours ? (ours.leaseTransitions ?? 0) : (previous?.leaseTransitions ?? -1) + 1,
    };
  }

  async #release(): Promise<void> {
    const { client, namespace, name } = this.#options;
    try {
      const lease = await client.get<Lease>(LeaseType, namespace, name);
      if (lease.spec?.holderIdentity !== this.identity) return;
      // client-go's ReleaseOnCancel: an empty holder and a 1 s lease let a standby acquire on its next try.
      await client.replace<Lease>(LeaseType, {
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: microTime(this.#clock.now()),
        },
      });
      this.#log.info('lease released');
    } catch (error) {
      this.#log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'could not release the lease',
      );
    }
  }
}
