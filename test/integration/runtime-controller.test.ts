import { ApiextensionsV1Api, type KubernetesObject } from '@kubernetes/client-node';
import {
  addFinalizer,
  ConfigMapType,
  createLogger,
  EventType,
  Informer,
  KubeClient,
  Manager,
  type ResourceType,
  removeFinalizer,
  statusCodeOf,
} from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import {
  addWidgetController,
  installWidgetCrd,
  isConverged,
  newWidget,
  type Widget,
  WidgetType,
} from './fixtures/runtime-widget.ts';

const namespace = useTestNamespace();

describe('a Widget controller on the shared control plane', () => {
  let manager: Manager;
  let client: KubeClient;
  let reconciled: string[] = [];

  beforeAll(async () => {
    await installWidgetCrd(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    manager = new Manager({ kubeConfig: testKubeConfig(), httpPort: 0, handleSignals: false });
    addWidgetController(manager, { namespace: namespace.name, onReconciled: (key) => reconciled.push(key) });
    await manager.start();
  });

  afterAll(async () => {
    await manager?.stop();
  });

  it('converges created widgets: owned ConfigMap applied and status written', async () => {
    for (let i = 0; i < 20; i++)
      await client.create(WidgetType, newWidget(namespace.name, `w${i}`, `hello ${i}`));
    await eventually('20 converged widgets', async () => {
      const widgets = (await client.list<Widget>(WidgetType, { namespace: namespace.name })).items;
      const maps = (await client.list(ConfigMapType, { namespace: namespace.name })).items;
      const byName = new Map(maps.map((map) => [map.metadata?.name, map]));
      const done = widgets.filter((w) => isConverged(w, byName.get(`${w.metadata?.name}-out`)));
      return done.length === 20 ? true : undefined;
    });
  });

  it('writes the owned ConfigMap by server-side apply under the field manager steward', async () => {
    const map = await client.get(ConfigMapType, namespace.name, 'w0-out');
    const managers = (map.metadata?.managedFields ?? []).map(
      (entry) => `${entry.manager}/${entry.operation}`,
    );
    expect(managers).toContain('steward/Apply');
    expect(map.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Widget',
      name: 'w0',
      controller: true,
    });
    // The owner index answers "what does w0 own" from the cache.
    const w0 = await client.get<Widget>(WidgetType, namespace.name, 'w0');
    const configMaps = manager.informer(ConfigMapType, {
      namespace: namespace.name,
      labelSelector: 'runtime-test.steward.dev/widget',
    });
    expect(configMaps.ownedBy(w0.metadata?.uid ?? '').map((owned) => owned.metadata?.name)).toEqual([
      'w0-out',
    ]);
  });

  it('follows a spec change to the new message', async () => {
    await client.mergePatch(WidgetType, namespace.name, 'w1', { spec: { message: 'changed' } });
    await eventually('w1 to converge on the new message', async () => {
      const widget = await client.get<Widget>(WidgetType, namespace.name, 'w1');
      const map = await client.get(ConfigMapType, namespace.name, 'w1-out');
      return isConverged(widget, map) && widget.spec.message === 'changed' ? true : undefined;
    });
  });

  it('restores an owned ConfigMap a user edited, because a change to it re-queues its owner', async () => {
    await client.mergePatch(ConfigMapType, namespace.name, 'w2-out', { data: { message: 'tampered' } });
    await eventually('w2-out restored', async () => {
      const map = (await client.get(ConfigMapType, namespace.name, 'w2-out')) as {
        data?: Record<string, string>;
      };
      return map.data?.message === 'hello 2' ? true : undefined;
    });
  });

  it('does not write again when nothing changed (an idle reconcile makes no status write)', async () => {
    const before = await client.get<Widget>(WidgetType, namespace.name, 'w3');
    const controller = manager.controllerNamed('widget');
    reconciled = [];
    controller?.queue.add(`${namespace.name}/w3`);
    await eventually('the extra reconcile', async () =>
      reconciled.includes(`${namespace.name}/w3`) ? true : undefined,
    );
    const after = await client.get<Widget>(WidgetType, namespace.name, 'w3');
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('serves controller-runtime metric names on /metrics and 200 on /readyz once synced', async () => {
    const base = `http://127.0.0.1:${manager.httpPort}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'controller_runtime_reconcile_total{controller="widget",result="success"}',
      'controller_runtime_reconcile_errors_total{controller="widget"}',
      'controller_runtime_reconcile_time_seconds_bucket',
      'workqueue_depth{name="widget",controller="widget"}',
      'workqueue_adds_total{name="widget",controller="widget"}',
      'workqueue_retries_total{name="widget",controller="widget"}',
      'workqueue_queue_duration_seconds_bucket',
      'workqueue_work_duration_seconds_bucket',
      'leader_election_master_status',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(name);
    }
    const successes = Number(
      /controller_runtime_reconcile_total\{controller="widget",result="success"\} (\d+)/.exec(text)?.[1],
    );
    expect(successes).toBeGreaterThanOrEqual(20);
  });
});

describe('/readyz', () => {
  const group = `probe${Math.random().toString(16).slice(2, 8)}.runtime-test.steward.dev`;
  const gaugeType: ResourceType = {
    apiVersion: `${group}/v1`,
    kind: 'Gauge',
    plural: 'gauges',
    namespaced: true,
  };
  // What an informer logs when its list fails and it backs off.
  const LIST_FAILED = 'list/watch stopped on an error; restarting';

  it('turns 503 for an informer created after start until its cache syncs, then 200 again', async () => {
    const logged: string[] = [];
    const manager = new Manager({
      kubeConfig: testKubeConfig(),
      httpPort: 0,
      handleSignals: false,
      logger: createLogger({
        level: 'warn',
        destination: { write: (line) => logged.push((JSON.parse(line) as { msg: string }).msg) },
      }),
    });
    manager.informer(ConfigMapType, { namespace: namespace.name });
    await manager.start();
    try {
      const readyz = async () => (await fetch(`http://127.0.0.1:${manager.httpPort}/readyz`)).status;
      await eventually('/readyz to turn 200', async () => ((await readyz()) === 200 ? true : undefined));
      // Created after start, for a kind that does not exist yet: its list fails (404) and it retries.
      manager.informer(gaugeType, { namespace: namespace.name });
      await eventually('the new informer to fail its first list', async () =>
        logged.includes(LIST_FAILED) ? true : undefined,
      );
      expect(await readyz()).toBe(503);
      await testKubeConfig()
        .makeApiClient(ApiextensionsV1Api)
        .createCustomResourceDefinition({
          body: {
            metadata: { name: `gauges.${group}` },
            spec: {
              group,
              scope: 'Namespaced',
              names: { plural: 'gauges', kind: 'Gauge' },
              versions: [
                { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
              ],
            },
          },
        });
      await eventually('/readyz to turn 200 again', async () =>
        (await readyz()) === 200 ? true : undefined,
      );
    } finally {
      await manager.stop();
      await testKubeConfig()
        .makeApiClient(ApiextensionsV1Api)
        .deleteCustomResourceDefinition({ name: `gauges.${group}` })
        .catch(() => undefined);
    }
  });
});

describe('helpers against the API server', () => {
  let client: KubeClient;
  beforeAll(() => {
    client = new KubeClient(testKubeConfig());
  });

  it('adds and removes a finalizer, and refuses to act on a stale finalizer list', async () => {
    const created = await client.create<KubernetesObject>(ConfigMapType, {
      metadata: { namespace: namespace.name, name: 'fin' },
    });
    const withOurs = await addFinalizer(client, ConfigMapType, created, 'steward.dev/cleanup');
    expect(withOurs.metadata?.finalizers).toEqual(['steward.dev/cleanup']);
    // Someone else adds theirs; our copy of the object is now stale.
    await client.jsonPatch(ConfigMapType, namespace.name, 'fin', [
      { op: 'add', path: '/metadata/finalizers/-', value: 'other.dev/keep' },
    ]);
    const stale: KubernetesObject = { ...created, metadata: { ...created.metadata, finalizers: [] } };
    const refused = await addFinalizer(client, ConfigMapType, stale, 'steward.dev/second').catch(
      (error: unknown) => error,
    );
    expect(statusCodeOf(refused)).toBeGreaterThanOrEqual(400);
    const live = await client.get(ConfigMapType, namespace.name, 'fin');
    expect(live.metadata?.finalizers).toEqual(['steward.dev/cleanup', 'other.dev/keep']);
    const removed = await removeFinalizer(client, ConfigMapType, live, 'steward.dev/cleanup');
    expect(removed.metadata?.finalizers).toEqual(['other.dev/keep']);
    await removeFinalizer(client, ConfigMapType, removed, 'other.dev/keep');
  });

  it('records a repeated event once, counting the repeats in its series', async () => {
    const manager = new Manager({ kubeConfig: testKubeConfig(), httpPort: false, handleSignals: false });
    const subject = await client.create(ConfigMapType, {
      metadata: { namespace: namespace.name, name: 'evt' },
    });
    const recorder = manager.eventRecorder('test');
    const event = {
      type: 'Warning' as const,
      reason: 'OwnerMissing',
      action: 'Reconcile',
      note: 'spec.owner is empty',
    };
    for (let i = 0; i < 3; i++)
      await recorder.record({ ...subject, apiVersion: 'v1', kind: 'ConfigMap' }, event);
    const events = (
      await client.list<KubernetesObject & { reason?: string; series?: { count?: number } }>(EventType, {
        namespace: namespace.name,
        fieldSelector: 'regarding.name=evt',
      })
    ).items;
    expect(events).toHaveLength(1);
    expect(events[0]?.reason).toBe('OwnerMissing');
    expect(events[0]?.series?.count).toBe(3);
  });

  it('lists a kind with more objects than one page holds, and syncs all of them', async () => {
    // Two full pages of 500 and a partial third.
    const objects = 1_050;
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = next++; i < objects; i = next++) {
          await client.create(ConfigMapType, {
            metadata: {
              namespace: namespace.name,
              name: `page-${i}`,
              labels: { 'runtime-test.steward.dev/page': 'yes' },
            },
          });
        }
      }),
    );
    const informer = new Informer({
      client,
      type: ConfigMapType,
      namespace: namespace.name,
      labelSelector: 'runtime-test.steward.dev/page',
    });
    informer.start();
    try {
      await informer.waitForSync();
      expect(informer.size()).toBe(objects);
      expect(informer.get(namespace.name, `page-${objects - 1}`)?.kind).toBe('ConfigMap');
    } finally {
      await informer.stop();
    }
  });

  it('reports a clear error naming the path for an unknown kind', async () => {
    const bogus: ResourceType = {
      apiVersion: 'nope.steward.dev/v1',
      kind: 'Nope',
      plural: 'nopes',
      namespaced: true,
    };
    await expect(client.list(bogus, { namespace: namespace.name })).rejects.toThrow(
      /GET \/apis\/nope.steward.dev\/v1\/namespaces\/.+\/nopes: 404/,
    );
  });
});
