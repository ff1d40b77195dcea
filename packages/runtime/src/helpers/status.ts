import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../client/kube-client.ts';
import type { ResourceType } from '../client/resource.ts';

type WithStatus = KubernetesObject & { status?: unknown };

/**
 * Writes `status` through the status subresource with a JSON merge patch — never `spec`, which
 * belongs to the user and GitOps. Skips the write when the status is already what we would write,
 * so an idle reconcile costs no API call and triggers no watch event. Returns whether it wrote.
 * As in any merge patch, a field absent from `status` is left alone; set it to `null` to remove it.
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
  await client.mergePatch(type, object.metadata?.namespace, name, { status }, { subresource: 'status' });
  return true;
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
