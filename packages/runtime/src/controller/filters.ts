/**
 * Event filters: which informer events are worth a reconcile. They only ever drop `update` events:
 * an add, a delete or a periodic resync always passes, so a filter can delay nothing but redundant work.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { sameJson } from '../helpers/status.ts';
import type { EventFilter } from './types.ts';

/**
 * Passes an update when `project` of the new object differs from `project` of the old one: for an
 * owned object, project what the owner's decide reads (a Job's `status.conditions`, not its
 * `status.active` heartbeat), and the rest of its updates cost no reconcile.
 */
export function projectionChanged<T extends KubernetesObject>(
  project: (object: T) => unknown,
): EventFilter<T> {
  return ({ type, object, old }) =>
    type !== 'update' || old === undefined || !sameJson(project(old), project(object));
}

/**
 * Passes an update only when `metadata.generation` moved, i.e. the spec changed: the status writes a
 * controller makes itself (and label or annotation edits) do not re-queue it. Kinds without a
 * generation (ConfigMaps, Pods) never pass an update through this filter.
 */
export function generationChanged<T extends KubernetesObject>(): EventFilter<T> {
  return projectionChanged((object) => object.metadata?.generation);
}

/** Passes an update when `metadata.annotations` changed (e.g. a manual trigger a GitOps user sets). */
export function annotationsChanged<T extends KubernetesObject>(): EventFilter<T> {
  return projectionChanged((object) => object.metadata?.annotations ?? {});
}

/** Passes what any of the filters passes. */
export function anyOf<T extends KubernetesObject>(...filters: EventFilter<T>[]): EventFilter<T> {
  return (event) => filters.some((filter) => filter(event));
}
