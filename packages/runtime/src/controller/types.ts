import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../client/resource.ts';
import type { InformerEvent, InformerHandler } from '../informer/informer.ts';
import type { Logger } from '../observability/logger.ts';

/** The object a reconcile is about; it reads the object itself from the cache. */
export interface ReconcileRequest {
  readonly namespace: string | undefined;
  readonly name: string;
  /** `namespace/name`, the workqueue key. */
  readonly key: string;
}

export interface ReconcileResult {
  /** Run again after this many milliseconds even if nothing changes (e.g. a schedule is due). */
  readonly requeueAfterMs?: number;
  /** Run again soon, with the failure backoff, without counting an error (e.g. waiting for a child). */
  readonly requeue?: boolean;
}

export interface ReconcileContext {
  /** Carries `controller`, `namespace`, `name` and `reconcileID`. */
  readonly log: Logger;
  /** Unique per reconcile run: every log line of one run carries it. */
  readonly reconcileID: string;
  /**
   * Aborted when the reconcile exceeds its timeout or the controller stops. Every KubeClient request
   * made during the reconcile already listens to it; pass it to other cancellable work (fetch, timers).
   */
  readonly signal: AbortSignal;
}

/** Returns when done, or throws: a TerminalError is not retried, anything else is, with backoff. */
export type Reconciler = (
  request: ReconcileRequest,
  context: ReconcileContext,
) => Promise<ReconcileResult | undefined>;

/** What a controller watches: an Informer, or anything else that reports objects of one kind. */
export interface Source<T extends KubernetesObject = KubernetesObject> {
  readonly type: ResourceType;
  subscribe(handler: InformerHandler<T>): void;
}

/** The primary objects to reconcile because of a change to a related object. */
export type MapFunction<T extends KubernetesObject = KubernetesObject> = (
  object: T,
) => ReadonlyArray<{ namespace?: string | undefined; name: string }>;

/** One informer event as an event filter sees it; `old` is set on `update` only. */
export interface WatchEvent<T extends KubernetesObject = KubernetesObject> {
  readonly type: InformerEvent;
  readonly object: T;
  readonly old?: T | undefined;
}

/** Whether an event should enqueue anything (controller-runtime's predicate). */
export type EventFilter<T extends KubernetesObject = KubernetesObject> = (event: WatchEvent<T>) => boolean;

export interface WatchOptions<T extends KubernetesObject = KubernetesObject> {
  /** Only events the filter passes enqueue; default: all. */
  filter?: EventFilter<T>;
}
