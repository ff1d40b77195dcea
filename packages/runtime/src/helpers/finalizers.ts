import type { KubernetesObject } from '@kubernetes/client-node';
import type { JsonPatchOperation, KubeClient } from '../client/kube-client.ts';
import type { ResourceType } from '../client/resource.ts';

export function hasFinalizer(object: KubernetesObject, finalizer: string): boolean {
  return (object.metadata?.finalizers ?? []).includes(finalizer);
}

/** Adds `finalizer` unless present. Returns the updated object, or the input when nothing changed. */
export async function addFinalizer<T extends KubernetesObject>(
  client: KubeClient,
  type: ResourceType,
  object: T,
  finalizer: string,
): Promise<T> {
  if (hasFinalizer(object, finalizer)) return object;
  const finalizers = object.metadata?.finalizers ?? [];
  // The `test` op makes the patch apply only to the list we read: if another controller changed the
  // finalizers meanwhile, the server rejects the patch and the reconcile retries on fresh data
  // instead of overwriting theirs. `null` tests that the field is absent.
  const operations: JsonPatchOperation[] =
    finalizers.length === 0
      ? [
          { op: 'test', path: '/metadata/finalizers', value: null },
          { op: 'add', path: '/metadata/finalizers', value: [finalizer] },
        ]
      : [
          { op: 'test', path: '/metadata/finalizers', value: finalizers },
          { op: 'add', path: '/metadata/finalizers/-', value: finalizer },
        ];
  return client.jsonPatch<T>(type, object.metadata?.namespace, nameOf(type, object), operations);
}

/** Removes `finalizer` if present, guarded the same way; returns the updated object. */
export async function removeFinalizer<T extends KubernetesObject>(
  client: KubeClient,
  type: ResourceType,
  object: T,
  finalizer: string,
): Promise<T> {
  const index = (object.metadata?.finalizers ?? []).indexOf(finalizer);
  if (index < 0) return object;
  // Removal is by index, so the test pins that the index still holds our finalizer.
  return client.jsonPatch<T>(type, object.metadata?.namespace, nameOf(type, object), [
    { op: 'test', path: `/metadata/finalizers/${index}`, value: finalizer },
    { op: 'remove', path: `/metadata/finalizers/${index}` },
  ]);
}

function nameOf(type: ResourceType, object: KubernetesObject): string {
  const name = object.metadata?.name;
  if (!name) throw new Error(`cannot patch the finalizers of a ${type.kind} without metadata.name`);
  return name;
}
