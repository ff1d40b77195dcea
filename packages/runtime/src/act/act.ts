import type { KubernetesObject } from '@kubernetes/client-node';
import { isNotFound, StaleObjectError } from '../client/errors.ts';
import type { KubeClient } from '../client/kube-client.ts';
import type { ResourceType } from '../client/resource.ts';
import type { ReconcileResult } from '../controller/types.ts';
import type { RecordedEvent } from '../helpers/events.ts';
import { patchStatusIfChanged } from '../helpers/status.ts';
import { keyOf } from '../informer/keys.ts';
import type { Logger } from '../observability/logger.ts';
import { needsApply, ownedObject } from './desired-state.ts';
import type { Desired, Plan } from './plan.ts';

/** Reads an object from the informer caches; undefined when no cache holds it. */
export type CacheReader = (
  type: ResourceType,
  namespace: string | undefined,
  name: string,
) => KubernetesObject | undefined;

/** What `act` needs besides the plan: a manager's `actor(name)` supplies it. */
export interface ActorDependencies {
  client: KubeClient;
  cache: CacheReader;
  recordEvent: (regarding: KubernetesObject, event: RecordedEvent) => Promise<void>;
}

/**
 * For an owned object whose desired content depends on its own previous content (a history that
 * keeps what it held): before writing it, `act` reads it from the API server, because the cache
 * may not show our last write yet, and carries out `replan(live)` instead of the plan it was given.
 */
export interface Reread<Status extends object, Metrics, T extends KubernetesObject = KubernetesObject> {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly name: string;
  replan(live: T | undefined): Plan<Status, Metrics>;
}

export interface ActOptions<Status extends object, Metrics, T extends KubernetesObject = KubernetesObject> {
  reread?: Reread<Status, Metrics, T>;
  /** Receives `plan.metrics`; required when the plan has metrics. */
  metrics?: (values: Metrics) => void;
}

/** The primary object a plan is about (as the reconcile read it), and its kind. */
interface Primary {
  readonly type: ResourceType;
  readonly object: KubernetesObject & { status?: unknown };
}

export type Act = <Status extends object, Metrics = never, T extends KubernetesObject = KubernetesObject>(
  context: { readonly log: Logger },
  primaryType: ResourceType,
  primary: KubernetesObject & { status?: unknown },
  plan: Plan<Status, Metrics>,
  options?: ActOptions<Status, Metrics, T>,
) => Promise<ReconcileResult>;

/**
 * Carries out a plan, in this order, each step only when the one before succeeded:
 * 1. apply each owned object (with the primary as controller owner), skipping those the cache shows
 *    up to date; re-reading first where `reread` asks for it;
 * 2. delete the objects listed for deletion (already gone is fine);
 *    before 1 and 2 write anything, the primary is read from the API server: a newer version than the
 *    plan was decided from ends the reconcile as a conflict (`StaleObjectError`), nothing written;
 * 3. merge-patch the primary's status when it differs, only over the version the plan was decided from
 *    (409 otherwise): status reports what steps 1–2 did, so a failure there leaves the old status and
 *    the retry writes it;
 * 4. record the events (after the status, so a retried failure does not repeat them);
 * 5. hand the metric values to the sink;
 * 6. return the plan's requeue-after for the controller.
 * Any step that throws ends the reconcile; the controller retries it with backoff.
 */
export function createAct(dependencies: ActorDependencies): Act {
  const { client, cache, recordEvent } = dependencies;
  return async function act<Status extends object, Metrics, T extends KubernetesObject>(
    context: { readonly log: Logger },
    primaryType: ResourceType,
    primaryObject: KubernetesObject & { status?: unknown },
    initialPlan: Plan<Status, Metrics>,
    options: ActOptions<Status, Metrics, T> = {},
  ): Promise<ReconcileResult> {
    const primary: Primary = { type: primaryType, object: primaryObject };
    // A wiring mistake: say so before writing anything, not after every write of every retry.
    if (initialPlan.metrics !== undefined && options.metrics === undefined) {
      throw new TypeError('the plan has metric values but act was given no metrics sink');
    }
    let plan = initialPlan;
    let reread: { desired: Desired; live: KubernetesObject | undefined } | undefined;
    const target = options.reread;
    if (target !== undefined) {
      const desired = plan.apply?.find((candidate) => sameObject(candidate, target));
      if (desired !== undefined && needsApply(owned(primary, desired), cachedCopy(cache, desired))) {
        const live = await client.get<T>(target.type, target.namespace, target.name).catch(ignoreNotFound);
        plan = target.replan(live);
        const replanned = plan.apply?.find((candidate) => sameObject(candidate, target));
        if (replanned !== undefined) reread = { desired: replanned, live };
      }
    }
    const applies = (plan.apply ?? [])
      .map((desired) => ({ desired, object: owned(primary, desired) }))
      .filter(({ desired, object }) =>
        needsApply(object, reread?.desired === desired ? reread.live : cachedCopy(cache, desired)),
      );
    const deletions = plan.delete ?? [];
    if (applies.length > 0 || deletions.length > 0) await requireCurrent(client, primary);
    for (const { desired, object } of applies) {
      context.log.debug({ kind: desired.type.kind, child: desired.object.metadata?.name }, 'applying');
      await client.apply(desired.type, object);
    }
    for (const deletion of deletions) {
      await client
        .delete(deletion.type, deletion.namespace, deletion.name, { propagationPolicy: 'Background' })
        .catch(ignoreNotFound);
    }
    if (plan.status !== undefined) {
      await patchStatusIfChanged(
        client,
        primary.type,
        primary.object,
        plan.status as Record<string, unknown>,
      );
    }
    for (const event of plan.events ?? []) await recordEvent(primary.object, event);
    if (plan.metrics !== undefined) options.metrics?.(plan.metrics);
    return plan.requeueAfterMs === undefined ? {} : { requeueAfterMs: plan.requeueAfterMs };
  };
}

/**
 * Children are decided from the primary's status too (a RetrainPipeline's runs say which Jobs to create and
 * which to delete), and their writes come before the status write that the resourceVersion precondition
 * guards. A primary the cache shows older than the API server's would create a Job for a run already
 * cancelled, or delete the Job of a run recorded meanwhile: read the primary first (one GET, only when
 * children are written), and when it moved on, end the reconcile as a conflict, which is retried once the
 * cache has the newer object.
 */
async function requireCurrent(client: KubeClient, primary: Primary): Promise<void> {
  const { namespace, name, resourceVersion } = primary.object.metadata ?? {};
  if (name === undefined || resourceVersion === undefined) return;
  const live = await client.get(primary.type, namespace, name).catch(ignoreNotFound);
  const liveVersion = live?.metadata?.resourceVersion;
  if (liveVersion !== resourceVersion) {
    throw new StaleObjectError(
      `${primary.type.kind} ${keyOf(namespace, name)} is at resourceVersion ${liveVersion ?? '(deleted)'} ` +
        `but was decided from ${resourceVersion}; not writing its children from the older copy`,
    );
  }
}

function owned(primary: Primary, desired: Desired): KubernetesObject {
  return ownedObject(primary.type, primary.object, desired.type, desired.object);
}

function cachedCopy(cache: CacheReader, desired: Desired): KubernetesObject | undefined {
  return cache(desired.type, desired.object.metadata?.namespace, desired.object.metadata?.name ?? '');
}

function sameObject(
  desired: Desired,
  target: { type: ResourceType; namespace: string | undefined; name: string },
) {
  const metadata = desired.object.metadata;
  return (
    desired.type.apiVersion === target.type.apiVersion &&
    desired.type.kind === target.type.kind &&
    keyOf(metadata?.namespace, metadata?.name ?? '') === keyOf(target.namespace, target.name)
  );
}

function ignoreNotFound(error: unknown): undefined {
  if (isNotFound(error)) return undefined;
  throw error;
}
