import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import type { ResourceType } from '../client/resource.ts';

/**
 * The reference that makes `owner` the controller of a child: garbage collection deletes the child
 * with its owner, and `Controller.owns` maps the child's events back to the owner.
 */
export function controllerReference(type: ResourceType, owner: KubernetesObject): V1OwnerReference {
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!name || !uid) {
    throw new Error(
      `cannot reference ${type.kind} ${name ?? '<unnamed>'} as owner: it has no ${name ? 'uid' : 'name'} (read it from the API first)`,
    );
  }
  // blockOwnerDeletion: with foreground deletion the owner waits for the child, so status never
  // reports a "deleted" owner whose children still run.
  return {
    apiVersion: type.apiVersion,
    kind: type.kind,
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isControlledBy(object: KubernetesObject, owner: KubernetesObject): boolean {
  const uid = owner.metadata?.uid;
  return (
    uid !== undefined &&
    (object.metadata?.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === uid)
  );
}
