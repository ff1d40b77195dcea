import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * The values an object is indexed under, e.g. the `namespace/name` of the OutputContract a
 * ModelDeployment names. Pure and cheap: it runs on every add and update of the indexed kind.
 */
export type IndexFunction<T extends KubernetesObject = KubernetesObject> = (object: T) => readonly string[];

/** value -> keys of the cached objects the index function maps to it; kept up on every change. */
export class FieldIndex<T extends KubernetesObject = KubernetesObject> {
  readonly #valuesOf: IndexFunction<T>;
  readonly #keysByValue = new Map<string, Set<string>>();
  readonly #valuesByKey = new Map<string, readonly string[]>();

  constructor(valuesOf: IndexFunction<T>) {
    this.#valuesOf = valuesOf;
  }

  /** Whether this index is kept with exactly `valuesOf` (the same function, not an equal one). */
  uses(valuesOf: IndexFunction<T>): boolean {
    return this.#valuesOf === valuesOf;
  }

  set(key: string, object: T): void {
    this.delete(key);
    const values = [...new Set(this.#valuesOf(object))];
    if (values.length === 0) return;
    this.#valuesByKey.set(key, values);
    for (const value of values) {
      let keys = this.#keysByValue.get(value);
      if (keys === undefined) {
        keys = new Set();
        this.#keysByValue.set(value, keys);
      }
      keys.add(key);
    }
  }

  delete(key: string): void {
    for (const value of this.#valuesByKey.get(key) ?? []) {
      const keys = this.#keysByValue.get(value);
      keys?.delete(key);
      if (keys?.size === 0) this.#keysByValue.delete(value);
    }
    this.#valuesByKey.delete(key);
  }

  keysFor(value: string): string[] {
    return [...(this.#keysByValue.get(value) ?? [])];
  }
}

/** The index `Informer.ownedBy` uses: every owner UID in `metadata.ownerReferences`. */
export const ownerUids: IndexFunction = (object) =>
  (object.metadata?.ownerReferences ?? []).map((ref) => ref.uid);
