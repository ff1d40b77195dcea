import type { KubernetesObject } from '@kubernetes/client-node';
import { API_VERSION, OutputContractNames } from '@steward/api';
import {
  type Clock,
  ConfigMapType,
  controllerReference,
  isControlledBy,
  isNotFound,
  type Manager,
  patchStatusIfChanged,
  type ResourceType,
  sameJson,
  systemClock,
} from '@steward/runtime';
import { decide, type ObservedOutputContract, type Plan } from './decide.ts';
import { type ConfigMapObject, HISTORY_LABEL, historyConfigMapName } from './history.ts';
import { OutputContractMetrics } from './metrics.ts';

export const OutputContractType: ResourceType = {
  apiVersion: API_VERSION,
  kind: OutputContractNames.kind,
  plural: OutputContractNames.plural,
  namespaced: true,
};

export const OUTPUT_CONTRACT_CONTROLLER = 'output-contract';

export interface OutputContractControllerOptions {
  /** Watch one namespace only; default: all. */
  namespace?: string | undefined;
  clock?: Clock;
}

/**
 * Registers the OutputContract controller on `manager`: observe the contract and its history ConfigMap
 * from the cache, `decide`, then apply the history, patch the status, record events, set metrics.
 */
export function addOutputContractController(
  manager: Manager,
  options: OutputContractControllerOptions = {},
): void {
  const scope = options.namespace ? { namespace: options.namespace } : {};
  const clock = options.clock ?? systemClock;
  const contracts = manager.informer<ObservedOutputContract>(OutputContractType, scope);
  // Only maps carrying the history label: the operator never caches every ConfigMap of the cluster.
  const histories = manager.informer<ConfigMapObject>(ConfigMapType, {
    ...scope,
    labelSelector: HISTORY_LABEL,
  });
  const client = manager.client;
  const recorder = manager.eventRecorder(OUTPUT_CONTRACT_CONTROLLER);
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
    .complete(async (request, { log }) => {
      const namespace = request.namespace ?? '';
      const contract = contracts.get(request.namespace, request.name);
      if (contract === undefined) {
        // Deleted: garbage collection removes the history map (owner reference); drop its series.
        metrics.forget(namespace, request.name);
        return undefined;
      }
      const mapName = historyConfigMapName(request.name);
      const now = new Date(clock.now());
      let plan = decide({
        contract,
        history: ownedHistory(contract, histories.get(namespace, mapName)),
        now,
      });
      if (plan.history !== undefined && historyDiffers(histories.get(namespace, mapName), plan)) {
        // About to write: decide again from the live map, because the cache may lag behind our last
        // write, and a history computed from a stale map would drop the versions it does not show.
        const live = await client
          .get<ConfigMapObject>(ConfigMapType, namespace, mapName)
          .catch((error: unknown) => {
            if (isNotFound(error)) return undefined;
            throw error;
          });
        plan = decide({ contract, history: ownedHistory(contract, live), now });
        if (plan.history !== undefined && historyDiffers(ownedHistory(contract, live), plan)) {
          await client.apply(ConfigMapType, {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              namespace,
              name: plan.history.name,
              labels: plan.history.labels,
              ownerReferences: [controllerReference(OutputContractType, contract)],
            },
            data: plan.history.data,
          } as ConfigMapObject);
        }
      }
      if (plan.unreadableHistory.length > 0) {
        log.warn({ keys: plan.unreadableHistory }, 'dropping history entries that cannot be read');
      }
      await patchStatusIfChanged(client, OutputContractType, contract, plan.status);
      // After the status write: a failed write retries the reconcile, and the recorder folds repeats.
      for (const event of plan.events) await recorder.record(contract, event);
      if (plan.metrics !== undefined) metrics.set(namespace, request.name, plan.metrics);
      // Nothing here depends on time: no requeue, the next change to the contract or its map re-runs it.
      return undefined;
    });
}

function historyDiffers(current: ConfigMapObject | undefined, plan: Plan): boolean {
  if (plan.history === undefined) return false;
  if (current === undefined) return true;
  const labels = current.metadata?.labels ?? {};
  return (
    !sameJson(current.data ?? {}, plan.history.data) ||
    Object.entries(plan.history.labels).some(([key, value]) => labels[key] !== value)
  );
}
