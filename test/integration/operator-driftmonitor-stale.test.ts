/**
 * CheckStale and the age metric with an injected clock: the DriftMonitor controller runs in this
 * process on a Manager whose clock the test moves forward, against the real control plane. As in
 * operator-driftmonitor.test.ts the test plays the kubelet for the check Pod (this tier has no node).
 */
import { CHECK_REQUESTED_ANNOTATION, type DriftMonitor } from '@steward/api';
import { addDriftMonitorController, DriftMonitorType } from '@steward/operator';
import { type Clock, type Job, JobType, KubeClient, Manager, systemClock } from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, sharedControlPlaneInfo, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { finishJobPod } from '../harness/kubelet.ts';

const namespace = useTestNamespace();
const TIMEOUT_MS = 60_000;
const HOUR_MS = 3_600_000;
// Hourly checks and three periods: a monitor goes stale 3 h (+ the 30 min check timeout) after its last success.
const SKIP_AHEAD_MS = 5 * HOUR_MS;
const AGE_METRIC = 'steward_drift_check_last_success_age_seconds';

const converged = <T>(what: string, probe: () => Promise<T | undefined>) =>
  eventually(what, probe, TIMEOUT_MS);

describe.runIf(sharedControlPlaneInfo().hasControllerManager)(
  'a DriftMonitor without a recent successful check',
  () => {
    let client: KubeClient;
    let manager: Manager;
    let offsetMs = 0;
    // Real timers, shifted time: what the controller reads as now moves when the test says so.
    const clock: Clock = { now: () => systemClock.now() + offsetMs, schedule: systemClock.schedule };

    const getMonitor = () => client.get<DriftMonitor>(DriftMonitorType, namespace.name, 'stale');
    const stale = (monitor: DriftMonitor) => monitor.status?.conditions?.find((c) => c.type === 'CheckStale');

    async function ageSeconds(): Promise<number | undefined> {
      const text = await manager.metrics.registry.getSingleMetricAsString(AGE_METRIC);
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`${AGE_METRIC}{`) && l.includes('monitor="stale"'));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    }

    beforeAll(async () => {
      await installCrds(testKubeConfig());
      client = new KubeClient(testKubeConfig());
      manager = new Manager({ kubeConfig: testKubeConfig(), httpPort: false, handleSignals: false, clock });
      addDriftMonitorController(manager, { namespace: namespace.name, clock, checkImage: 'steward:test' });
      await manager.start();
    });

    afterAll(async () => {
      await manager?.stop();
    });

    it('turns CheckStale on after three schedule periods, and the metric shows the age', async () => {
      await client.create(DriftMonitorType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'DriftMonitor',
        metadata: {
          name: 'stale',
          namespace: namespace.name,
          annotations: { [CHECK_REQUESTED_ANNOTATION]: 'once' },
        },
        spec: {
          target: { name: 'fraud-scorer' },
          schedule: '0 * * * *',
          businessKpis: [{ name: 'chargeback_rate', query: 'payments_chargeback_ratio', max: 0.004 }],
          prometheus: { url: 'http://prometheus.invalid:9090' },
        },
      });
      const job = await converged('the run-now Job', async () =>
        (await client.list<Job>(JobType, { namespace: namespace.name })).items.find((j) =>
          j.metadata?.name?.includes('-now-'),
        ),
      );
      const completedAt = new Date(clock.now()).toISOString();
      const result = {
        outcome: 'NoDrift',
        startedAt: completedAt,
        completedAt,
        message: 'NoDrift',
        businessKpis: [{ name: 'chargeback_rate', value: 0.002, max: 0.004, outcome: 'NoDrift' }],
      };
      const message = JSON.stringify({ detected: false, summary: 'NoDrift', result });
      await finishJobPod(client, namespace.name, job.metadata?.name ?? '', message, {
        timeoutMs: TIMEOUT_MS,
      });
      const fresh = await converged('the successful check in status', async () => {
        const live = await getMonitor();
        return live.status?.lastSuccessfulCheckTime === completedAt ? live : undefined;
      });
      expect(stale(fresh)).toMatchObject({ status: 'False', reason: 'RecentSuccess' });
      const ageBefore = await ageSeconds();
      console.log(`age of the last successful check right after it: ${ageBefore} s`);

      offsetMs = SKIP_AHEAD_MS;
      // Any annotation edit re-runs the reconcile (the requeue timer for the real 3.5 h is still pending).
      await client.mergePatch(DriftMonitorType, namespace.name, 'stale', {
        metadata: { annotations: { 'test.steward.dev/poke': '1' } },
      });
      const later = await converged('CheckStale=True', async () => {
        const live = await getMonitor();
        return stale(live)?.status === 'True' ? live : undefined;
      });
      expect(stale(later)).toMatchObject({ reason: 'NoRecentSuccess' });
      expect(stale(later)?.message).toContain(
        `last successful check at ${completedAt}; none within 3 schedule periods`,
      );
      // The age is computed when scraped, from the same clock: at least the time the test skipped ahead.
      expect(await ageSeconds()).toBeGreaterThanOrEqual(SKIP_AHEAD_MS / 1000);
    });
  },
);
