import { type CheckResult, DriftMonitorReason, PVC_MOUNT_ROOT, REPORT_KEY } from '@steward/api';
import type { ConfigMap, CronJob, Job, Pod } from '@steward/runtime';
import { describe, expect, it } from 'vitest';
import { RESULT_GRACE_MS } from '../job-results.ts';
import { decide, type Observed, type ObservedDriftMonitor } from './decide.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const HOUR = 3_600_000;

function monitor(
  spec: Record<string, unknown> = {},
  status: ObservedDriftMonitor['status'] = {},
  annotations = {},
) {
  return {
    apiVersion: 'mlops.steward.dev/v1alpha1',
    kind: 'DriftMonitor',
    metadata: {
      name: 'fraud-drift',
      namespace: 'fraud',
      uid: 'u-1',
      generation: 2,
      creationTimestamp: '2026-11-29T00:00:00Z',
      annotations,
    },
    spec: {
      target: { name: 'fraud-scorer' },
      schedule: '0 * * * *',
      businessKpis: [{ name: 'chargebacks', query: 'vector(1)', max: 0.5 }],
      prometheus: { url: 'http://prometheus:9090' },
      onDrift: { retrainPipeline: 'fraud-retrain', cooldown: '24h' },
      ...spec,
    },
    status,
  };
}

const finishedJob = (name: string, at: string, failed = false): Job =>
  ({
    metadata: { name, namespace: 'fraud' },
    status: {
      conditions: [
        {
          type: failed ? 'Failed' : 'Complete',
          status: 'True',
          lastTransitionTime: at,
          reason: failed ? 'BackoffLimitExceeded' : undefined,
        },
      ],
      ...(failed ? {} : { completionTime: at }),
    },
  }) as Job;

const result = (outcome: CheckResult['outcome'], extra: Partial<CheckResult> = {}): CheckResult => ({
  outcome,
  startedAt: '2026-11-29T10:59:00Z',
  completedAt: '2026-11-29T11:00:00Z',
  message: `${outcome}: KPI chargebacks 0.9 > max 0.5`,
  businessKpis: [
    { name: 'chargebacks', value: 0.9, max: 0.5, outcome: outcome === 'Failed' ? 'Failed' : outcome },
  ],
  ...extra,
});

const podWith = (job: string, message: string): Pod => ({
  metadata: { name: `${job}-x`, namespace: 'fraud', labels: { 'batch.kubernetes.io/job-name': job } },
  status: {
    containerStatuses: [{ name: 'drift-check', state: { terminated: { exitCode: 0, message } } } as never],
  },
});

function observe(m: ReturnType<typeof monitor>, extra: Partial<Observed> = {}): Observed {
  return {
    monitor: m as unknown as Observed['monitor'],
    jobs: [],
    podsOf: () => [],
    report: undefined,
    target: { spec: { owner: { email: 'ana@example.com', name: 'Ana' } } },
    now: NOW,
    defaultImage: 'steward:test',
    staleAfterPeriods: 3,
    ...extra,
  };
}

const condition = (plan: ReturnType<typeof decide>, type: string) =>
  plan.status?.conditions?.find((c) => c.type === type);

describe('a DriftMonitor', () => {
  it('gets a CronJob running steward job drift-check, Pod Security restricted, with a minimal account', () => {
    const plan = decide(observe(monitor({ timeZone: 'Europe/Berlin', suspend: false })));
    const kinds = plan.apply?.map((d) => `${d.type.kind}/${d.object.metadata?.name}`);
    expect(kinds).toEqual([
      'ServiceAccount/fraud-drift-drift-check',
      'Role/fraud-drift-drift-check',
      'RoleBinding/fraud-drift-drift-check',
      'ConfigMap/fraud-drift-drift-report',
      'CronJob/fraud-drift-drift-check',
    ]);
    const role = plan.apply?.[1]?.object as { rules: unknown[] };
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: ['fraud-drift-drift-report'],
        verbs: ['get', 'patch'],
      },
    ]);
    // Read back as the JSON the API server receives.
    const cronJob = JSON.parse(JSON.stringify(plan.apply?.[4]?.object));
    expect(cronJob.spec).toMatchObject({
      schedule: '0 * * * *',
      timeZone: 'Europe/Berlin',
      suspend: false,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    const job = cronJob.spec.jobTemplate.spec;
    expect(job).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 1800 });
    const pod = job.template.spec;
    expect(pod).toMatchObject({
      serviceAccountName: 'fraud-drift-drift-check',
      restartPolicy: 'Never',
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(pod.containers[0]).toMatchObject({
      image: 'steward:test',
      args: ['job', 'drift-check'],
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
    });
    const env = Object.fromEntries(
      pod.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]),
    );
    expect(JSON.parse(env.STEWARD_DRIFT_MONITOR).spec.schedule).toBe('0 * * * *');
    expect(condition(plan, 'Ready')).toMatchObject({
      status: 'True',
      reason: DriftMonitorReason.CheckScheduled,
    });
    expect(plan.status?.cronJobName).toBe('fraud-drift-drift-check');
  });

  it('mounts each claim its pvc:// sources name once, read-only, where the check looks for them', () => {
    const source = (uri: string) => ({ uri, format: 'csv' });
    const plan = decide(
      observe(
        monitor({
          baseline: { source: source('pvc://features/reference.csv') },
          current: source('pvc://features/2026/11/current.csv'),
          outputQuality: [
            { name: 'relevance', samples: source('pvc://judged/samples.csv'), scoreColumn: 's', min: 0.5 },
          ],
        }),
      ),
    );
    const pod = (plan.apply?.find((d) => d.type.kind === 'CronJob')?.object as CronJob | undefined)?.spec
      ?.jobTemplate.spec?.template.spec;
    expect(pod?.volumes?.filter((v) => v.persistentVolumeClaim)).toEqual([
      { name: 'pvc-0', persistentVolumeClaim: { claimName: 'features', readOnly: true } },
      { name: 'pvc-1', persistentVolumeClaim: { claimName: 'judged', readOnly: true } },
    ]);
    expect(pod?.containers[0]?.volumeMounts?.filter((m) => m.name.startsWith('pvc-'))).toEqual([
      { name: 'pvc-0', mountPath: `${PVC_MOUNT_ROOT}/features`, readOnly: true },
      { name: 'pvc-1', mountPath: `${PVC_MOUNT_ROOT}/judged`, readOnly: true },
    ]);
  });

  it('names claim volumes as valid, distinct DNS labels, whatever the claim names look like', () => {
    const long = `data.${'x'.repeat(70)}`;
    const source = (uri: string) => ({ uri, format: 'csv' });
    const plan = decide(
      observe(
        monitor({
          baseline: { source: source(`pvc://${long}-a/reference.csv`) },
          current: source(`pvc://${long}-b/current.csv`),
        }),
      ),
    );
    const pod = (plan.apply?.find((d) => d.type.kind === 'CronJob')?.object as CronJob | undefined)?.spec
      ?.jobTemplate.spec?.template.spec;
    const names = pod?.volumes?.filter((v) => v.persistentVolumeClaim).map((v) => v.name) ?? [];
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  it('never makes a CronJob from a spec only the controller can reject, and says why', () => {
    const plan = decide(observe(monitor({ schedule: '61 * * * *' })));
    expect(plan.apply).toBeUndefined();
    expect(condition(plan, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(condition(plan, 'Ready')?.message).toMatch(/^spec\.schedule: /);
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
  });

  it('says Ready=False ReferenceNotFound when the target ModelDeployment does not exist, and still schedules', () => {
    const plan = decide(observe(monitor(), { target: undefined }));
    expect(condition(plan, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ReferenceNotFound',
      message: 'ModelDeployment fraud-scorer not found',
    });
    expect(plan.apply?.some((d) => d.type.kind === 'CronJob')).toBe(true);
    expect(condition(plan, 'Stalled')).toMatchObject({ status: 'True', reason: 'ReferenceNotFound' });
    // Found again: nothing stalls it any more.
    const found = decide(observe(monitor({}, plan.status)));
    expect(condition(found, 'Stalled')).toBeUndefined();
  });

  it('gives its check Pods the API server address the operator was given, in the CronJob and a run-now Job', () => {
    const apiServerEnv = [
      { name: 'KUBERNETES_SERVICE_HOST', value: '10.0.0.10' },
      { name: 'KUBERNETES_SERVICE_PORT', value: '6443' },
    ];
    const envOf = (plan: ReturnType<typeof decide>, kind: 'CronJob' | 'Job') => {
      const object = plan.apply?.find((d) => d.type.kind === kind)?.object;
      const template =
        kind === 'CronJob'
          ? (object as CronJob | undefined)?.spec?.jobTemplate.spec?.template
          : (object as Job | undefined)?.spec?.template;
      return (template?.spec?.containers[0]?.env ?? []).filter((e) => e.name.startsWith('KUBERNETES_'));
    };
    const requested = monitor({}, {}, { 'mlops.steward.dev/check-requested': 'now-1' });
    const given = decide(observe(requested, { apiServerEnv }));
    expect(envOf(given, 'CronJob')).toEqual(apiServerEnv);
    expect(envOf(given, 'Job')).toEqual(apiServerEnv);
    // Without one, the Pods keep what the kubelet gives them.
    const plain = decide(observe(requested));
    expect(envOf(plain, 'CronJob')).toEqual([]);
    expect(envOf(plain, 'Job')).toEqual([]);
  });

  it('warns in Ready about a threshold its method can hardly reach', () => {
    const plan = decide(
      observe(
        monitor({
          baseline: { source: { uri: 's3://b/ref.csv', format: 'csv' } },
          current: { uri: 's3://b/cur.csv', format: 'csv' },
          dataDrift: { features: [{ name: 'amount', method: 'wasserstein', threshold: 25 }] },
        }),
      ),
    );
    expect(condition(plan, 'Ready')?.message).toMatch(
      /warning: amount: wasserstein threshold 25 is above the plausible maximum 3/,
    );
  });
});

describe('check results', () => {
  it('come from the report ConfigMap when it holds the Job’s report, else from the termination message', () => {
    const job = finishedJob('fraud-drift-drift-check-1', '2026-11-29T11:00:05Z');
    const full = result('NoDrift', { features: [{ name: 'amount', sampleSize: 400, outcome: 'NoDrift' }] });
    const report: ConfigMap = {
      metadata: { name: 'fraud-drift-drift-report' },
      data: { [REPORT_KEY]: JSON.stringify({ job: job.metadata?.name, result: full }) },
    };
    const pod = podWith(
      'fraud-drift-drift-check-1',
      JSON.stringify({ detected: false, summary: 'NoDrift', result: result('NoDrift') }),
    );
    const fromReport = decide(observe(monitor(), { jobs: [job], podsOf: () => [pod], report }));
    expect(fromReport.status?.lastResult?.features).toHaveLength(1);
    const fromMessage = decide(observe(monitor(), { jobs: [job], podsOf: () => [pod] }));
    expect(fromMessage.status?.lastResult).toMatchObject({
      outcome: 'NoDrift',
      job: 'fraud-drift-drift-check-1',
    });
    expect(fromMessage.status?.lastResult?.features).toBeUndefined();
    expect(fromMessage.status?.lastSuccessfulCheckTime).toBe('2026-11-29T11:00:00Z');
    expect(condition(fromMessage, 'CheckFailing')).toMatchObject({
      status: 'False',
      reason: 'CheckSucceeded',
    });
  });

  it('make a Job that ended without a result a Failed check that says what Kubernetes said', () => {
    const plan = decide(
      observe(monitor(), { jobs: [finishedJob('fraud-drift-drift-check-2', '2026-11-29T11:00:05Z', true)] }),
    );
    expect(plan.status?.lastResult?.outcome).toBe('Failed');
    expect(condition(plan, 'CheckFailing')).toMatchObject({ status: 'True', reason: 'Failed' });
    expect(condition(plan, 'CheckFailing')?.message).toMatch(
      /check Job fraud-drift-drift-check-2 BackoffLimitExceeded/,
    );
    expect(plan.metrics?.failedJob).toBe('fraud-drift-drift-check-2');
  });

  it('wait for a completed Job whose result the Pod cache does not show yet, instead of calling it Failed', () => {
    // The Job watch may deliver Complete before the Pod watch delivers the Pod's termination message.
    const job = finishedJob('fraud-drift-drift-check-3', '2026-11-29T11:59:30Z');
    const early = decide(observe(monitor(), { jobs: [job], podsOf: () => [] }));
    expect(early.status?.lastResult).toBeUndefined();
    expect(early.events?.map((e) => e.reason)).not.toContain('Failed');
    expect(early.requeueAfterMs).toBe(RESULT_GRACE_MS - 30_000);

    const drifted = JSON.stringify({ detected: true, summary: 'Drift', result: result('Drift') });
    const arrived = decide(
      observe(monitor(), { jobs: [job], podsOf: () => [podWith('fraud-drift-drift-check-3', drifted)] }),
    );
    expect(arrived.status?.lastResult).toMatchObject({ outcome: 'Drift', job: 'fraud-drift-drift-check-3' });
    expect(arrived.status?.lastRetrainTrigger?.pipeline).toBe('fraud-retrain');
  });

  it('make a completed Job whose result never shows up a Failed check once the grace period is over', () => {
    const job = finishedJob('fraud-drift-drift-check-4', '2026-11-29T11:55:00Z');
    const plan = decide(observe(monitor(), { jobs: [job], podsOf: () => [] }));
    expect(plan.status?.lastResult?.outcome).toBe('Failed');
    expect(condition(plan, 'CheckFailing')?.message).toMatch(/completed without a result/);
  });

  it('name the part that could not run in CheckFailing, e.g. Prometheus unavailable', () => {
    const failed = result('Failed', {
      businessKpis: [
        {
          name: 'chargebacks',
          max: 0.5,
          outcome: 'Failed',
          reason: 'PrometheusUnavailable',
          message: 'Prometheus at http://prometheus:9090 unreachable: ECONNREFUSED',
        },
      ],
    });
    const job = finishedJob('j3', '2026-11-29T11:00:05Z');
    const plan = decide(
      observe(monitor(), {
        jobs: [job],
        podsOf: () => [podWith('j3', JSON.stringify({ detected: false, summary: 'Failed', result: failed }))],
      }),
    );
    expect(condition(plan, 'CheckFailing')?.message).toBe(
      'KPI chargebacks: PrometheusUnavailable: Prometheus at http://prometheus:9090 unreachable: ECONNREFUSED',
    );
    expect(condition(plan, 'DriftDetected')).toMatchObject({ status: 'Unknown', reason: 'Failed' });
  });
});

describe('a breach', () => {
  const drifted = (job: string) => ({
    jobs: [finishedJob(job, '2026-11-29T11:00:05Z')],
    podsOf: () => [
      podWith(job, JSON.stringify({ detected: true, summary: 'Drift', result: result('Drift') })),
    ],
  });

  it('requests a retrain with the reason and values, and says so on the monitor', () => {
    const plan = decide(observe(monitor(), drifted('j1')));
    expect(plan.status?.lastRetrainTrigger).toEqual({
      time: NOW.toISOString(),
      pipeline: 'fraud-retrain',
      reason: 'Drift: KPI chargebacks 0.9 > max 0.5',
    });
    expect(plan.events?.map((e) => e.reason)).toEqual(['Drift', 'RetrainTriggered']);
    expect(condition(plan, 'DriftDetected')).toMatchObject({ status: 'True', reason: 'Drift' });
  });

  it('requests at most one retrain per cooldown', () => {
    const recent = {
      lastRetrainTrigger: {
        time: new Date(NOW.getTime() - 2 * HOUR).toISOString(),
        pipeline: 'fraud-retrain',
        reason: 'x',
      },
    };
    const within = decide(observe(monitor({}, recent), drifted('j2')));
    expect(within.status?.lastRetrainTrigger).toBeUndefined();
    expect(within.events?.map((e) => e.reason)).toEqual(['Drift', 'CooldownActive']);
    const old = {
      lastRetrainTrigger: {
        ...recent.lastRetrainTrigger,
        time: new Date(NOW.getTime() - 25 * HOUR).toISOString(),
      },
    };
    expect(decide(observe(monitor({}, old), drifted('j3'))).status?.lastRetrainTrigger?.time).toBe(
      NOW.toISOString(),
    );
  });

  it('is acted on once: the same Job seen again requests nothing', () => {
    const seen = { lastResult: { ...result('Drift'), job: 'j1' } };
    const plan = decide(observe(monitor({}, seen), drifted('j1')));
    expect(plan.status?.lastRetrainTrigger).toBeUndefined();
    expect(plan.events).toEqual([]);
  });

  it('does not retrain on schema drift: the data is broken, not the model', () => {
    const job = 'j4';
    const plan = decide(
      observe(monitor(), {
        jobs: [finishedJob(job, '2026-11-29T11:00:05Z')],
        podsOf: () => [
          podWith(
            job,
            JSON.stringify({ detected: true, summary: 'SchemaDrift', result: result('SchemaDrift') }),
          ),
        ],
      }),
    );
    expect(plan.status?.lastRetrainTrigger).toBeUndefined();
    expect(condition(plan, 'DriftDetected')).toMatchObject({ status: 'True', reason: 'SchemaDrift' });
  });
});

describe('staleness', () => {
  it('turns CheckStale on after three schedule periods without a successful check, and re-checks then', () => {
    const created = decide(observe(monitor(), { now: new Date('2026-11-29T01:10:00Z') }));
    expect(condition(created, 'CheckStale')).toMatchObject({ status: 'False', reason: 'AwaitingFirstCheck' });
    // Hourly from 00:00: the third firing is 03:00, plus the 30m check timeout.
    expect(created.requeueAfterMs).toBe(
      Date.parse('2026-11-29T03:30:00Z') - Date.parse('2026-11-29T01:10:00Z'),
    );
    const stale = decide(observe(monitor(), { now: new Date('2026-11-29T03:30:00Z') }));
    expect(condition(stale, 'CheckStale')).toMatchObject({ status: 'True', reason: 'NoRecentSuccess' });
    expect(stale.requeueAfterMs).toBeUndefined();
  });

  it('counts from the last successful check', () => {
    const plan = decide(observe(monitor({}, { lastSuccessfulCheckTime: '2026-11-29T10:00:00Z' })));
    expect(condition(plan, 'CheckStale')).toMatchObject({ status: 'False', reason: 'RecentSuccess' });
  });
});

describe('the check-requested annotation', () => {
  it('starts one Job per value', () => {
    const first = decide(observe(monitor({}, {}, { 'mlops.steward.dev/check-requested': 'now-1' })));
    const job = first.apply?.find((d) => d.type.kind === 'Job');
    expect(job?.object.metadata?.name).toMatch(/^fraud-drift-drift-check-now-[0-9a-f]{5}$/);
    expect(first.status?.handledCheckRequest).toBe('now-1');
    const again = decide(
      observe(
        monitor({}, { handledCheckRequest: 'now-1' }, { 'mlops.steward.dev/check-requested': 'now-1' }),
      ),
    );
    expect(again.apply?.some((d) => d.type.kind === 'Job')).toBe(false);
  });

  it('handles a value longer than status keeps once, too', () => {
    const long = { 'mlops.steward.dev/check-requested': 'x'.repeat(300) };
    const first = decide(observe(monitor({}, {}, long)));
    const again = decide(
      observe(monitor({}, { handledCheckRequest: first.status?.handledCheckRequest }, long)),
    );
    expect(again.apply?.some((d) => d.type.kind === 'Job')).toBe(false);
  });
});
