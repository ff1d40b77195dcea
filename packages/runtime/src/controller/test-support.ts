/** Shared by the controller's unit tests; not exported from the package. */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../client/resource.ts';
import { ManualClock } from '../clock.ts';
import type { InformerEvent, InformerHandler } from '../informer/informer.ts';
import { RuntimeMetrics } from '../observability/metrics.ts';
import { ExponentialFailureRateLimiter } from '../workqueue/rate-limiter.ts';
import { controllerBuilder } from './builder.ts';
import type { Reconciler, Source } from './types.ts';

/** Stands in for an informer: the controller only needs objects reported to its handlers. */
export class FakeSource implements Source {
  readonly type: ResourceType;
  readonly #handlers: InformerHandler<KubernetesObject>[] = [];
  constructor(type: ResourceType) {
    this.type = type;
  }
  subscribe(handler: InformerHandler<KubernetesObject>): void {
    this.#handlers.push(handler);
  }
  emit(object: KubernetesObject, event: InformerEvent = 'add', old?: KubernetesObject): void {
    for (const handler of this.#handlers) handler(event, object, old);
  }
}

export const widgetType: ResourceType = {
  apiVersion: 'test.steward.dev/v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};

export const widget = (name: string, generation = 1): KubernetesObject => ({
  metadata: { namespace: 'ns', name, uid: `uid-${name}`, generation },
});

// Lets the awaits inside the worker loop run; the manual clock decides every delay.
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runFor(clock: ManualClock, totalMs: number, stepMs = 1): Promise<void> {
  for (let elapsed = 0; elapsed < totalMs; elapsed += stepMs) {
    clock.advance(stepMs);
    await settle();
  }
}

/**
 * A started 'widgets' controller on a manual clock, with per-key backoff only (no token bucket) and
 * its own metrics; `metric(prefix)` reads the value of the first series starting with `prefix`.
 */
export function startWidgetController(reconcile: Reconciler, options: { reconcileTimeoutMs?: number } = {}) {
  const clock = new ManualClock(1_000_000);
  const widgets = new FakeSource(widgetType);
  const metrics = new RuntimeMetrics({ processMetrics: false });
  const builder = controllerBuilder('widgets')
    .for(widgets)
    .withClock(clock)
    .withRateLimiter(new ExponentialFailureRateLimiter())
    .withMetrics(metrics.forController('widgets'));
  if (options.reconcileTimeoutMs !== undefined) builder.withReconcileTimeout(options.reconcileTimeoutMs);
  const controller = builder.complete(reconcile);
  controller.start();
  const metric = async (prefix: string) => {
    const line = (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith(prefix));
    return Number(line?.split(' ').at(-1));
  };
  return { clock, widgets, metrics, controller, metric };
}
