import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../client/resource.ts';
import type { InformerHandler } from '../informer/informer.ts';
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
}

export interface ReconcileContext {
  /** Carries `controller`, `namespace` and `name`. */
  readonly log: Logger;
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

/** Maps a related object to the primary objects that must be reconciled because of it. */
export type MapFunction<T extends KubernetesObject = KubernetesObject> = (
  object: T,
) => ReadonlyArray<{ namespace?: string | undefined; name: string }>;
