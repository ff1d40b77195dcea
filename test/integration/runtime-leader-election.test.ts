import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMapType, KubeClient, LeaseType } from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  onJsonLines,
  sharedControlPlaneInfo,
  testKubeConfig,
  useTestNamespace,
} from '../harness/index.ts';
import {
  installWidgetCrd,
  isConverged,
  newWidget,
  type Widget,
  WidgetType,
} from './fixtures/runtime-widget.ts';

const namespace = useTestNamespace();
const fixture = fileURLToPath(new URL('./fixtures/runtime-leader-operator.ts', import.meta.url));
const LEASE_NAME = 'runtime-test-leader';
// The runtime's defaults (client-go's): the bar for a takeover after kill -9.
const LEASE_DURATION_MS = 15_000;
const RENEW_DEADLINE_MS = 10_000;
// A released lease is taken on the standby's next attempt (one retry period: 2 s, +20 % jitter) plus
// the leader's shutdown; an unreleased lease would need 13-15 s more to expire, so 10 s tells them apart.
const RELEASED_TAKEOVER_BOUND_MS = 10_000;

interface Operator {
  identity: string;
  child: ChildProcess;
  reconciled: string[];
}
const operators: Operator[] = [];

function startOperator(identity: string): Operator {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      fixture,
      sharedControlPlaneInfo().kubeconfigPath,
      namespace.name,
      identity,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  const operator: Operator = { identity, child, reconciled: [] };
  onJsonLines(child, (report) => {
    if (typeof report.reconciled === 'string') operator.reconciled.push(report.reconciled);
  });
  operators.push(operator);
  return operator;
}

describe('two operator processes behind one Lease', () => {
  let client: KubeClient;
  const holder = async () =>
    (
      await client
        .get<KubernetesObject & { spec?: { holderIdentity?: string } }>(LeaseType, namespace.name, LEASE_NAME)
        .catch(() => undefined)
    )?.spec?.holderIdentity;
  const converged = async (name: string) => {
    const widget = await client.get<Widget>(WidgetType, namespace.name, name);
    const map = await client.get(ConfigMapType, namespace.name, `${name}-out`).catch(() => undefined);
    return isConverged(widget, map) ? true : undefined;
  };

  beforeAll(async () => {
    await installWidgetCrd(testKubeConfig());
    client = new KubeClient(testKubeConfig());
  });

  afterAll(() => {
    // Whatever happened in the test, no operator process outlives it.
    for (const { child } of operators)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('lets only the leader reconcile, and the standby takes over within lease duration plus renew deadline after kill -9', async () => {
    const a = startOperator('operator-a');
    const b = startOperator('operator-b');
    const leaderIdentity = await eventually('a leader', async () => {
      const identity = await holder();
      return identity === a.identity || identity === b.identity ? identity : undefined;
    });
    const [leader, standby] = leaderIdentity === a.identity ? [a, b] : [b, a];

    for (let i = 0; i < 5; i++)
      await client.create(WidgetType, newWidget(namespace.name, `before-${i}`, `m${i}`));
    for (let i = 0; i < 5; i++) await eventually(`before-${i} converged`, () => converged(`before-${i}`));
    expect(leader.reconciled.length).toBeGreaterThanOrEqual(5);
    expect(standby.reconciled).toEqual([]);

    const killedAt = Date.now();
    leader.child.kill('SIGKILL');
    await eventually('the standby to hold the lease', async () =>
      (await holder()) === standby.identity ? true : undefined,
    );
    const takeoverMs = Date.now() - killedAt;
    console.log(`standby took over ${(takeoverMs / 1000).toFixed(1)} s after kill -9 of the leader`);
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_DURATION_MS + RENEW_DEADLINE_MS);

    await client.create(WidgetType, newWidget(namespace.name, 'after', 'new leader'));
    await eventually('after converged', () => converged('after'));
    expect(standby.reconciled).toContain(`${namespace.name}/after`);
  }, 90_000);

  it('releases the lease on SIGTERM so a standby takes over without waiting for expiry', async () => {
    const leader = operators.find(
      (operator) => operator.child.exitCode === null && operator.child.signalCode === null,
    );
    if (!leader) throw new Error('the previous test left no running leader');
    const standby = startOperator('operator-c');
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the standby start competing
    expect(await holder()).toBe(leader.identity);
    const exited = new Promise((resolve) => leader.child.once('exit', resolve));
    const terminatedAt = Date.now();
    leader.child.kill('SIGTERM');
    await eventually('the standby to hold the lease', async () =>
      (await holder()) === standby.identity ? true : undefined,
    );
    const takeoverMs = Date.now() - terminatedAt;
    console.log(`standby took over ${(takeoverMs / 1000).toFixed(1)} s after SIGTERM of the leader`);
    expect(takeoverMs).toBeLessThan(RELEASED_TAKEOVER_BOUND_MS);
    await exited;
    expect(leader.child.exitCode).toBe(0);
  }, 60_000);
});
