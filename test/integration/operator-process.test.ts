import { readFileSync } from 'node:fs';
import { ConditionType, type OutputContract, Reason } from '@steward/api';
import { LEADER_ELECTION_LEASE, OutputContractType } from '@steward/operator';
import { KubeClient, LeaseType } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';

const namespace = useTestNamespace();
// Far beyond what a reconcile on a local API server takes; 2-core CI machines need headroom.
const TIMEOUT_MS = 45_000;

const converged = <T>(what: string, probe: () => Promise<T | undefined>) =>
  eventually(what, probe, TIMEOUT_MS);

describe('the steward operator process', () => {
  let operator: OperatorProcess;
  let client: KubeClient;

  // Resolves once /readyz answers 200: caches synced and, by then, the signal handlers installed.
  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    operator = await startOperatorProcess(namespace.name);
  });

  afterAll(async () => {
    await operator?.stop();
  });

  it('becomes ready, takes the Lease and reconciles an OutputContract', async () => {
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
    expect(await operator.metrics()).toContain('steward_output_contract_published_versions');
  });

  it('exits 0 on SIGTERM', async () => {
    expect(await operator.stop()).toBe(0);
  });
});
