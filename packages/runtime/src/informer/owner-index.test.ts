import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { OwnerIndex } from './owner-index.ts';

const owned = (...uids: string[]): KubernetesObject => ({
  metadata: { ownerReferences: uids.map((uid) => ({ apiVersion: 'v1', kind: 'X', name: uid, uid })) },
});

describe('OwnerIndex', () => {
  it('finds every object that names an owner, including objects with several owners', () => {
    const index = new OwnerIndex();
    index.set('ns/a', owned('u1'));
    index.set('ns/b', owned('u1', 'u2'));
    expect([...index.keysOwnedBy('u1')].sort()).toEqual(['ns/a', 'ns/b']);
    expect(index.keysOwnedBy('u2')).toEqual(['ns/b']);
  });

  it('forgets the old owner when an update changes the ownerReferences', () => {
    const index = new OwnerIndex();
    index.set('ns/a', owned('u1'));
    index.set('ns/a', owned('u2'));
    expect(index.keysOwnedBy('u1')).toEqual([]);
    expect(index.keysOwnedBy('u2')).toEqual(['ns/a']);
  });

  it('drops a deleted object from every owner', () => {
    const index = new OwnerIndex();
    index.set('ns/a', owned('u1', 'u2'));
    index.delete('ns/a');
    expect([index.keysOwnedBy('u1'), index.keysOwnedBy('u2')]).toEqual([[], []]);
  });
});
