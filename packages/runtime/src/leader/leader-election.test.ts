import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../client/errors.ts';
import { ManualClock } from '../clock.ts';
import { LeaderElector, type LeaseClient } from './leader-election.ts';

type Lease = KubernetesObject & { spec?: { holderIdentity?: string; leaseDurationSeconds?: number } };

/**
 * One Lease with the API server's optimistic concurrency: a replace carrying a stale
 * resourceVersion gets 409, as a candidate racing another would. `down` makes every call fail.
 */
class LeaseStore implements LeaseClient {
  lease: Lease | undefined;
  down = false;
  /** Identities whose writes are lost, as if their process had died. */
  readonly unreachable = new Set<string>();
  #version = 0;

  async get<T extends KubernetesObject>(): Promise<T> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    if (!this.lease) throw new KubeApiError('GET', '/lease', 404, '{"reason":"NotFound"}');
    return structuredClone(this.lease) as T;
  }

  async create<T extends KubernetesObject>(_type: unknown, object: T): Promise<T> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    if (this.lease) throw new KubeApiError('POST', '/lease', 409, '{"reason":"AlreadyExists"}');
    return this.#store(object) as T;
  }

  async replace<T extends KubernetesObject>(_type: unknown, object: T): Promise<T> {
    if (this.down || this.unreachable.has((object as Lease).spec?.holderIdentity ?? '')) {
      throw new Error('connect ECONNREFUSED');
    }
    if (object.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) {
      throw new KubeApiError('PUT', '/lease', 409, '{"reason":"Conflict"}');
    }
    return this.#store(object) as T;
  }

  holder(): string | undefined {
    return this.lease?.spec?.holderIdentity;
  }

  #store(object: KubernetesObject): Lease {
    this.lease = {
      ...structuredClone(object),
      metadata: { ...object.metadata, resourceVersion: String(++this.#version) },
    };
    return structuredClone(this.lease);
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(clock: ManualClock, ms: number, stepMs = 100): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    clock.advance(stepMs);
    await settle();
  }
}

function candidate(store: LeaseStore, clock: ManualClock, identity: string) {
  const events: string[] = [];
  const elector = new LeaderElector({
    client: store,
    namespace: 'ns',
    name: 'lease',
    identity,
    clock,
    onStartedLeading: () => events.push('started'),
    onStoppedLeading: () => events.push('stopped'),
  });
  return { elector, events };
}

describe('LeaderElector', () => {
  it('creates and holds a lease nobody holds', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock(1_000_000);
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await settle();
    expect(store.holder()).toBe('a');
    expect(a.events).toEqual(['started']);
    await run(clock, 30_000);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(['started']);
  });

  it('lets only one of two candidates lead while the leader renews', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock(1_000_000);
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.elector.start();
    await settle();
    b.elector.start();
    await run(clock, 60_000);
    expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([true, false]);
    expect(b.events).toEqual([]);
  });

  it('takes over a lease whose holder stopped renewing, once the lease duration has passed', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock(1_000_000);
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.elector.start();
    await settle();
    b.elector.start();
    await run(clock, 5_000);
    // kill -9 of the leader: from now on nothing it sends reaches the API server.
    store.unreachable.add('a');
    // b last saw a renewal at most one retry period (+ jitter) ago, so the lease outlives 12 s ...
    await run(clock, 12_000);
    expect(store.holder()).toBe('a');
    // ... and is b's within lease duration plus one retry period.
    await run(clock, 6_000);
    expect(store.holder()).toBe('b');
    expect(b.events).toEqual(['started']);
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock(1_000_000);
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await settle();
    store.down = true;
    await run(clock, 9_000);
    expect(a.elector.isLeader()).toBe(true);
    await run(clock, 3_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events).toEqual(['started', 'stopped']);
  });

  it('empties the lease on stop so a standby can take it at once', async () => {
    const store = new LeaseStore();
    const clock = new ManualClock(1_000_000);
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.elector.start();
    await settle();
    b.elector.start();
    await run(clock, 4_000);
    await a.elector.stop();
    expect(store.holder()).toBe('');
    await run(clock, 3_000);
    expect(store.holder()).toBe('b');
    expect(a.events).toEqual(['started']);
  });

  it('refuses timings where the renew deadline is not shorter than the lease', () => {
    expect(
      () =>
        new LeaderElector({
          client: new LeaseStore(),
          namespace: 'ns',
          name: 'lease',
          leaseDurationMs: 10_000,
          renewDeadlineMs: 10_000,
          onStartedLeading: () => {},
          onStoppedLeading: () => {},
        }),
    ).toThrow(/leaseDuration > renewDeadline > retryPeriod, got 10000\/10000\/2000 ms/);
  });
});
