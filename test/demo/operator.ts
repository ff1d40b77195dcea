import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../harness/eventually.ts';
import { freePort } from '../harness/ports.ts';
import { STEP_TIMEOUT_MS } from './kube.ts';

const stewardBin = new URL('../../packages/cli/bin/steward.js', import.meta.url).pathname;

export interface DemoOperator {
  metricsPort: number;
  log: string;
  /** SIGTERM, resolved once it exited. */
  stop(): Promise<void>;
}

/**
 * The real `steward operator` process against the demo's cluster, logging to `runDir/operator.log`;
 * resolves once /readyz answers. `stewardImage` is the image of the check Pods the DriftMonitor
 * controller makes, as when the operator runs in-cluster from that image.
 */
export async function startDemoOperator(
  kubeconfig: string,
  runDir: string,
  stewardImage: string | undefined,
): Promise<DemoOperator> {
  const metricsPort = await freePort();
  const log = join(runDir, 'operator.log');
  const out = openSync(log, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      stewardBin,
      'operator',
      '--no-leader-elect',
      `--metrics-port=${metricsPort}`,
    ],
    {
      env: {
        ...process.env,
        KUBECONFIG: kubeconfig,
        ...(stewardImage ? { STEWARD_IMAGE: stewardImage } : {}),
      },
      stdio: ['ignore', out, out],
    },
  );
  await eventually(
    'the operator to report ready on /readyz',
    async () => {
      if (child.exitCode !== null) throw new Error(`the operator exited with ${child.exitCode} (log ${log})`);
      return (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok ? true : undefined;
    },
    STEP_TIMEOUT_MS,
  );
  return {
    metricsPort,
    log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
