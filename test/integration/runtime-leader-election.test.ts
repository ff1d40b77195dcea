import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConfigMapType, KubeClient, LeaseType } from '@steward/runtime';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
// The runtime's default (client-go's): a standby may take over this long after the last renewal.
const LEASE_DURATION_MS = 15_000;
// For the release test: far longer than the test may run, so a takeover at all proves nobody
// waited for the lease to expire.
const LONG_LEASE_DURATION_MS = 600_000;
// The lease record's times (metav1.MicroTime) have microseconds; Date keeps milliseconds.
const MICROTIME_ROUNDING_MS = 1;

interface Operator {
  identity: string;
  child: ChildProcess;
  reconciled: string[];
  /** Resolves once manager.start() returned: it is competing for the lease. */
  started: Promise<void>;
}
const operators: Operator[] = [];

function startOperator(identity: string, lease: { name: string; durationMs?: number }): Operator {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      fixture,
      sharedControlPlaneInfo().kubeconfigPath,
      namespace.name,
      identity,
      lease.name,
      String(lease.durationMs ?? LEASE_DURATION_MS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  let markStarted = () => {};
  const operator: Operator = {
    identity,
    child,
    reconciled: [],
    started: new Promise((resolve) => (markStarted = resolve)),
  };
  onJsonLines(child, (report) => {
    if (typeof report.reconciled === 'string') operator.reconciled.push(report.reconciled);
    if (report.started === identity) markStarted();
  });
  operators.push(operator);
  return operator;
}

type Lease = KubernetesObject & {
  spec?: { holderIdentity?: string; acquireTime?: string; renewTime?: string };
};

describe('two operator processes behind one Lease', () => {
  let client: KubeClient;
  const lease = (name: string) => client.get<Lease>(LeaseType, namespace.name, name);
  const holder = async (name: string) => (await lease(name).catch(() => undefined))?.spec?.holderIdentity;
  const converged = async (name: string) => {
    const widget = await client.get<Widget>(WidgetType, namespace.name, name);
    const map = await client.get(ConfigMapType, namespace.name, `${name}-out`).catch(() => undefined);
    return isConverged(widget, map) ? true : undefined;
  };

  beforeAll(async () => {
    await installWidgetCrd(testKubeConfig());
    client = new KubeClient(testKubeConfig());
  });

  afterEach(() => {
    // Whatever happened in the test, no operator process outlives it.
    for (const { child } of operators.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('lets only the leader reconcile, and the standby takes over only after the lease expired, after kill -9', async () => {
    const leaseName = 'leader-killed';
    const a = startOperator('operator-a', { name: leaseName });
    const b = startOperator('operator-b', { name: leaseName });
    const leaderIdentity = await eventually('a leader', async () => {
      const identity = await holder(leaseName);
      return identity === a.identity || identity === b.identity ? identity : undefined;
    });
    const [leader, standby] = leaderIdentity === a.identity ? [a, b] : [b, a];

    for (let i = 0; i < 5; i++)
      await client.create(WidgetType, newWidget(namespace.name, `before-${i}`, `m${i}`));
    for (let i = 0; i < 5; i++) await eventually(`before-${i} converged`, () => converged(`before-${i}`));
    expect(leader.reconciled.length).toBeGreaterThanOrEqual(5);
    expect(standby.reconciled).toEqual([]);

    const exited = once(leader.child, 'exit');
    leader.child.kill('SIGKILL');
    await exited;
    // Dead: this is its last renewal.
    const lastRenewal = Date.parse((await lease(leaseName)).spec?.renewTime ?? '');
    const taken = await eventually('the standby to hold the lease', async () => {
      const record = await lease(leaseName);
      return record.spec?.holderIdentity === standby.identity ? record : undefined;
    });
    const takeoverMs = Date.parse(taken.spec?.acquireTime ?? '') - lastRenewal;
    console.log(
      `standby acquired the lease ${(takeoverMs / 1000).toFixed(1)} s after the dead leader's last renewal`,
    );
    // The configured safety bound: never before the lease duration has passed (load only delays it).
    expect(takeoverMs).toBeGreaterThanOrEqual(LEASE_DURATION_MS - MICROTIME_ROUNDING_MS);

    await client.create(WidgetType, newWidget(namespace.name, 'after', 'new leader'));
    await eventually('after converged', () => converged('after'));
    expect(standby.reconciled).toContain(`${namespace.name}/after`);
  }, 90_000);

  it('releases the lease on SIGTERM so a standby takes over without waiting for expiry', async () => {
    const leaseName = 'leader-terminated';
    const long = { name: leaseName, durationMs: LONG_LEASE_DURATION_MS };
    const leader = startOperator('operator-c', long);
    await eventually('operator-c to lead', async () =>
      (await holder(leaseName)) === leader.identity ? true : undefined,
    );
    const standby = startOperator('operator-d', long);
    await standby.started;
    expect(await holder(leaseName)).toBe(leader.identity);
    const exited = once(leader.child, 'exit');
    leader.child.kill('SIGTERM');
    // Within eventually's timeout, far inside the 10-minute lease: only the release explains it.
    await eventually('the standby to hold the lease', async () =>
      (await holder(leaseName)) === standby.identity ? true : undefined,
    );
    await exited;
    expect(leader.child.exitCode).toBe(0);
  }, 60_000);
});
