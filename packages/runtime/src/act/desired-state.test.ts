import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ConfigMapType } from '../client/resource.ts';
import {
  contains,
  DESIRED_HASH_ANNOTATION,
  MANAGED_BY_LABEL,
  needsApply,
  ownedObject,
} from './desired-state.ts';

const ownerType = {
  apiVersion: 'mlops.steward.dev/v1alpha1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};
const owner: KubernetesObject = { metadata: { namespace: 'ns', name: 'w', uid: 'uid-w' } };
const map = (
  data: Record<string, string>,
  namespace = 'ns',
): KubernetesObject & { data: Record<string, string> } => ({
  metadata: { namespace, name: 'w-history', labels: { app: 'x' } },
  data,
});
const desired = (data: Record<string, string>) => ownedObject(ownerType, owner, ConfigMapType, map(data));
// What the API server returns: our fields plus what it and other managers add.
const live = (object: KubernetesObject): KubernetesObject => ({
  ...object,
  metadata: {
    ...object.metadata,
    uid: 'uid-map',
    resourceVersion: '7',
    labels: { ...object.metadata?.labels, extra: 'y' },
  },
});

describe('ownedObject', () => {
  it("makes the owner the controller, labels the object as Steward's and records the hash of its content", () => {
    const object = desired({ a: '1' });
    expect(object.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Widget', name: 'w', uid: 'uid-w', controller: true }),
    ]);
    expect(object.metadata?.labels).toMatchObject({ app: 'x', [MANAGED_BY_LABEL]: 'steward' });
    expect(object.metadata?.annotations?.[DESIRED_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
    expect(desired({ a: '2' }).metadata?.annotations?.[DESIRED_HASH_ANNOTATION]).not.toBe(
      object.metadata?.annotations?.[DESIRED_HASH_ANNOTATION],
    );
  });

  it('refuses a child in another namespace, which the garbage collector would never tie to its owner', () => {
    expect(() => ownedObject(ownerType, owner, ConfigMapType, map({}, 'other'))).toThrow(
      /Widget ns\/w cannot own ConfigMap other\/w-history: owned objects live in the owner's namespace/,
    );
  });
});

describe('needsApply', () => {
  it('skips an object the cache shows as last applied, whatever the server added', () => {
    expect(needsApply(desired({ a: '1' }), live(desired({ a: '1' })))).toBe(false);
  });

  it('applies when the object is missing, when a value we set was edited, and when we stopped setting a key', () => {
    expect(needsApply(desired({ a: '1' }), undefined)).toBe(true);
    const edited: KubernetesObject & { data: Record<string, string> } = {
      ...live(desired({ a: '1' })),
      data: { a: 'edited' },
    };
    expect(needsApply(desired({ a: '1' }), edited)).toBe(true);
    expect(needsApply(desired({ a: '1' }), live(desired({ a: '1', b: '2' })))).toBe(true);
  });
});

describe('contains', () => {
  it('compares lists item by item and length for length', () => {
    expect(contains([{ a: 1, b: 2 }], [{ a: 1 }])).toBe(true);
    expect(contains([{ a: 1 }, { a: 2 }], [{ a: 1 }])).toBe(false);
    expect(contains({ a: [1] }, { a: { 0: 1 } })).toBe(false);
  });
});
