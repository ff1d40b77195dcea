/**
 * Whether an owned object must be applied, judged from the cache without an API call. An object is up
 * to date when it carries the hash of exactly what we would apply now (so a field we stopped setting
 * is noticed) and still holds every value we set (so an edit by someone else is reverted).
 */
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../client/resource.ts';
import { controllerReference } from '../helpers/owner-references.ts';
import { canonicalJson, sameJson } from '../helpers/status.ts';

/** Recommended label on every object Steward applies, so informers of children can select them. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'steward';
/** The label selector of an informer that caches only what Steward applied. */
export const MANAGED_BY_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
/** Hash of the applied content (without this annotation), compared on the next reconcile. */
export const DESIRED_HASH_ANNOTATION = 'steward.dev/desired-hash';
// 64 bits of SHA-256: a collision would need 2^32 distinct desired states of one object.
const HASH_LENGTH = 16;

/** The object `act` applies: owned by `owner` (controller reference), labelled, and hashed. */
export function ownedObject(
  ownerType: ResourceType,
  owner: KubernetesObject,
  childType: ResourceType,
  object: KubernetesObject,
): KubernetesObject {
  const metadata = object.metadata ?? {};
  const ownerNamespace = owner.metadata?.namespace;
  if (ownerType.namespaced && (!childType.namespaced || metadata.namespace !== ownerNamespace)) {
    // The garbage collector ignores (and the API may reject) a reference across namespaces.
    throw new Error(
      `${ownerType.kind} ${ownerNamespace}/${owner.metadata?.name} cannot own ${childType.kind} ${metadata.namespace ?? ''}/${metadata.name}: owned objects live in the owner's namespace`,
    );
  }
  const reference = controllerReference(ownerType, owner);
  const others = (metadata.ownerReferences ?? []).filter((ref) => ref.uid !== reference.uid);
  const content: KubernetesObject = {
    ...object,
    apiVersion: childType.apiVersion,
    kind: childType.kind,
    metadata: {
      ...metadata,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, ...metadata.labels },
      ownerReferences: [...others, reference],
    },
  };
  const hash = createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, HASH_LENGTH);
  return {
    ...content,
    metadata: {
      ...content.metadata,
      annotations: { ...metadata.annotations, [DESIRED_HASH_ANNOTATION]: hash },
    },
  };
}

/** Whether applying `desired` (from `ownedObject`) would change `current`. */
export function needsApply(desired: KubernetesObject, current: KubernetesObject | undefined): boolean {
  if (current === undefined) return true;
  const hash = desired.metadata?.annotations?.[DESIRED_HASH_ANNOTATION];
  return current.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] !== hash || !contains(current, desired);
}

/**
 * Whether `live` holds every value of `wanted`: objects may have more keys (defaults the server
 * filled in), lists must have the same length with each item contained in turn.
 */
export function contains(live: unknown, wanted: unknown): boolean {
  // JSON drops an undefined value: the apply does not send it, so it cannot differ.
  if (wanted === undefined) return true;
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(live) &&
      live.length === wanted.length &&
      wanted.every((item, i) => contains(live[i], item))
    );
  }
  if (typeof wanted === 'object' && wanted !== null) {
    if (typeof live !== 'object' || live === null || Array.isArray(live)) return false;
    const liveRecord = live as Record<string, unknown>;
    return Object.entries(wanted).every(([key, value]) => contains(liveRecord[key], value));
  }
  return sameJson(live, wanted);
}
