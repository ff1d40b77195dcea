import { ExitCode, UsageError } from '../command.ts';
import { type CommandInput, defineCommand } from '../options.ts';

/** Mirrors @steward/operator's default, which this file must not import at start-up (tested in operator.test.ts). */
export const DEFAULT_METRICS_PORT = 8080;
// The largest TCP port.
const MAX_PORT = 65_535;

export const OPERATOR_OPTIONS = {
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  namespace: { type: 'string' },
  'leader-elect': { type: 'boolean', default: true },
  'leader-election-namespace': { type: 'string' },
} as const;

export interface OperatorArgs {
  httpPort: number;
  httpHost: string | undefined;
  namespace: string | undefined;
  leaderElection: boolean;
  leaderElectionNamespace: string | undefined;
}

/** The options for startOperator; throws a UsageError for the user on bad input. */
export function operatorArgs({
  values,
  positionals,
}: Omit<CommandInput<typeof OPERATOR_OPTIONS>, 'output'>): OperatorArgs {
  if (positionals.length > 0) throw new UsageError(`takes no arguments, got '${positionals[0]}'`);
  const portText = values['metrics-port'];
  const httpPort = portText === undefined ? DEFAULT_METRICS_PORT : Number(portText);
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > MAX_PORT) {
    throw new UsageError(`--metrics-port must be an integer from 0 to ${MAX_PORT}, got '${portText}'`);
  }
  return {
    httpPort,
    httpHost: values['metrics-host'],
    namespace: values.namespace,
    leaderElection: values['leader-elect'] ?? true,
    leaderElectionNamespace: values['leader-election-namespace'],
  };
}

export const command = defineCommand({
  usage:
    'usage: steward operator [--metrics-port N] [--metrics-host HOST] [--namespace NS] [--leader-elect | --no-leader-elect] [--leader-election-namespace NS]',
  help: `Runs the Steward controllers against the cluster in KUBECONFIG (else ~/.kube/config, else the
in-cluster service account) until SIGTERM or SIGINT. It logs JSON lines and prints no result, so it
takes no -o.

  --metrics-port               port of /metrics, /healthz and /readyz; default ${DEFAULT_METRICS_PORT}; 0 picks a free one
  --metrics-host               address to listen on; default all interfaces
  --namespace                  reconcile one namespace only; default all namespaces
  --leader-elect               run the controllers only on the replica holding the Lease (default)
  --no-leader-elect            run them in this process unconditionally (one replica, or local runs)
  --leader-election-namespace  where the Lease lives; default POD_NAMESPACE, else the pod's namespace

exit codes: 0 stopped by a signal, 2 bad usage, 5 failed to start`,
  options: OPERATOR_OPTIONS,
  printsResult: false,
  run: async (input, io) => {
    const args = operatorArgs(input);
    // The Kubernetes client and the controllers load here, when the operator really starts.
    const { startOperator } = await import('@steward/operator');
    try {
      const manager = await startOperator(args);
      io.stderr(`steward operator: serving /metrics, /healthz and /readyz on port ${manager.httpPort}`);
      await manager.stopped;
      return ExitCode.ok;
    } catch (error) {
      io.stderr(`steward operator: ${(error as Error).message}`);
      return ExitCode.failure;
    }
  },
});
