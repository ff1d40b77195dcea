/**
 * The controller kit's plan/act layer and reconcile hardening against a real API server: index-driven
 * re-queues across kinds, event filters, timeouts, panics, the stuck-worker gauge and act's re-read.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  type ConfigMap,
  ConfigMapType,
  createAct,
  createLogger,
  generationChanged,
  isConflict,
  KubeClient,
  Manager,
  type Plan,
  type ReconcileContext,
} from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import {
  addWidgetController,
  installWidgetCrd,
  newWidget,
  SOURCE_LABEL,
  type Widget,
  WidgetType,
} from './fixtures/runtime-widget.ts';

const namespace = useTestNamespace();
// Short, so the timeout tests finish quickly; bounds nothing but the configured timeout itself.
const RECONCILE_TIMEOUT_MS = 300;

let client: KubeClient;
beforeAll(async () => {
  await installWidgetCrd(testKubeConfig());
  client = new KubeClient(testKubeConfig());
});

/** A manager of its own, scoped to this file's namespace, stopped after the test. */
async function startManager(register: (manager: Manager) => void): Promise<Manager> {
  const manager = new Manager({ kubeConfig: testKubeConfig(), httpPort: 0, handleSignals: false });
  register(manager);
  await manager.start();
  return manager;
}

async function metric(manager: Manager, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${manager.httpPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

const reconciles = (manager: Manager, controller: string, result = 'success') =>
  metric(manager, `controller_runtime_reconcile_total{controller="${controller}",result="${result}"}`);

describe('a cross-kind watch through a field index', () => {
  let manager: Manager;
  const reconciled: string[] = [];
  afterAll(() => manager?.stop());

  it('re-queues exactly the widgets that name a changed source ConfigMap', async () => {
    const ns = namespace.name;
    for (const name of ['src-1', 'src-2']) {
      await client.create<ConfigMap>(ConfigMapType, {
        metadata: { namespace: ns, name, labels: { [SOURCE_LABEL]: 'yes' } },
        data: { suffix: ` from ${name}` },
      });
    }
    const uses = { 'idx-a': 'src-1', 'idx-b': 'src-1', 'idx-c': 'src-2' };
    for (const [name, source] of Object.entries(uses)) {
      await client.create(WidgetType, { ...newWidget(ns, name, 'hi'), spec: { message: 'hi', source } });
    }
    manager = await startManager((m) =>
      addWidgetController(m, { namespace: ns, onReconciled: (key) => reconciled.push(key) }),
    );
    const messageOf = async (name: string) =>
      (await client.get<Widget>(WidgetType, ns, name)).status?.message;
    await eventually('the three widgets to converge', async () =>
      (await messageOf('idx-c')) === 'hi from src-2' && (await messageOf('idx-a')) === 'hi from src-1'
        ? true
        : undefined,
    );
    reconciled.length = 0;
    await client.mergePatch(ConfigMapType, ns, 'src-1', { data: { suffix: ' from src-1, edited' } });
    await eventually('both users of src-1 to follow the edit', async () =>
      (await messageOf('idx-a')) === 'hi from src-1, edited' &&
      (await messageOf('idx-b')) === 'hi from src-1, edited'
        ? true
        : undefined,
    );
    // idx-c names src-2 only: nothing of it changed, and the index never maps src-1 to it.
    expect(reconciled.filter((key) => key.endsWith('/idx-c'))).toEqual([]);
    expect(new Set(reconciled)).toEqual(new Set([`${ns}/idx-a`, `${ns}/idx-b`]));
  });
});

describe('an event filter', () => {
  it('cuts the reconciles that status-only updates cause: generationChanged counts spec changes only', async () => {
    const ns = namespace.name;
    const count = async () => undefined;
    // Only this test's widget, so the reconcile counts are about it alone.
    const only = 'runtime-test.steward.dev/filter-test';
    const manager = await startManager((m) => {
      const widgets = m.informer<Widget>(WidgetType, { namespace: ns, labelSelector: only });
      m.controller('unfiltered').for(widgets).complete(count);
      m.controller('filtered').for(widgets, { filter: generationChanged() }).complete(count);
    });
    try {
      const widget = newWidget(ns, 'filtered', 'hi');
      await client.create<Widget>(WidgetType, {
        ...widget,
        metadata: { ...widget.metadata, labels: { [only]: 'yes' } },
      });
      await eventually('both controllers to reconcile the new widget', async () =>
        (await reconciles(manager, 'unfiltered')) >= 1 && (await reconciles(manager, 'filtered')) >= 1
          ? true
          : undefined,
      );
      const STATUS_UPDATES = 5;
      for (let i = 1; i <= STATUS_UPDATES; i++) {
        const before = await reconciles(manager, 'unfiltered');
        await client.mergePatch(
          WidgetType,
          ns,
          'filtered',
          { status: { message: `beat ${i}` } },
          { subresource: 'status' },
        );
        // The unfiltered controller sees each status update: wait for it, so the next is a separate event.
        await eventually(`the unfiltered reconcile of status update ${i}`, async () =>
          (await reconciles(manager, 'unfiltered')) > before ? true : undefined,
        );
      }
      await client.mergePatch(WidgetType, ns, 'filtered', { spec: { message: 'changed' } });
      await eventually('the filtered reconcile of the spec change', async () =>
        (await reconciles(manager, 'filtered')) >= 2 ? true : undefined,
      );
      const unfiltered = await reconciles(manager, 'unfiltered');
      const filtered = await reconciles(manager, 'filtered');
      console.log(
        `reconciles for 1 create, ${STATUS_UPDATES} status updates, 1 spec change: unfiltered ${unfiltered}, filtered ${filtered}`,
      );
      // Created and spec-changed: 2, however the status updates were coalesced.
      expect(filtered).toBe(2);
      expect(unfiltered).toBeGreaterThanOrEqual(1 + STATUS_UPDATES);
    } finally {
      await manager.stop();
    }
  });
});

describe('a reconcile that hangs, throws or takes long', () => {
  it('is aborted at its timeout, counted, and retried; a write it attempts after the abort is refused', async () => {
    const ns = namespace.name;
    const attempts: Array<'refused' | 'wrote'> = [];
    const manager = await startManager((m) => {
      const widgets = m.informer<Widget>(WidgetType, { namespace: ns });
      m.controller('hangs')
        .for(widgets)
        .withReconcileTimeout(RECONCILE_TIMEOUT_MS)
        .complete(async (request, { signal }) => {
          if (request.name !== 'hangs') return undefined;
          // Stuck on something that ignores the signal, then tries to write when it comes loose.
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
          try {
            await client.mergePatch(
              WidgetType,
              ns,
              'hangs',
              { status: { message: 'late write' } },
              { subresource: 'status' },
            );
            attempts.push('wrote');
          } catch {
            attempts.push('refused');
          }
          return undefined;
        });
    });
    try {
      await client.create(WidgetType, newWidget(ns, 'hangs', 'hi'));
      await eventually('two timed-out attempts', async () =>
        (await metric(manager, 'controller_runtime_reconcile_timeouts_total{controller="hangs"}')) >= 2
          ? true
          : undefined,
      );
      await eventually('the aborted runs to try their write', async () =>
        attempts.length >= 2 ? true : undefined,
      );
      expect(attempts.every((attempt) => attempt === 'refused')).toBe(true);
      expect((await client.get<Widget>(WidgetType, ns, 'hangs')).status?.message).toBeUndefined();
      expect(
        await metric(manager, 'controller_runtime_reconcile_errors_total{controller="hangs"}'),
      ).toBeGreaterThanOrEqual(2);
    } finally {
      await manager.stop();
    }
  });

  it('is counted as a panic when it throws a TypeError, and retried until it succeeds', async () => {
    const ns = namespace.name;
    let calls = 0;
    const manager = await startManager((m) => {
      const widgets = m.informer<Widget>(WidgetType, { namespace: ns });
      const act = m.actor('throws');
      m.controller('throws')
        .for(widgets)
        .complete(async (request, context) => {
          const widget = widgets.get(request.namespace, request.name);
          if (widget === undefined || request.name !== 'throws') return undefined;
          calls++;
          if (calls <= 2) {
            const missing = undefined as unknown as { spec: { message: string } };
            // A bug: reading through undefined throws TypeError.
            return { requeueAfterMs: missing.spec.message.length };
          }
          return act(context, WidgetType, widget, { status: { message: 'recovered' } });
        });
    });
    try {
      await client.create(WidgetType, newWidget(ns, 'throws', 'hi'));
      await eventually('the status written by the third attempt', async () =>
        (await client.get<Widget>(WidgetType, ns, 'throws')).status?.message === 'recovered'
          ? true
          : undefined,
      );
      expect(await metric(manager, 'controller_runtime_reconcile_panics_total{controller="throws"}')).toBe(2);
      // A third run succeeded; its own status write may have caused a fourth (a no-op).
      expect(calls).toBeGreaterThanOrEqual(3);
    } finally {
      await manager.stop();
    }
  });

  it('raises the stuck-worker gauges while it runs, and they fall back when it ends', async () => {
    const ns = namespace.name;
    let release = () => {};
    let started = false;
    const manager = await startManager((m) => {
      const widgets = m.informer<Widget>(WidgetType, { namespace: ns });
      m.controller('slow')
        .for(widgets)
        .complete(async (request) => {
          if (request.name !== 'slow') return undefined;
          started = true;
          await new Promise<void>((resolve) => (release = resolve));
          return undefined;
        });
    });
    const longest = () =>
      metric(manager, 'workqueue_longest_running_processor_seconds{name="slow",controller="slow"}');
    const unfinished = () =>
      metric(manager, 'workqueue_unfinished_work_seconds{name="slow",controller="slow"}');
    try {
      await client.create(WidgetType, newWidget(ns, 'slow', 'hi'));
      await eventually('the slow reconcile to start', async () => (started ? true : undefined));
      const first = await longest();
      const rising = await eventually('the gauge to rise while the reconcile hangs', async () => {
        const now = await longest();
        return now > first ? now : undefined;
      });
      console.log(`longest running processor: ${first} s, then ${rising} s`);
      expect(await unfinished()).toBeGreaterThan(0);
      release();
      await eventually('the gauges to fall back to 0', async () =>
        (await longest()) === 0 ? true : undefined,
      );
      expect(await unfinished()).toBe(0);
    } finally {
      release();
      await manager.stop();
    }
  });
});

describe('act', () => {
  const HISTORY = 'act-history';
  type History = ConfigMap & { data?: Record<string, string> };
  /** A plan whose history keeps what the map held and adds `entry`. */
  const keepAndAdd = (held: History | undefined, entry: string): Plan => ({
    apply: [
      {
        type: ConfigMapType,
        object: {
          metadata: { namespace: namespace.name, name: HISTORY },
          data: { ...held?.data, [entry]: 'x' },
        } as History,
      },
    ],
  });
  const context: Pick<ReconcileContext, 'log'> = { log: createLogger({ level: 'silent' }) };

  it('re-reads an owned object before writing it when the cache is stale, and keeps what only the live copy shows', async () => {
    const ns = namespace.name;
    const owner = await client.create<Widget>(WidgetType, newWidget(ns, 'act-owner', 'hi'));
    const manager = new Manager({ kubeConfig: testKubeConfig(), httpPort: false, handleSignals: false });
    const recorder = manager.eventRecorder('act-test');
    // A stale cache by construction: it still shows the map as it was before the last write.
    let staleCopy: History | undefined;
    const act = createAct({
      client,
      cache: () => staleCopy,
      recordEvent: (regarding, event) => recorder.record(regarding, event),
    });
    await act(context, WidgetType, owner, keepAndAdd(undefined, 'v1'));
    staleCopy = await client.get<History>(ConfigMapType, ns, HISTORY);
    await act(context, WidgetType, owner, keepAndAdd(staleCopy, 'v2'));
    // The cache still shows {v1}: a plan from it alone would drop v2. With the re-read, v2 stays.
    await act(context, WidgetType, owner, keepAndAdd(staleCopy, 'v3'), {
      reread: {
        type: ConfigMapType,
        namespace: ns,
        name: HISTORY,
        replan: (live: History | undefined) => keepAndAdd(live, 'v3'),
      },
    });
    expect(Object.keys((await client.get<History>(ConfigMapType, ns, HISTORY)).data ?? {}).sort()).toEqual([
      'v1',
      'v2',
      'v3',
    ]);
    // Without it the same stale plan loses v2 (what the re-read protects against).
    await act(context, WidgetType, owner, keepAndAdd(staleCopy, 'v4'));
    expect(Object.keys((await client.get<History>(ConfigMapType, ns, HISTORY)).data ?? {}).sort()).toEqual([
      'v1',
      'v4',
    ]);
  });

  it('writes the status only over the version its plan was computed from: a stale primary gets a conflict and the run recorded meanwhile stays', async () => {
    const ns = namespace.name;
    const act = createAct({ client, cache: () => undefined, recordEvent: () => Promise.resolve() });
    type RunHistory = { runs?: string[]; lastDrill?: { runId: string; stage?: string } };
    const statusOf = async () =>
      (await client.get<Widget>(WidgetType, ns, 'act-status')).status as RunHistory | undefined;
    /** A plan that keeps the runs the observed widget shows and adds `run` (as the pipeline's decide does). */
    const addRun = (observed: Widget, run: string): Plan<RunHistory> => {
      const held = (observed.status as RunHistory | undefined)?.runs ?? [];
      return { status: { runs: [...held, run], lastDrill: { runId: run } } };
    };
    const created = await client.create<Widget>(WidgetType, newWidget(ns, 'act-status', 'hi'));
    await act(context, WidgetType, created, addRun(created, 'r1'));
    // What a lagging cache would hand the next reconcile: the widget before r2 was recorded.
    const stale = await client.get<Widget>(WidgetType, ns, 'act-status');
    await act(context, WidgetType, stale, {
      status: { ...addRun(stale, 'r2').status, lastDrill: { runId: 'r2', stage: 'Check' } },
    });
    expect(await statusOf()).toEqual({ runs: ['r1', 'r2'], lastDrill: { runId: 'r2', stage: 'Check' } });

    // Without the precondition this write would replace runs with [r1, r3] and drop r2 (and the drill's stage).
    const refused = act(context, WidgetType, stale, addRun(stale, 'r3'));
    await expect(refused).rejects.toSatisfy(isConflict);
    expect(await statusOf()).toEqual({ runs: ['r1', 'r2'], lastDrill: { runId: 'r2', stage: 'Check' } });

    // The retry decides from the newer object and keeps both.
    const fresh = await client.get<Widget>(WidgetType, ns, 'act-status');
    await act(context, WidgetType, fresh, addRun(fresh, 'r3'));
    expect(await statusOf()).toEqual({ runs: ['r1', 'r2', 'r3'], lastDrill: { runId: 'r3' } });
  });

  it('writes no child from a primary older than the live one: a stale plan neither deletes a Job of a run recorded meanwhile nor creates one', async () => {
    const ns = namespace.name;
    const act = createAct({ client, cache: () => undefined, recordEvent: () => Promise.resolve() });
    const child = (name: string) => ({
      type: ConfigMapType,
      object: { metadata: { namespace: ns, name }, data: { run: name } } as ConfigMap,
    });
    const created = await client.create<Widget>(WidgetType, newWidget(ns, 'act-children', 'hi'));
    await act(context, WidgetType, created, { apply: [child('run-r2')], status: { runs: ['r1', 'r2'] } });
    // A cache that lags shows the widget before r2 was recorded: a plan from it deletes r2's child and
    // re-creates r0's, whose run had ended.
    const stalePlan: Plan = {
      apply: [child('run-r0')],
      delete: [{ type: ConfigMapType, namespace: ns, name: 'run-r2' }],
    };
    await expect(act(context, WidgetType, created, stalePlan)).rejects.toSatisfy(isConflict);
    expect((await client.get<ConfigMap>(ConfigMapType, ns, 'run-r2')).data).toEqual({ run: 'run-r2' });
    await expect(client.get(ConfigMapType, ns, 'run-r0')).rejects.toThrow(/404/);
    // The same plan from the current widget is carried out.
    const current = await client.get<Widget>(WidgetType, ns, 'act-children');
    await act(context, WidgetType, current, stalePlan);
    await expect(client.get(ConfigMapType, ns, 'run-r2')).rejects.toThrow(/404/);
    expect((await client.get<ConfigMap>(ConfigMapType, ns, 'run-r0')).data).toEqual({ run: 'run-r0' });
  });

  it('makes no request for an object the cache shows up to date, and deletes what the plan lists', async () => {
    const ns = namespace.name;
    const owner = await client.create<Widget>(WidgetType, newWidget(ns, 'act-owner-2', 'hi'));
    let cached: KubernetesObject | undefined;
    const act = createAct({ client, cache: () => cached, recordEvent: () => Promise.resolve() });
    const plan: Plan = {
      apply: [
        {
          type: ConfigMapType,
          object: { metadata: { namespace: ns, name: 'act-child' }, data: { a: '1' } } as ConfigMap,
        },
      ],
    };
    await act(context, WidgetType, owner, plan);
    cached = await client.get(ConfigMapType, ns, 'act-child');
    expect(cached.metadata?.ownerReferences?.[0]).toMatchObject({ name: 'act-owner-2', controller: true });
    await act(context, WidgetType, owner, plan);
    expect((await client.get(ConfigMapType, ns, 'act-child')).metadata?.resourceVersion).toBe(
      cached.metadata?.resourceVersion,
    );
    await act(context, WidgetType, owner, {
      delete: [{ type: ConfigMapType, namespace: ns, name: 'act-child' }],
    });
    await expect(client.get(ConfigMapType, ns, 'act-child')).rejects.toThrow(/404/);
    // Deleting what is already gone is success.
    await act(context, WidgetType, owner, {
      delete: [{ type: ConfigMapType, namespace: ns, name: 'act-child' }],
    });
  });

  it('refuses a plan with metric values but no sink before writing anything', async () => {
    const ns = namespace.name;
    const owner = await client.create<Widget>(WidgetType, newWidget(ns, 'act-owner-3', 'hi'));
    const act = createAct({ client, cache: () => undefined, recordEvent: () => Promise.resolve() });
    const plan: Plan<Record<string, unknown>, number> = {
      apply: [{ type: ConfigMapType, object: { metadata: { namespace: ns, name: 'act-unwritten' } } }],
      metrics: 1,
    };
    await expect(act(context, WidgetType, owner, plan)).rejects.toThrow(/no metrics sink/);
    await expect(client.get(ConfigMapType, ns, 'act-unwritten')).rejects.toThrow(/404/);
  });
});
