import type { KubernetesObject } from '@kubernetes/client-node';
import { API_VERSION, OutputContractNames } from '@steward/api';
import { ConfigMapType, isControlledBy, type Manager, type ResourceType } from '@steward/runtime';
import { type ControllerOptions, scopeAndClock } from '../controller-options.ts';
import { decide, type ObservedOutputContract } from './decide.ts';
import { type ConfigMapObject, HISTORY_LABEL, historyConfigMapName } from './history.ts';
import { OutputContractMetrics } from './metrics.ts';

export const OutputContractType: ResourceType = {
  apiVersion: API_VERSION,
  kind: OutputContractNames.kind,
  plural: OutputContractNames.plural,
  namespaced: true,
};

export const OUTPUT_CONTRACT_CONTROLLER = 'output-contract';

export type OutputContractControllerOptions = ControllerOptions;

/**
 * Registers the OutputContract controller on `manager`: observe the contract and its history ConfigMap
 * from the cache, `decide`, and `act` (apply the history, patch the status, record events, set metrics).
 */
export function addOutputContractController(
  manager: Manager,
  options: OutputContractControllerOptions = {},
): void {
  const { scope, clock } = scopeAndClock(options);
  const contracts = manager.informer<ObservedOutputContract>(OutputContractType, scope);
  // Only maps carrying the history label: the operator never caches every ConfigMap of the cluster.
  const histories = manager.informer<ConfigMapObject>(ConfigMapType, {
    ...scope,
    labelSelector: HISTORY_LABEL,
  });
  const act = manager.actor(OUTPUT_CONTRACT_CONTROLLER);
  const metrics = new OutputContractMetrics(manager.metrics.registry);

  /** The history this contract owns; a map left by a deleted namesake is not its history. */
  const ownedHistory = (contract: KubernetesObject, map: ConfigMapObject | undefined) =>
    map !== undefined && isControlledBy(map, contract) ? map : undefined;

  manager
    .controller(OUTPUT_CONTRACT_CONTROLLER)
    // A spec edit (new generation) is a new version to publish; a status-only update re-runs to a no-op.
    .for(contracts)
    // A user who edits or deletes the history map re-queues its contract, which writes it back.
    .owns(histories)
    .complete(async (request, context) => {
      const namespace = request.namespace ?? '';
      const contract = contracts.get(request.namespace, request.name);
      if (contract === undefined) {
        // Deleted: garbage collection removes the history map (owner reference); drop its series.
        metrics.forget(namespace, request.name);
        return undefined;
      }
      const mapName = historyConfigMapName(request.name);
      const now = new Date(clock.now());
      const decideFrom = (history: ConfigMapObject | undefined) => {
        const plan = decide({ contract, history: ownedHistory(contract, history), now });
        if (plan.unreadableHistory.length > 0) {
          context.log.warn({ keys: plan.unreadableHistory }, 'dropping history entries that cannot be read');
        }
        return plan;
      };
      // Nothing here depends on time: no requeue, the next change to the contract or its map re-runs it.
      return act(context, OutputContractType, contract, decideFrom(histories.get(namespace, mapName)), {
        // The new history keeps what the map held: before writing it, decide again from the live map,
        // because the cache may lag behind our last write, and a history computed from a stale map
        // would drop the versions it does not show.
        reread: { type: ConfigMapType, namespace, name: mapName, replan: decideFrom },
        metrics: (values) => metrics.set(namespace, request.name, values),
      });
    });
}
