// @steward/operator: the Steward controllers and the operator process that runs them.
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_HTTP_PORT, Manager } from '@steward/runtime';
import { inClusterApiServerEnv } from './api-server-env.ts';
import type { ControllerOptions } from './controller-options.ts';
import { addDriftMonitorController, type DriftMonitorControllerOptions } from './driftmonitor/controller.ts';
import { addModelDeploymentController } from './modeldeployment/controller.ts';
import { addOutputContractController } from './outputcontract/controller.ts';
import { addRetrainPipelineController } from './retrainpipeline/controller.ts';

export type { ControllerOptions } from './controller-options.ts';
export {
  addDriftMonitorController,
  DRIFT_MONITOR_CONTROLLER,
  type DriftMonitorControllerOptions,
} from './driftmonitor/controller.ts';
export { DriftMonitorType, ModelDeploymentType, RetrainPipelineType } from './kinds.ts';
export { renderMlBom } from './modeldeployment/card/cyclonedx.ts';
export type { CardFacts } from './modeldeployment/card/facts.ts';
export { renderCardMarkdown } from './modeldeployment/card/markdown.ts';
export {
  addModelDeploymentController,
  MODEL_DEPLOYMENT_CONTROLLER,
  type ModelDeploymentControllerOptions,
} from './modeldeployment/controller.ts';
export {
  decide as decideModelDeployment,
  type ModelDeploymentPlan,
  type ObservedModelDeployment,
} from './modeldeployment/decide.ts';
export {
  evaluateGates,
  type GateFailure,
  type GateInputs,
  type GateReport,
} from './modeldeployment/gates/index.ts';
export {
  addOutputContractController,
  OUTPUT_CONTRACT_CONTROLLER,
  type OutputContractControllerOptions,
  OutputContractType,
} from './outputcontract/controller.ts';
export {
  type ContractMetricValues,
  decide as decideOutputContract,
  type ObservedOutputContract,
  type OutputContractPlan,
} from './outputcontract/decide.ts';
export { HISTORY_LABEL, historyConfigMapName, historyKey, readHistory } from './outputcontract/history.ts';
export {
  addRetrainPipelineController,
  RETRAIN_PIPELINE_CONTROLLER,
  type RetrainPipelineControllerOptions,
} from './retrainpipeline/controller.ts';
export { decide as decideRetrainPipeline } from './retrainpipeline/decide.ts';

/** Registers every Steward controller that exists on `manager` (call before `manager.start()`). */
export function addControllers(manager: Manager, options: DriftMonitorControllerOptions = {}): void {
  addOutputContractController(manager, options);
  addDriftMonitorController(manager, options);
  addRetrainPipelineController(manager, options);
  addModelDeploymentController(manager, options);
}

/** The port of /metrics, /healthz and /readyz unless told otherwise (controller-runtime's metrics port). */
export const DEFAULT_OPERATOR_HTTP_PORT = DEFAULT_HTTP_PORT;
// One Lease for all replicas of the operator.
export const LEADER_ELECTION_LEASE = 'steward-operator';
const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
const FALLBACK_NAMESPACE = 'default';

export interface OperatorOptions extends ControllerOptions {
  /** Default: KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeConfig?: KubeConfig;
  /** /metrics, /healthz and /readyz; 0 picks a free port. */
  httpPort?: number;
  httpHost?: string;
  leaderElection?: boolean;
  /** Where the Lease lives; default: POD_NAMESPACE, the pod's own namespace, then the watched one. */
  leaderElectionNamespace?: string | undefined;
  handleSignals?: boolean;
}

/** Builds the operator process (manager + every controller) and starts it; await `stopped` to run until shutdown. */
export async function startOperator(options: OperatorOptions = {}): Promise<Manager> {
  const kubeConfig = options.kubeConfig ?? defaultKubeConfig();
  const manager = new Manager({
    kubeConfig,
    httpPort: options.httpPort ?? DEFAULT_HTTP_PORT,
    ...(options.httpHost === undefined ? {} : { httpHost: options.httpHost }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    handleSignals: options.handleSignals ?? true,
    ...(options.leaderElection
      ? {
          leaderElection: {
            namespace: options.leaderElectionNamespace ?? leaseNamespace(options.namespace),
            name: LEADER_ELECTION_LEASE,
          },
        }
      : {}),
  });
  addControllers(manager, { ...options, apiServerEnv: inClusterApiServerEnv(kubeConfig) });
  await manager.start();
  return manager;
}

function defaultKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}

function leaseNamespace(watched: string | undefined): string {
  if (process.env.POD_NAMESPACE) return process.env.POD_NAMESPACE;
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE_FILE, 'utf8').trim();
  } catch {
    return watched ?? FALLBACK_NAMESPACE;
  }
}
