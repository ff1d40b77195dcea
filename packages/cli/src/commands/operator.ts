import { parseArgs } from 'node:util';
import { DEFAULT_OPERATOR_HTTP_PORT, startOperator } from '@steward/operator';
import { type Command, ExitCode } from '../command.ts';

export const OPERATOR_USAGE =
  'usage: steward operator [--metrics-port N] [--metrics-host HOST] [--namespace NS] [--leader-elect | --no-leader-elect] [--leader-election-namespace NS]';

export const operatorHelp = `${OPERATOR_USAGE}

Runs the Steward controllers against the cluster in KUBECONFIG (else ~/.kube/config, else the
in-cluster service account) until SIGTERM or SIGINT.

  --metrics-port               port of /metrics, /healthz and /readyz; default ${DEFAULT_OPERATOR_HTTP_PORT}; 0 picks a free one
  --metrics-host               address to listen on; default all interfaces
  --namespace                  reconcile one namespace only; default all namespaces
  --leader-elect               run the controllers only on the replica holding the Lease (default)
  --no-leader-elect            run them in this process unconditionally (one replica, or local runs)
  --leader-election-namespace  where the Lease lives; default POD_NAMESPACE, else the pod's namespace

exit codes: 0 stopped by a signal, 1 failed to start, 2 bad usage`;

// The largest TCP port.
const MAX_PORT = 65_535;
const ExitFailed = 1;

interface OperatorArgs {
  httpPort: number;
  httpHost: string | undefined;
  namespace: string | undefined;
  leaderElection: boolean;
  leaderElectionNamespace: string | undefined;
}

/** Parses the flags; throws a message for the user on bad input. */
export function parseOperatorArgs(args: readonly string[]): OperatorArgs {
  const { values } = parseArgs({
    args: [...args],
    allowPositionals: false,
    allowNegative: true,
    strict: true,
    options: {
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      namespace: { type: 'string' },
      'leader-elect': { type: 'boolean', default: true },
      'leader-election-namespace': { type: 'string' },
    },
  });
  const portText = values['metrics-port'];
  const httpPort = portText === undefined ? DEFAULT_OPERATOR_HTTP_PORT : Number(portText);
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > MAX_PORT) {
    throw new Error(`--metrics-port must be an integer from 0 to ${MAX_PORT}, got '${portText}'`);
  }
  return {
    httpPort,
    httpHost: values['metrics-host'],
    namespace: values.namespace,
    leaderElection: values['leader-elect'],
    leaderElectionNamespace: values['leader-election-namespace'],
  };
}

export const operatorCommand: Command = {
  name: 'operator',
  summary: 'run the Steward controllers (the operator process)',
  run: async (args, io) => {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(operatorHelp);
      return ExitCode.ok;
    }
    let options: OperatorArgs;
    try {
      options = parseOperatorArgs(args);
    } catch (error) {
      io.stderr(`steward operator: ${(error as Error).message}\n${OPERATOR_USAGE}`);
      return ExitCode.usage;
    }
    try {
      const manager = await startOperator(options);
      io.stderr(`steward operator: serving /metrics, /healthz and /readyz on port ${manager.httpPort}`);
      await manager.stopped;
      return ExitCode.ok;
    } catch (error) {
      io.stderr(`steward operator: ${(error as Error).message}`);
      return ExitFailed;
    }
  },
};
