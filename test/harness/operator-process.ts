import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { sharedControlPlaneInfo } from './context.ts';
import { eventually } from './eventually.ts';
import { freePort } from './ports.ts';

const stewardBin = new URL('../../packages/cli/bin/steward.js', import.meta.url).pathname;
// Start-up includes compiling the TypeScript sources on a busy 2-core machine.
const READY_TIMEOUT_MS = 45_000;

export interface OperatorProcess {
  readonly port: number;
  /** The operator's /metrics text. */
  metrics(): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the operator dies mid-work, as on a node failure; resolves once it is gone. */
  kill(): Promise<void>;
}

export interface OperatorProcessOptions {
  /** Extra environment, e.g. STEWARD_IMAGE for the check Jobs. */
  env?: Record<string, string>;
  /** Take the Lease in the namespace (default), or run without leader election (no Lease to wait for after a kill). */
  leaderElection?: boolean;
}

/**
 * Starts `steward operator` as a child process against the shared control plane, watching one
 * namespace, and resolves once /readyz answers 200 (caches synced, controllers running).
 */
export async function startOperatorProcess(
  namespace: string,
  options: OperatorProcessOptions = {},
): Promise<OperatorProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      stewardBin,
      'operator',
      '--metrics-port',
      String(port),
      '--metrics-host',
      '127.0.0.1',
      '--namespace',
      namespace,
      ...(options.leaderElection === false
        ? ['--no-leader-elect']
        : ['--leader-election-namespace', namespace]),
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
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  await eventually(
    'the operator to become ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`the operator exited with ${child.exitCode}`);
      return (await fetch(url('/readyz'))).status === 200 ? true : undefined;
    },
    READY_TIMEOUT_MS,
  );
  return {
    port,
    metrics: async () => (await fetch(url('/metrics'))).text(),
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}
