import { describe, expect, it } from 'vitest';
import { KubeApiError, TerminalError } from '../client/errors.ts';
import type { ResourceType } from '../client/resource.ts';
import { ManualClock } from '../clock.ts';
import { controllerBuilder } from './builder.ts';
import { FakeSource, runFor, settle, startWidgetController, widget, widgetType } from './test-support.ts';

const partType: ResourceType = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};

const setup = startWidgetController;

describe('Controller', () => {
  it('retries a reconcile that keeps throwing at growing intervals', async () => {
    const attempts: number[] = [];
    const { clock, widgets, controller } = setup(async () => {
      attempts.push(clock.now());
      throw new Error('backend unavailable');
    });
    widgets.emit(widget('a'));
    await settle();
    await runFor(clock, 700);
    const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] ?? 0));
    expect(gaps.slice(0, 7)).toEqual([5, 10, 20, 40, 80, 160, 320]);
    await controller.stop();
  });

  it('retries a conflict', async () => {
    let calls = 0;
    const { clock, widgets, controller } = setup(async () => {
      calls++;
      if (calls === 1) throw new KubeApiError('PATCH', '/x', 409, '{"reason":"Conflict"}');
      return undefined;
    });
    widgets.emit(widget('a'));
    await settle();
    await runFor(clock, 10);
    expect(calls).toBe(2);
    await controller.stop();
  });

  it('does not retry a terminal error, and counts it', async () => {
    let calls = 0;
    const { clock, widgets, controller, metrics } = setup(async () => {
      calls++;
      throw new TerminalError('spec.owner is missing');
    });
    widgets.emit(widget('a'));
    await settle();
    await runFor(clock, 5_000, 100);
    expect(calls).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toContain('controller_runtime_terminal_reconcile_errors_total{controller="widgets"} 1');
    expect(text).toContain('controller_runtime_reconcile_total{controller="widgets",result="error"} 1');
    await controller.stop();
  });

  it('runs again after requeueAfterMs without any event', async () => {
    const attempts: number[] = [];
    const { clock, widgets, controller } = setup(async () => {
      attempts.push(clock.now());
      return { requeueAfterMs: 30_000 };
    });
    widgets.emit(widget('a'));
    await settle();
    await runFor(clock, 60_000, 1_000);
    expect(attempts.map((at) => at - (attempts[0] ?? 0))).toEqual([0, 30_000, 60_000]);
    await controller.stop();
  });

  it('reruns a key once when events arrive while it is being reconciled', async () => {
    let release: () => void = () => {};
    const seen: string[] = [];
    const { widgets, controller } = setup(async (request) => {
      seen.push(request.key);
      if (seen.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return undefined;
    });
    widgets.emit(widget('a'));
    await settle();
    widgets.emit(widget('a'), 'update');
    widgets.emit(widget('a'), 'update');
    await settle();
    expect(seen).toEqual(['ns/a']);
    release();
    await settle();
    await settle();
    expect(seen).toEqual(['ns/a', 'ns/a']);
    await controller.stop();
  });

  it('maps an owned object to its controller owner of the primary kind only', async () => {
    const seen: string[] = [];
    const clock = new ManualClock();
    const widgets = new FakeSource(widgetType);
    const parts = new FakeSource(partType);
    const controller = controllerBuilder('widgets')
      .for(widgets)
      .owns(parts)
      .withClock(clock)
      .complete(async (request) => {
        seen.push(request.key);
        return undefined;
      });
    controller.start();
    const ref = { apiVersion: 'test.steward.dev/v1', kind: 'Widget', uid: 'u1', name: 'owner' };
    parts.emit({
      metadata: { namespace: 'ns', name: 'p1', ownerReferences: [{ ...ref, controller: true }] },
    });
    parts.emit({
      metadata: { namespace: 'ns', name: 'p2', ownerReferences: [{ ...ref, name: 'not-controller' }] },
    });
    parts.emit({
      metadata: {
        namespace: 'ns',
        name: 'p3',
        ownerReferences: [{ ...ref, kind: 'Other', controller: true }],
      },
    });
    await settle();
    expect(seen).toEqual(['ns/owner']);
    await controller.stop();
  });

  it('reconciles what a related object maps to', async () => {
    const seen: string[] = [];
    const widgets = new FakeSource(widgetType);
    const parts = new FakeSource(partType);
    const controller = controllerBuilder('widgets')
      .for(widgets)
      .watches(parts, (object) => [{ namespace: 'ns', name: `${object.metadata?.name}-user` }])
      .withClock(new ManualClock())
      .complete(async (request) => {
        seen.push(request.key);
        return undefined;
      });
    controller.start();
    parts.emit({ metadata: { namespace: 'other', name: 'shared' } });
    await settle();
    expect(seen).toEqual(['ns/shared-user']);
    await controller.stop();
  });

  it('never runs more reconciles at once than its concurrency', async () => {
    let running = 0;
    let peak = 0;
    const widgets = new FakeSource(widgetType);
    const controller = controllerBuilder('widgets')
      .for(widgets)
      .withConcurrency(3)
      .withClock(new ManualClock())
      .complete(async () => {
        running++;
        peak = Math.max(peak, running);
        await settle();
        running--;
        return undefined;
      });
    controller.start();
    for (let i = 0; i < 20; i++) widgets.emit(widget(`w${i}`));
    for (let i = 0; i < 30; i++) await settle();
    expect(peak).toBe(3);
    await controller.stop();
  });

  it('waits for the reconcile in flight when stopped', async () => {
    let finished = false;
    const { widgets, controller } = setup(async () => {
      await settle();
      finished = true;
      return undefined;
    });
    widgets.emit(widget('a'));
    await Promise.resolve();
    await controller.stop();
    expect(finished).toBe(true);
  });

  it('rejects a concurrency of zero with a message naming the controller', () => {
    expect(() =>
      controllerBuilder('widgets')
        .for(new FakeSource(widgetType))
        .withConcurrency(0)
        .complete(async () => undefined),
    ).toThrow(/controller widgets: concurrency must be a positive integer, got 0/);
  });
});
