/** Shared by the controller's unit tests; not exported from the package. */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../client/resource.ts';
import type { ManualClock } from '../clock.ts';
import type { InformerEvent, InformerHandler } from '../informer/informer.ts';
import type { Source } from './types.ts';

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
