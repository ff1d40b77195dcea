import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../client/resource.ts';
import type { RecordedEvent } from '../helpers/events.ts';

/** An owned object in the state it should be in, and where it lives in the API. */
export interface Desired<T extends KubernetesObject = KubernetesObject> {
  readonly type: ResourceType;
  readonly object: T;
}

/** An owned object that should no longer exist. */
export interface Deletion {
  readonly type: ResourceType;
  readonly namespace?: string | undefined;
  readonly name: string;
}

/**
 * What a reconcile's pure `decide` wants done; `act` carries it out. Every field is optional, so a
 * plan says only what matters to it. `Status` is the primary's status as a merge patch (`null`
 * removes a field); `Metrics` is whatever values the controller's metrics sink takes.
 */
export interface Plan<Status extends object = Record<string, unknown>, Metrics = never> {
  /** Owned objects to server-side apply (field manager `steward`), in this order. */
  readonly apply?: readonly Desired[];
  /** Owned objects to delete (background propagation, so a Job's Pods go too); gone already is fine. */
  readonly delete?: readonly Deletion[];
  /** Merge-patched on the status subresource, only when it differs from the cached status. */
  readonly status?: Status;
  /** Recorded on the primary after the status write. */
  readonly events?: readonly RecordedEvent[];
  /** Handed to the controller's metrics sink last, once everything else succeeded. */
  readonly metrics?: Metrics;
  /** Reconcile again after this long even if nothing changes (e.g. a review falling due). */
  readonly requeueAfterMs?: number;
}
