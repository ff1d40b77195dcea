import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../client/kube-client.ts';
import type { ResourceType } from '../client/resource.ts';

type WithStatus = KubernetesObject & { status?: unknown };

/**
 * Writes `status` through the status subresource with a JSON merge patch — never `spec`, which
 * belongs to the user and GitOps. Skips the write when the status is already what we would write,
 * so an idle reconcile costs no API call and triggers no watch event. Returns whether it wrote.
 * A top-level field absent from `status` is left alone (set it to `null` to remove it); a field that
 * is present is written as exactly that value (see replacingPatch).
 *
 * The patch carries `object`'s `metadata.resourceVersion` as a precondition: the API server applies it
 * only to that very version and answers 409 Conflict otherwise. A status computed from a lagging cache
 * (which does not show a run, a drill step or a handled request recorded meanwhile) would otherwise
 * replace the newer fields whole and lose them; the replacing patch, too, is computed against `object`'s
 * status and is only right for that version. The conflict ends the reconcile, and the retry (with
 * backoff) decides again from the newer object.
 */
export async function patchStatusIfChanged(
  client: KubeClient,
  type: ResourceType,
  object: WithStatus,
  status: Record<string, unknown>,
): Promise<boolean> {
  if (!statusDiffers(object.status, status)) return false;
  const name = object.metadata?.name;
  if (!name) throw new Error(`cannot patch the status of a ${type.kind} without metadata.name`);
  const resourceVersion = object.metadata?.resourceVersion;
  await client.mergePatch(
    type,
    object.metadata?.namespace,
    name,
    {
      ...(resourceVersion === undefined ? {} : { metadata: { resourceVersion } }),
      status: replacingPatch(object.status, status),
    },
    { subresource: 'status' },
  );
  return true;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The merge patch that leaves each top-level field of `desired` exactly as given. A plain merge patch
 * merges nested objects, so a key the live status holds and the new value lacks would survive: a check
 * result without a value would keep the previous check's value. Such keys, at any depth, are set to null
 * (which a merge patch removes); lists are replaced whole by a merge patch anyway.
 */
export function replacingPatch(live: unknown, desired: JsonObject): JsonObject {
  const current = isObject(live) ? live : {};
  return Object.fromEntries(
    Object.entries(desired).map(([key, value]) => [key, replacing(current[key], value)]),
  );
}

function replacing(live: unknown, desired: unknown): unknown {
  if (!isObject(live) || !isObject(desired)) return desired;
  const patch: JsonObject = {};
  for (const key of Object.keys(live)) if (!(key in desired)) patch[key] = null;
  for (const [key, value] of Object.entries(desired)) patch[key] = replacing(live[key], value);
  return patch;
}

/** Whether merge-patching `desired` into `live` would change anything. */
export function statusDiffers(live: unknown, desired: Record<string, unknown>): boolean {
  const current = (typeof live === 'object' && live !== null ? live : {}) as Record<string, unknown>;
  return Object.entries(desired).some(([key, value]) =>
    value === null ? current[key] !== undefined : !sameJson(current[key], value),
  );
}

/** Structural equality with key order ignored, as the API server would compare the JSON. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so equal content always gives the same text (and hash). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  });
}
