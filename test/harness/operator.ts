import { type ChildProcess, spawn } from 'node:child_process';
import { sharedControlPlaneInfo } from './context.ts';
import { freePort } from './ports.ts';

const stewardBin = new URL('../../packages/cli/bin/steward.js', import.meta.url).pathname;

export interface OperatorProcess {
  child: ChildProcess;
  /** Port of /metrics, /healthz and /readyz on 127.0.0.1. */
  metricsPort: number;
}

/**
 * Starts the real `steward operator` process against the run's control plane, watching one namespace,
 * without leader election unless the test names a Lease namespace; its stderr goes to the test's.
 */
export async function startOperatorProcess(
  namespace: string,
  options: { env?: Record<string, string>; leaderElectionNamespace?: string } = {},
): Promise<OperatorProcess> {
  const metricsPort = await freePort();
  const election =
    options.leaderElectionNamespace === undefined
      ? ['--no-leader-elect']
      : ['--leader-election-namespace', options.leaderElectionNamespace];
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      stewardBin,
      'operator',
      '--metrics-port',
      String(metricsPort),
      '--metrics-host',
      '127.0.0.1',
      '--namespace',
      namespace,
      ...election,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        KUBECONFIG: sharedControlPlaneInfo().kubeconfigPath,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
    },
  );
  return { child, metricsPort };
}
