import { ConfigMapType, KubeClient, Manager } from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, eventually, startControlPlane } from '../harness/index.ts';
import {
  addWidgetController,
  installWidgetCrd,
  isConverged,
  newWidget,
  type Widget,
  WidgetType,
} from './fixtures/runtime-widget.ts';

const OBJECTS = 500;
const CREATED_BEFORE_RESTART = 250;
const UPDATED_AFTER_RESTART = 100;
const DELETED_AFTER_RESTART = 50;
// Long enough that every watch connection breaks and the informers' reconnects fail at least once.
const API_SERVER_DOWN_MS = 3_000;
// How long to wait before calling it a failure: far beyond a healthy convergence (printed, not
// asserted), so a loaded 2-core machine cannot fail the test by being slow.
const CONVERGENCE_TIMEOUT_MS = 120_000;
// Parallel writes of the test's own client: enough to create 500 objects quickly on 2 cores.
const WRITE_PARALLELISM = 10;
const namespace = 'restart';

/** Retries a write that failed because the API server was (still) down. */
async function persistently<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const message =
        error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
      if (attempt > 100 || !/fetch failed|ECONNREFUSED|ECONNRESET|socket|503/.test(message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function inParallel(items: number[], work: (i: number) => Promise<unknown>): Promise<void> {
  const pending = [...items];
  await Promise.all(
    Array.from({ length: WRITE_PARALLELISM }, async () => {
      for (let i = pending.shift(); i !== undefined; i = pending.shift()) await work(i);
    }),
  );
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const nameOf = (i: number) => `w${String(i).padStart(3, '0')}`;

describe('the runtime across an API-server restart', () => {
  let controlPlane: ControlPlane;
  let manager: Manager;
  let client: KubeClient;

  beforeAll(async () => {
    controlPlane = await startControlPlane({ controllerManager: false });
    const kubeConfig = controlPlane.kubeConfig();
    await installWidgetCrd(kubeConfig);
    client = new KubeClient(kubeConfig);
    await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });
    manager = new Manager({ kubeConfig, httpPort: 0, handleSignals: false });
    addWidgetController(manager, { namespace, concurrency: 8 });
    await manager.start();
  });

  afterAll(async () => {
    await manager?.stop();
    await controlPlane?.stop();
  });

  it(
    `converges ${OBJECTS} objects, missing nothing, when kube-apiserver is killed mid-run`,
    async () => {
      await inParallel(range(0, CREATED_BEFORE_RESTART), (i) =>
        client.create(WidgetType, newWidget(namespace, nameOf(i), `v1-${i}`)),
      );
      await controlPlane.restartApiServer({ downMs: API_SERVER_DOWN_MS });
      const restartedAt = Date.now();

      await inParallel(range(CREATED_BEFORE_RESTART, OBJECTS), (i) =>
        persistently(() => client.create(WidgetType, newWidget(namespace, nameOf(i), `v1-${i}`))),
      );
      await inParallel(range(0, UPDATED_AFTER_RESTART), (i) =>
        persistently(() =>
          client.mergePatch(WidgetType, namespace, nameOf(i), { spec: { message: `v2-${i}` } }),
        ),
      );
      const deleted = range(OBJECTS - DELETED_AFTER_RESTART, OBJECTS);
      await inParallel(deleted, (i) => persistently(() => client.delete(WidgetType, namespace, nameOf(i))));

      const expected = new Map(
        range(0, OBJECTS - DELETED_AFTER_RESTART).map((i) => [
          nameOf(i),
          i < UPDATED_AFTER_RESTART ? `v2-${i}` : `v1-${i}`,
        ]),
      );
      const widgets = manager.informer<Widget>(WidgetType, { namespace });
      let lagging: string[] = [];
      const converged = async () => {
        const live = (await client.list<Widget>(WidgetType, { namespace })).items;
        const maps = new Map(
          (await client.list(ConfigMapType, { namespace })).items.map((map) => [map.metadata?.name, map]),
        );
        lagging = [...expected]
          .filter(([name, message]) => {
            const widget = live.find((w) => w.metadata?.name === name);
            return (
              !widget || widget.spec.message !== message || !isConverged(widget, maps.get(`${name}-out`))
            );
          })
          .map(([name]) => name);
        return lagging.length === 0 && live.length === expected.size && widgets.size() === expected.size
          ? true
          : undefined;
      };
      await eventually(
        () => `every widget to converge (${lagging.length} lagging: ${lagging.slice(0, 10).join(', ')})`,
        converged,
        CONVERGENCE_TIMEOUT_MS,
      );
      console.log(
        `${expected.size} objects converged ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after kube-apiserver came back`,
      );
      // The cache saw the deletions too: nothing deleted lingers, nothing expected is missing.
      expect(
        widgets
          .list()
          .map((w) => w.metadata?.name)
          .sort(),
      ).toEqual([...expected.keys()].sort());
    },
    CONVERGENCE_TIMEOUT_MS + 60_000,
  );
});
