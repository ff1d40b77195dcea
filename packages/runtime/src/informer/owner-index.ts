import type { KubernetesObject } from '@kubernetes/client-node';

/** owner UID -> keys of the cached objects whose ownerReferences name it. */
export class OwnerIndex {
  readonly #byOwner = new Map<string, Set<string>>();
  readonly #ownersOf = new Map<string, readonly string[]>();

  set(key: string, object: KubernetesObject): void {
    this.delete(key);
    const owners = (object.metadata?.ownerReferences ?? []).map((ref) => ref.uid);
    if (owners.length === 0) return;
    this.#ownersOf.set(key, owners);
    for (const uid of owners) {
      let keys = this.#byOwner.get(uid);
      if (keys === undefined) {
        keys = new Set();
        this.#byOwner.set(uid, keys);
      }
      keys.add(key);
    }
  }

  delete(key: string): void {
    for (const uid of this.#ownersOf.get(key) ?? []) {
      const keys = this.#byOwner.get(uid);
      keys?.delete(key);
      if (keys?.size === 0) this.#byOwner.delete(uid);
    }
    this.#ownersOf.delete(key);
  }

  keysOwnedBy(uid: string): readonly string[] {
    return [...(this.#byOwner.get(uid) ?? [])];
  }
}
