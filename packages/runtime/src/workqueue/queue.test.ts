import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { WorkQueue } from './queue.ts';
import { ExponentialFailureRateLimiter } from './rate-limiter.ts';

function newQueue(clock = new ManualClock()) {
  return new WorkQueue({ clock, rateLimiter: new ExponentialFailureRateLimiter(5, 1_000_000) });
}

describe('WorkQueue', () => {
  it('hands out a key added many times only once', async () => {
    const queue = newQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    queue.add('a');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(queue.len()).toBe(0);
  });

  it('never hands a key to a second worker while the first still holds it', async () => {
    const queue = newQueue();
    queue.add('a');
    const first = await queue.get();
    queue.add('a');
    expect(queue.len()).toBe(0);
    let second: string | undefined;
    void queue.get().then((key) => {
      second = key;
    });
    await Promise.resolve();
    expect(second).toBeUndefined();
    queue.done(first ?? '');
    await Promise.resolve();
    expect(second).toBe('a');
  });

  it('collapses any number of adds during processing into exactly one rerun', async () => {
    const queue = newQueue();
    queue.add('a');
    const key = await queue.get();
    for (let i = 0; i < 10; i++) queue.add('a');
    queue.done(key ?? '');
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    expect(queue.len()).toBe(0);
  });

  it('does not rerun a key that was not added again while it was processed', async () => {
    const queue = newQueue();
    queue.add('a');
    queue.done((await queue.get()) ?? '');
    expect(queue.len()).toBe(0);
    expect(queue.inFlight()).toBe(0);
  });

  it('keeps first-in first-out order among distinct keys', async () => {
    const queue = newQueue();
    for (const key of ['c', 'a', 'b']) queue.add(key);
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['c', 'a', 'b']);
  });

  it('releases a key added with addAfter only when its delay has passed', () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    queue.addAfter('a', 1000);
    clock.advance(999);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
  });

  it('keeps the earliest of two delayed adds of the same key', () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    queue.addAfter('a', 5000);
    queue.addAfter('a', 100);
    queue.addAfter('a', 3000);
    clock.advance(100);
    expect(queue.len()).toBe(1);
    expect(queue.parked()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('backs a failing key off exponentially from 5 ms', () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = clock.now();
      queue.addRateLimited('a');
      while (queue.len() === 0) clock.advance(1);
      delays.push(clock.now() - before);
      void queue.get();
      queue.done('a');
    }
    expect(delays).toEqual([5, 10, 20, 40, 80]);
    expect(queue.numRequeues('a')).toBe(5);
  });

  it('restarts the backoff from the base delay after forget', () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    queue.forget('a');
    expect(queue.numRequeues('a')).toBe(0);
    clock.advance(5);
    expect(queue.len()).toBe(1);
  });

  it('keeps the backoff of one key independent of another', () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    for (let i = 0; i < 4; i++) queue.addRateLimited('a');
    queue.addRateLimited('b');
    expect(queue.numRequeues('a')).toBe(4);
    expect(queue.numRequeues('b')).toBe(1);
  });

  it('releases waiting workers with undefined on shutdown', async () => {
    const queue = newQueue();
    const waiting = queue.get();
    queue.shutDown();
    expect(await waiting).toBeUndefined();
  });

  it('ignores adds and drops parked keys after shutdown', () => {
    const clock = new ManualClock();
    const queue = newQueue(clock);
    queue.addAfter('parked', 10);
    queue.shutDown();
    queue.add('late');
    queue.addRateLimited('late');
    clock.advance(1000);
    expect(queue.len()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('hands out already queued keys after shutdown, then undefined', async () => {
    const queue = newQueue();
    queue.add('a');
    queue.shutDown();
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBeUndefined();
  });

  it('finishes a drain only when the in-flight key is done', async () => {
    const queue = newQueue();
    queue.add('a');
    const key = await queue.get();
    let drained = false;
    const drain = queue.shutDownWithDrain().then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    queue.done(key ?? '');
    await drain;
    expect(drained).toBe(true);
  });

  it('reports depth, adds, retries and durations to its metrics', async () => {
    const clock = new ManualClock();
    const seen = {
      added: 0,
      retried: 0,
      depth: [] as number[],
      queued: [] as number[],
      worked: [] as number[],
    };
    const queue = new WorkQueue({
      clock,
      metrics: {
        added: () => seen.added++,
        retried: () => seen.retried++,
        depth: (n) => seen.depth.push(n),
        queued: (s) => seen.queued.push(s),
        worked: (s) => seen.worked.push(s),
      },
    });
    queue.add('a');
    queue.add('a');
    clock.advance(2000);
    const key = await queue.get();
    clock.advance(500);
    queue.done(key ?? '');
    queue.addRateLimited('a');
    expect(seen).toEqual({ added: 1, retried: 1, depth: [1, 0], queued: [2], worked: [0.5] });
  });
});
