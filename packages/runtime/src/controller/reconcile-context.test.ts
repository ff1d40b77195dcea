import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { currentRequestSignal } from '../client/request-scope.ts';
import { ManualClock } from '../clock.ts';
import { Informer } from '../informer/informer.ts';
import { controllerBuilder } from './builder.ts';
import { generationChanged, projectionChanged } from './filters.ts';
import { referrers } from './referrers.ts';
import { FakeSource, runFor, settle, startWidgetController, widget, widgetType } from './test-support.ts';
import type { ReconcileContext, ReconcileResult } from './types.ts';

const TIMEOUT_MS = 1_000;

const setup = (reconcile: (context: ReconcileContext) => Promise<ReconcileResult | undefined>) =>
  startWidgetController((_request, context) => reconcile(context), { reconcileTimeoutMs: TIMEOUT_MS });

describe('the reconcile context', () => {
  it('gives every run its own reconcile ID and a live signal that requests made in the run see', async () => {
    const runs: Array<{ id: string; scoped: boolean; aborted: boolean }> = [];
    const { widgets, controller } = setup(async (context) => {
      runs.push({
        id: context.reconcileID,
        scoped: currentRequestSignal() === context.signal,
        aborted: context.signal.aborted,
      });
      return undefined;
    });
    widgets.emit(widget('a'));
    await settle();
    widgets.emit(widget('a'), 'update');
    await settle();
    expect(runs).toHaveLength(2);
    expect(runs[0]?.id).not.toBe(runs[1]?.id);
    expect(runs.every((run) => run.scoped && !run.aborted)).toBe(true);
    expect(currentRequestSignal()).toBeUndefined();
    await controller.stop();
  });

  it('aborts a run that outlives its timeout, counts it, and retries it with backoff', async () => {
    const signals: AbortSignal[] = [];
    const { clock, widgets, controller, metric } = setup(async (context) => {
      signals.push(context.signal);
      // Hangs unless aborted: never settles on its own.
      await new Promise((_resolve, reject) =>
        context.signal.addEventListener('abort', () => reject(context.signal.reason)),
      );
      return undefined;
    });
    widgets.emit(widget('a'));
    await settle();
    await runFor(clock, TIMEOUT_MS - 1);
    expect(signals).toHaveLength(1);
    expect(await metric('workqueue_longest_running_processor_seconds{')).toBeCloseTo((TIMEOUT_MS - 1) / 1000);
    await runFor(clock, 1 + 5);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals).toHaveLength(2);
    expect(await metric('controller_runtime_reconcile_timeouts_total{')).toBe(1);
    expect(await metric('controller_runtime_reconcile_total{controller="widgets",result="error"}')).toBe(1);
    await runFor(clock, TIMEOUT_MS);
    await controller.stop();
  });

  it('counts a bug (TypeError) as a panic and retries it; a network failure is not a panic', async () => {
    let calls = 0;
    const { clock, widgets, controller, metric } = setup(async () => {
      calls++;
      if (calls === 1) throw new TypeError("Cannot read properties of undefined (reading 'spec')");
      // fetch's way of saying the API server was unreachable: a failure, not a bug.
      if (calls === 2) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
      return undefined;
    });
    widgets.emit(widget('a'));
    await settle();
    await runFor(clock, 20);
    expect(calls).toBe(3);
    expect(await metric('controller_runtime_reconcile_panics_total{')).toBe(1);
    expect(await metric('controller_runtime_reconcile_errors_total{')).toBe(2);
    await controller.stop();
  });

  it('recovers a reconciler that throws synchronously instead of rejecting', async () => {
    let calls = 0;
    const { clock, widgets, controller } = startWidgetController(() => {
      calls++;
      if (calls === 1) throw new Error('thrown before any await');
      return Promise.resolve(undefined);
    });
    widgets.emit(widget('a'));
    await settle();
    await runFor(clock, 20);
    expect(calls).toBe(2);
    await controller.stop();
  });

  it('labels `requeue: true` as requeue and comes back without an event', async () => {
    let calls = 0;
    const { clock, widgets, controller, metric } = setup(async () => {
      calls++;
      return calls === 1 ? { requeue: true } : undefined;
    });
    widgets.emit(widget('a'));
    await settle();
    await runFor(clock, 10);
    expect(calls).toBe(2);
    expect(await metric('controller_runtime_reconcile_total{controller="widgets",result="requeue"}')).toBe(1);
    await controller.stop();
  });
});

describe('event filters', () => {
  async function countReconciles(build: (widgets: FakeSource) => void, emit: (widgets: FakeSource) => void) {
    const widgets = new FakeSource(widgetType);
    let reconciles = 0;
    build(widgets);
    const controller = controllerBuilder('widgets')
      .for(widgets, { filter: generationChanged() })
      .withClock(new ManualClock())
      .complete(async () => {
        reconciles++;
        return undefined;
      });
    controller.start();
    emit(widgets);
    await settle();
    await controller.stop();
    return reconciles;
  }

  it('generationChanged drops a status-only update and passes a spec change, an add and a delete', async () => {
    const statusOnly = await countReconciles(
      () => {},
      (widgets) => widgets.emit(widget('a', 1), 'update', widget('a', 1)),
    );
    const specChange = await countReconciles(
      () => {},
      (widgets) => widgets.emit(widget('a', 2), 'update', widget('a', 1)),
    );
    const added = await countReconciles(
      () => {},
      (widgets) => widgets.emit(widget('a'), 'add'),
    );
    const deleted = await countReconciles(
      () => {},
      (widgets) => widgets.emit(widget('a'), 'delete'),
    );
    expect({ statusOnly, specChange, added, deleted }).toEqual({
      statusOnly: 0,
      specChange: 1,
      added: 1,
      deleted: 1,
    });
  });

  it('projectionChanged passes an owned object update only when the projected part changed', () => {
    type Job = KubernetesObject & { status?: { active?: number; succeeded?: number } };
    const filter = projectionChanged<Job>((job) => job.status?.succeeded ?? 0);
    const job = (active: number, succeeded: number): Job => ({
      metadata: { name: 'j' },
      status: { active, succeeded },
    });
    expect(filter({ type: 'update', object: job(2, 0), old: job(1, 0) })).toBe(false);
    expect(filter({ type: 'update', object: job(0, 1), old: job(1, 0) })).toBe(true);
    expect(filter({ type: 'resync', object: job(1, 0) })).toBe(true);
  });
});

describe('referrers', () => {
  it('names the missing index instead of scanning the cache', () => {
    // Never started: only the index bookkeeping is exercised.
    const models = new Informer({ client: undefined as never, type: widgetType });
    expect(() => referrers(models, 'spec.contract')({ metadata: { name: 'x' } })).toThrow(
      /Widget informer has no index "spec.contract"/,
    );
  });
});
