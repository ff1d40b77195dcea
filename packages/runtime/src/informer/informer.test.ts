import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../client/kube-client.ts';
import { ConfigMapType } from '../client/resource.ts';
import { Informer } from './informer.ts';

// Never started: indexes are kept without a list or watch.
const informer = () => new Informer({ client: {} as KubeClient, type: ConfigMapType });
const byOwnerLabel = (object: KubernetesObject) => [object.metadata?.labels?.owner ?? ''];

describe('Informer.addIndex on a shared informer', () => {
  it('takes the same index from a second controller as a no-op', () => {
    const shared = informer().addIndex('owner', byOwnerLabel);
    expect(() => shared.addIndex('owner', byOwnerLabel)).not.toThrow();
    expect(shared.byIndex('owner', 'nobody')).toEqual([]);
  });

  it('refuses another function under a name already taken, naming it', () => {
    const shared = informer().addIndex('owner', byOwnerLabel);
    expect(() => shared.addIndex('owner', (object) => [object.metadata?.name ?? ''])).toThrow(
      /index "owner" exists already, with another function/,
    );
  });
});
