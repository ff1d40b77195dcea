import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { ConditionType, type OutputContract, Reason } from '@steward/api';
import { LEADER_ELECTION_LEASE, OutputContractType } from '@steward/operator';
import { KubeClient, LeaseType } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, sharedControlPlaneInfo, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { freePort } from '../harness/ports.ts';

const namespace = useTestNamespace();
const stewardBin = new URL('../../packages/cli/bin/steward.js', import.meta.url).pathname;
// Start-up includes compiling the TypeScript sources on a busy 2-core machine.
const TIMEOUT_MS = 45_000;

const converged = <T>(what: string, probe: () => Promise<T | undefined>) =>
  eventually(what, probe, TIMEOUT_MS);

describe('the steward operator process', () => {
  let child: ChildProcess;
  let port: number;
  let client: KubeClient;

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    port = await freePort();
    child = spawn(
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
        namespace.name,
        '--leader-election-namespace',
        namespace.name,
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, KUBECONFIG: sharedControlPlaneInfo().kubeconfigPath, LOG_LEVEL: 'warn' },
      },
    );
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  /** Ready: caches synced and, by then, the signal handlers installed. */
  const ready = () =>
    converged('/readyz 200', async () =>
      (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined,
    );

  it('becomes ready, takes the Lease and reconciles an OutputContract', async () => {
    await ready();
    await converged('the operator Lease', () => client.get(LeaseType, namespace.name, LEADER_ELECTION_LEASE));
    const example = load(
      readFileSync(new URL('../../examples/fraud-scoring/output-contract.yaml', import.meta.url), 'utf8'),
    ) as OutputContract;
    await client.create(OutputContractType, {
      ...example,
      metadata: { ...example.metadata, namespace: namespace.name },
    });
    const contract = await converged('a Ready contract', async () => {
      const live = await client.get<OutputContract>(
        OutputContractType,
        namespace.name,
        example.metadata.name,
      );
      return live.status?.observedGeneration === live.metadata.generation ? live : undefined;
    });
    expect(contract.status?.conditions?.find((c) => c.type === ConditionType.Ready)).toMatchObject({
      status: 'True',
      reason: Reason.Published,
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('steward_output_contract_published_versions');
  });

  it('exits 0 on SIGTERM', async () => {
    // Run alone, this test must not signal a process that has not yet installed its handlers.
    await ready();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
