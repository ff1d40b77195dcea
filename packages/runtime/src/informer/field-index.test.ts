import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FieldIndex, ownerUids } from './field-index.ts';

const owned = (...uids: string[]): KubernetesObject => ({
  metadata: { ownerReferences: uids.map((uid) => ({ apiVersion: 'v1', kind: 'X', name: uid, uid })) },
});

describe('FieldIndex', () => {
  it('finds every object indexed under a value, including objects with several values', () => {
    const index = new FieldIndex(ownerUids);
    index.set('ns/a', owned('u1'));
    index.set('ns/b', owned('u1', 'u2'));
    expect(index.keysFor('u1').sort()).toEqual(['ns/a', 'ns/b']);
    expect(index.keysFor('u2')).toEqual(['ns/b']);
  });

  it('forgets the old value when an update changes what the object is indexed under', () => {
    const index = new FieldIndex(ownerUids);
    index.set('ns/a', owned('u1'));
    index.set('ns/a', owned('u2'));
    expect(index.keysFor('u1')).toEqual([]);
    expect(index.keysFor('u2')).toEqual(['ns/a']);
  });

  it('drops a deleted object from every value', () => {
    const index = new FieldIndex(ownerUids);
    index.set('ns/a', owned('u1', 'u2'));
    index.delete('ns/a');
    expect([index.keysFor('u1'), index.keysFor('u2')]).toEqual([[], []]);
  });

  it('lists an object once when its index function repeats a value', () => {
    const index = new FieldIndex(ownerUids);
    index.set('ns/a', owned('u1', 'u1'));
    index.delete('ns/a');
    expect(index.keysFor('u1')).toEqual([]);
  });
});
