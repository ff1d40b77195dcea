import type { KubernetesObject } from '@kubernetes/client-node';
import { objectKey } from '../informer/keys.ts';
import type { MapFunction } from './types.ts';

/** What `referrers` needs of the primary's informer. */
export interface IndexedCache<P extends KubernetesObject> {
  byIndex(name: string, value: string): P[];
}

/**
 * Maps a changed object to the primary objects that reference it, through the primary informer's
 * index `indexName`, whose values are the referenced objects' keys (`namespace/name`, `keyOf`):
 *
 *   models.addIndex(BY_CONTRACT, (m) => [keyOf(m.metadata?.namespace, m.spec.outputContract.name)]);
 *   builder.watches(contracts, referrers(models, BY_CONTRACT));
 *
 * A lookup in the index, never a scan of the cache: a change re-queues exactly its referrers.
 */
export function referrers<P extends KubernetesObject>(
  primary: IndexedCache<P>,
  indexName: string,
): MapFunction {
  return (object) =>
    primary.byIndex(indexName, objectKey(object)).map((referrer) => ({
      namespace: referrer.metadata?.namespace,
      name: referrer.metadata?.name ?? '',
    }));
}
