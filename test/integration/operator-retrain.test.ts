/**
 * The RetrainPipeline controller in the real `steward operator` process against the real control plane.
 *
 * Jobs need a node to run, and this tier has none: the kube-controller-manager's Job controller creates
 * each Job's Pod, and the test then plays the kubelet, setting the Pod's final status (phase and the
 * container's termination message, the results channel) through the API. The Job controller completes
 * the Job from that Pod exactly as it would on a node. The e2e tier runs the same Jobs for real.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { V1ServiceAccount } from '@kubernetes/client-node';
import {
  CHECK_REQUESTED_ANNOTATION,
  DRILL_REQUESTED_ANNOTATION,
  type DriftMonitor,
  type ModelDeployment,
  RETRAIN_REQUESTED_ANNOTATION,
  Reason,
  type RetrainPipeline,
} from '@steward/api';
import { DriftMonitorType, ModelDeploymentType, RetrainPipelineType } from '@steward/operator';
import {
  type CronJob,
  CronJobType,
  type Job,
  JobType,
  KubeClient,
  ServiceAccountType,
} from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, sharedControlPlaneInfo, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { finishJobPod } from '../harness/kubelet.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';

const namespace = useTestNamespace();
const stewardBin = new URL('../../packages/cli/bin/steward.js', import.meta.url).pathname;
// Start-up includes compiling the TypeScript sources on a busy 2-core machine; each stage is a Job
// the Job controller must see complete, so a whole run takes several round trips.
const TIMEOUT_MS = 60_000;
const RUN_LABEL = 'mlops.steward.dev/run';
const PIPELINE_LABEL = 'mlops.steward.dev/retrain-pipeline';

const TRAINER_IMAGE = 'registry.local/fraud-trainer:1';

// Up to three stages, each awaited within TIMEOUT_MS.
const STAGED_TEST_TIMEOUT_MS = 3 * TIMEOUT_MS;
const run = promisify(execFile);
const converged = <T>(what: string | (() => string), probe: () => Promise<T | undefined>) =>
  eventually(what, probe, TIMEOUT_MS);

const example = <T>(file: string) =>
  load(readFileSync(new URL(`../../examples/fraud-scoring/${file}`, import.meta.url), 'utf8')) as T;

const goodValidation = {
  metrics: { auc: 0.965, recall_at_1pct_fpr: 0.51, p99_latency_ms: 0.05 },
  servingMetrics: { auc: 0.95 },
  evaluation: [{ name: 'auc', slice: 'overall', value: 0.965 }],
  fairness: [{ metric: 'false_positive_rate_ratio', attribute: 'age_band', value: 1.1, min: 0.8, max: 1.5 }],
};

// Without kube-controller-manager no Job controller makes Pods, and there is nothing to finish.
describe.runIf(sharedControlPlaneInfo().hasControllerManager)(
  'the RetrainPipeline controller in the operator process',
  // A test waits for several stages in turn, each bounded by TIMEOUT_MS; vitest's own bound covers them all.
  { timeout: STAGED_TEST_TIMEOUT_MS },
  () => {
    let client: KubeClient;
    let operator: OperatorProcess | undefined;
    /** Down after a test killed it: the next test needs it up. */
    let operatorDown = true;

    async function startOperator(): Promise<void> {
      // No leader election: a restart after SIGKILL would otherwise wait out the dead replica's Lease.
      operator = await startOperatorProcess(namespace.name, { leaderElection: false });
      operatorDown = false;
    }

    async function killOperator(): Promise<void> {
      await operator?.kill();
      operatorDown = true;
    }

    const getPipeline = (name: string) =>
      client.get<RetrainPipeline>(RetrainPipelineType, namespace.name, name);
    /**
     * The Jobs of one run of one pipeline. A run id is unique within its pipeline only (a drift run's id is
     * the request's time, to the second), so two pipelines' runs can share it: select by both labels.
     */
    const jobsOfRun = async (pipeline: string, run: string) =>
      (
        await client.list<Job>(JobType, {
          namespace: namespace.name,
          labelSelector: `${PIPELINE_LABEL}=${pipeline},${RUN_LABEL}=${run}`,
        })
      ).items;

    async function createPipeline(name: string, spec: Partial<RetrainPipeline['spec']> = {}): Promise<void> {
      await client.create(RetrainPipelineType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'RetrainPipeline',
        metadata: { name, namespace: namespace.name },
        spec: {
          modelDeployment: { name: 'fraud-scorer' },
          train: {
            image: TRAINER_IMAGE,
            args: ['--data=/data/training.csv', '--output=file:///models/fraud-scorer'],
            timeout: '1h',
          },
          validate: {
            image: TRAINER_IMAGE,
            args: ['--holdout=/data/holdout.csv'],
            gates: [{ name: 'auc', min: 0.93, maxRegression: 0.01 }],
          },
          promotion: { mode: 'auto' },
          ...spec,
        },
      });
    }

    /** Sets the annotation that asks for one run (or drill), as a GitOps commit would. */
    async function request(name: string, annotation: string, value: string): Promise<void> {
      await client.mergePatch(RetrainPipelineType, namespace.name, name, {
        metadata: { annotations: { [annotation]: value } },
      });
    }

    /** The run the pipeline is on, once it has one with this phase. */
    async function runIn(name: string, phase: string, id?: string) {
      return converged(
        () => `pipeline ${name}: a run in phase ${phase}`,
        async () => {
          const runs = (await getPipeline(name)).status?.runs ?? [];
          return runs.find((run) => run.phase === phase && (id === undefined || run.id === id));
        },
      );
    }

    /** Plays the kubelet: the Pod of `jobName` ends with `result` as its termination message. */
    async function finishPod(
      jobName: string,
      result: unknown,
      phase: 'Succeeded' | 'Failed' = 'Succeeded',
    ): Promise<void> {
      const message = typeof result === 'string' ? result : JSON.stringify(result);
      await finishJobPod(client, namespace.name, jobName, message, { phase, timeoutMs: TIMEOUT_MS });
    }

    /** Waits for the Job of a stage of a pipeline's run, and returns it. */
    async function stageJob(pipeline: string, run: string, stage: string): Promise<Job> {
      return converged(`the ${stage} Job of run ${run} of pipeline ${pipeline}`, async () =>
        (await jobsOfRun(pipeline, run)).find(
          (job) => job.metadata?.labels?.['mlops.steward.dev/stage'] === stage,
        ),
      );
    }

    /** Plays a run's train Pod (it trains `candidateVersion` at `uri`), then its validate Pod (the candidate passes). */
    async function trainAndValidate(pipeline: string, run: string, candidateVersion: string, uri: string) {
      await finishPod((await stageJob(pipeline, run, 'train')).metadata?.name ?? '', {
        candidateVersion,
        uri,
      });
      await finishPod((await stageJob(pipeline, run, 'validate')).metadata?.name ?? '', goodValidation);
    }

    beforeAll(async () => {
      await installCrds(testKubeConfig());
      client = new KubeClient(testKubeConfig());
      const model = example<ModelDeployment>('model-deployment.yaml');
      await client.create(ModelDeploymentType, {
        ...model,
        metadata: { ...model.metadata, namespace: namespace.name },
      });
      await startOperator();
    });

    afterEach(async () => {
      // A test that killed the operator leaves it down; the next one needs it.
      if (operatorDown) await startOperator();
    });

    afterAll(async () => {
      await killOperator();
    });

    it('a manual request trains, validates and promotes: status.promotedVersion is the candidate', async () => {
      await createPipeline('promote');
      await request('promote', RETRAIN_REQUESTED_ANNOTATION, 'first');
      const training = await runIn('promote', 'Training');
      const train = await stageJob('promote', training.id, 'train');
      const podSpec = train.spec?.template.spec;
      expect(podSpec?.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(podSpec?.containers[0]?.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      expect(podSpec?.containers[0]?.env).toContainEqual({ name: 'STEWARD_RUN_ID', value: training.id });
      // Not the namespace's default account: the pipeline's own, with no permissions and no token.
      expect(podSpec).toMatchObject({
        serviceAccountName: 'promote-jobs',
        automountServiceAccountToken: false,
      });
      const account = await client.get<V1ServiceAccount>(ServiceAccountType, namespace.name, 'promote-jobs');
      expect(account.automountServiceAccountToken).toBe(false);
      expect(account.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'RetrainPipeline',
        name: 'promote',
      });

      await finishPod(train.metadata?.name ?? '', {
        candidateVersion: '2.4.0-first',
        uri: 'file:///models/fraud-scorer/2.4.0-first/',
      });
      const validate = await stageJob('promote', training.id, 'validate');
      expect(validate.spec?.template.spec?.containers[0]?.env).toContainEqual({
        name: 'STEWARD_CANDIDATE_VERSION',
        value: '2.4.0-first',
      });
      await finishPod(validate.metadata?.name ?? '', goodValidation);

      const promoted = await runIn('promote', 'Promoted', training.id);
      expect(promoted.metrics).toEqual(goodValidation.metrics);
      const pipeline = await getPipeline('promote');
      expect(pipeline.status).toMatchObject({
        promotedVersion: '2.4.0-first',
        promotedUri: 'file:///models/fraud-scorer/2.4.0-first/',
      });
      expect(pipeline.status?.activeRun).toBeUndefined();
      expect(pipeline.status?.conditions?.find((c) => c.type === 'Running')).toMatchObject({
        status: 'False',
        reason: Reason.Promoted,
      });
      // The operator counts the run after it wrote the status the test just read (act: status, events,
      // then metrics), so the count is awaited, not read once.
      const counted = `steward_retrain_runs_total{namespace="${namespace.name}",pipeline="promote",model="fraud-scorer",owner="amara.okafor@example.com",result="promoted"} 1`;
      await converged(`the metric line ${counted}`, async () =>
        ((await operator?.metrics()) ?? '').includes(counted) ? true : undefined,
      );
    });

    it('a ModelDeployment that follows the pipeline (versionFrom) takes the promoted version through its own gates', async () => {
      const model = example<ModelDeployment>('model-deployment.yaml');
      // Minimal risk, no contract, no pods to schedule (this tier has no node): only the version is new.
      await client.create(ModelDeploymentType, {
        ...model,
        metadata: { name: 'follower', namespace: namespace.name },
        spec: {
          owner: { ...model.spec.owner, lastReviewed: new Date().toISOString().slice(0, 10) },
          model: { name: 'fraud-scorer', versionFrom: { retrainPipeline: 'followed' } },
          serving: { ...model.spec.serving, replicas: 0 },
          governance: { riskClass: 'minimal' },
        },
      } as ModelDeployment);
      await createPipeline('followed', { modelDeployment: { name: 'follower' } });
      await request('followed', RETRAIN_REQUESTED_ANNOTATION, 'follow');
      const training = await runIn('followed', 'Training');
      await trainAndValidate(
        'followed',
        training.id,
        '2.4.0-follow',
        'file:///models/fraud-scorer/2.4.0-follow/',
      );
      await runIn('followed', 'Promoted', training.id);
      const follower = await converged('the ModelDeployment to serve the promoted version', async () => {
        const live = await client.get<ModelDeployment>(ModelDeploymentType, namespace.name, 'follower');
        return live.status?.servingVersion === '2.4.0-follow' ? live : undefined;
      });
      expect(follower.status?.servingUri).toBe('file:///models/fraud-scorer/2.4.0-follow/');
      // The audit trail records the decision about the promoted version; nothing wrote the spec.
      expect(follower.status?.history?.some((entry) => entry.version === '2.4.0-follow')).toBe(true);
      console.log(
        `follower audit: ${follower.status?.history?.map((e) => `${e.decision} ${e.version}`).join(', ')}`,
      );
      expect(follower.metadata.generation).toBe(1);
    });

    it('a candidate that fails a gate is rejected with the values, and nothing is promoted', async () => {
      await createPipeline('reject');
      await request('reject', RETRAIN_REQUESTED_ANNOTATION, 'try');
      const training = await runIn('reject', 'Training');
      await finishPod((await stageJob('reject', training.id, 'train')).metadata?.name ?? '', {
        candidateVersion: '2.4.0-bad',
        uri: 'file:///models/x/',
      });
      await finishPod((await stageJob('reject', training.id, 'validate')).metadata?.name ?? '', {
        ...goodValidation,
        metrics: { auc: 0.71 },
      });
      const rejected = await runIn('reject', 'Rejected', training.id);
      expect(rejected.message).toContain('auc 0.71 < min 0.93');
      expect((await getPipeline('reject')).status?.promotedVersion).toBeUndefined();
    });

    it('a DriftMonitor request (its status.lastRetrainTrigger) starts a drift run', async () => {
      await createPipeline('drift');
      const monitor = example<DriftMonitor>('drift-monitor.yaml');
      await client.create(DriftMonitorType, {
        ...monitor,
        metadata: { name: 'drift-requester', namespace: namespace.name },
        spec: { ...monitor.spec, onDrift: { retrainPipeline: 'drift', cooldown: '24h' } },
      });
      // What the DriftMonitor controller writes on a breach.
      const time = new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      await client.mergePatch(
        DriftMonitorType,
        namespace.name,
        'drift-requester',
        {
          status: {
            lastRetrainTrigger: {
              time,
              pipeline: 'drift',
              reason: 'amount drifted (wasserstein 0.41 > 0.1)',
            },
          },
        },
        { subresource: 'status' },
      );
      const run = await runIn('drift', 'Training');
      expect(run.trigger).toBe('drift');
      expect(run.reason).toContain('DriftMonitor drift-requester: amount drifted');
    });

    it('drift on the example data, found by the DriftMonitor check, starts a run that promotes its candidate', async () => {
      await createPipeline('on-drift');
      const data = (file: string) =>
        pathToFileURL(fileURLToPath(new URL(`../../examples/fraud-scoring/data/${file}`, import.meta.url)))
          .href;
      await client.create(DriftMonitorType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'DriftMonitor',
        metadata: { name: 'fraud-drift', namespace: namespace.name },
        spec: {
          target: { name: 'fraud-scorer' },
          schedule: '0 */6 * * *',
          baseline: { source: { uri: data('reference.csv'), format: 'csv' } },
          current: { uri: data('current.csv'), format: 'csv' },
          dataDrift: {
            driftShare: 0.1,
            features: [{ name: 'amount', type: 'numeric', method: 'wasserstein', threshold: 0.1 }],
          },
          onDrift: { retrainPipeline: 'on-drift', cooldown: '24h' },
          job: { image: 'registry.local/steward:1', timeout: '20m' },
        },
      });
      await client.mergePatch(DriftMonitorType, namespace.name, 'fraud-drift', {
        metadata: { annotations: { [CHECK_REQUESTED_ANNOTATION]: 'now' } },
      });
      const check = await converged('the check Job of the DriftMonitor', async () => {
        const jobs = await client.list<Job>(JobType, {
          namespace: namespace.name,
          labelSelector: 'mlops.steward.dev/drift-monitor=fraud-drift',
        });
        return jobs.items[0];
      });
      // The check Pod's work, on this host: the real job process with the monitor the Job carries.
      const monitorJson =
        check.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'STEWARD_DRIFT_MONITOR')
          ?.value ?? '';
      const log = join(mkdtempSync(join(tmpdir(), 'steward-retrain-')), 'termination-log');
      await run(process.execPath, [stewardBin, 'job', 'drift-check', '--termination-log', log], {
        env: { ...process.env, STEWARD_DRIFT_MONITOR: monitorJson },
      });
      await finishPod(check.metadata?.name ?? '', readFileSync(log, 'utf8'));

      const drift = await runIn('on-drift', 'Training');
      expect(drift.trigger).toBe('drift');
      expect(drift.reason).toContain('DriftMonitor fraud-drift');
      await trainAndValidate('on-drift', drift.id, '2.4.0-drift', 'file:///models/d/');
      await runIn('on-drift', 'Promoted', drift.id);
      expect((await getPipeline('on-drift')).status?.promotedVersion).toBe('2.4.0-drift');
    });

    it('two pipelines whose drift runs share an id (requests in the same second) keep their runs and Jobs apart', async () => {
      // A run id is unique within its pipeline only: a drift run's id is the request's time, to the second.
      // This is how the drift-on-example-data case once timed out: its run took the id of the run the test
      // before it had started, and the test finished the other pipeline's Pods.
      const pipelines = ['same-second-a', 'same-second-b'];
      for (const pipeline of pipelines) await createPipeline(pipeline);
      // One second after both pipelines exist (requests from before a pipeline existed never count).
      const second = new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, '');
      const monitor = example<DriftMonitor>('drift-monitor.yaml');
      for (const [i, pipeline] of pipelines.entries()) {
        await client.create(DriftMonitorType, {
          ...monitor,
          metadata: { name: pipeline, namespace: namespace.name },
          spec: { ...monitor.spec, onDrift: { retrainPipeline: pipeline, cooldown: '24h' } },
        });
        const time = `${second}.${i}00Z`;
        await client.mergePatch(
          DriftMonitorType,
          namespace.name,
          pipeline,
          { status: { lastRetrainTrigger: { time, pipeline, reason: 'amount drifted' } } },
          { subresource: 'status' },
        );
      }
      const [a, b] = [await runIn('same-second-a', 'Training'), await runIn('same-second-b', 'Training')];
      expect(b.id).toBe(a.id);
      await trainAndValidate('same-second-b', b.id, '2.4.0-b', 'file:///models/b/');
      await runIn('same-second-b', 'Promoted', b.id);
      // The other pipeline's run is where it was: its train Job still runs, and it has no validate Job.
      expect((await getPipeline('same-second-a')).status?.runs?.map((run) => run.phase)).toEqual([
        'Training',
      ]);
      const jobsOfA = await jobsOfRun('same-second-a', a.id);
      expect(jobsOfA.map((job) => job.metadata?.labels?.['mlops.steward.dev/stage'])).toEqual(['train']);
    });

    it('killed with SIGKILL mid-run and restarted, the operator resumes the run and creates no Job twice', async () => {
      await createPipeline('resume');
      await request('resume', RETRAIN_REQUESTED_ANNOTATION, 'crash');
      const training = await runIn('resume', 'Training');
      const train = await stageJob('resume', training.id, 'train');
      await killOperator();
      // While the operator is down the training finishes.
      await finishPod(train.metadata?.name ?? '', {
        candidateVersion: '2.4.0-crash',
        uri: 'file:///models/c/',
      });
      await converged('the train Job complete', async () => {
        const job = await client.get<Job>(JobType, namespace.name, train.metadata?.name ?? '');
        return job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')
          ? true
          : undefined;
      });
      await startOperator();
      await finishPod(
        (await stageJob('resume', training.id, 'validate')).metadata?.name ?? '',
        goodValidation,
      );
      await runIn('resume', 'Promoted', training.id);
      const jobs = await jobsOfRun('resume', training.id);
      expect(jobs.map((job) => job.metadata?.labels?.['mlops.steward.dev/stage']).sort()).toEqual([
        'train',
        'validate',
      ]);
      expect((await getPipeline('resume')).status?.runs?.map((run) => run.id)).toEqual([training.id]);
    });

    describe('fire drills', () => {
      /** A DriftMonitor, once the DriftMonitor controller (in the same operator) made its check CronJob. */
      async function monitorWithCheck(name: string): Promise<void> {
        const monitor = example<DriftMonitor>('drift-monitor.yaml');
        const created = await client.create<DriftMonitor>(DriftMonitorType, {
          ...monitor,
          metadata: { name, namespace: namespace.name },
          spec: {
            ...monitor.spec,
            onDrift: undefined,
            job: { timeout: '20m', ...monitor.spec.job, image: 'registry.local/steward:1' },
          },
        });
        await converged(`the check CronJob of DriftMonitor ${name}`, async () => {
          const cronJobs = await client.list<CronJob>(CronJobType, { namespace: namespace.name });
          return cronJobs.items.find((c) =>
            c.metadata?.ownerReferences?.some((o) => o.uid === created.metadata?.uid),
          );
        });
      }

      const drillSpec = (monitor: string) => ({
        fireDrill: {
          schedule: '0 3 * * 1',
          driftMonitor: monitor,
          injection: { features: ['amount'], kind: 'shift' as const, magnitude: 2 },
          staleAfter: '8d',
        },
      });

      async function drillAt(name: string, stage: string) {
        return converged(`pipeline ${name}: drill at ${stage}`, async () => {
          const drill = (await getPipeline(name)).status?.lastDrill;
          return drill?.stage === stage ? drill : undefined;
        });
      }

      it('a drill passes end to end (check detects, dry-run train and validate) and changes nothing serving', async () => {
        await monitorWithCheck('drill-monitor');
        await createPipeline('drill', drillSpec('drill-monitor'));
        await request('drill', DRILL_REQUESTED_ANNOTATION, 'pass');
        const started = await drillAt('drill', 'check');
        const check = await stageJob('drill', started.runId, 'check');
        const checkEnv = check.spec?.template.spec?.containers[0]?.env ?? [];
        // The DriftMonitor's own check Pod (its monitor in the env), running the drill check instead.
        expect(check.spec?.template.spec?.containers[0]?.args).toEqual(['job', 'drill-check']);
        expect(checkEnv.map((e) => e.name)).toContain('STEWARD_DRIFT_MONITOR');
        expect(JSON.parse(checkEnv.find((e) => e.name === 'STEWARD_DRILL_INJECTION')?.value ?? '{}')).toEqual(
          drillSpec('drill-monitor').fireDrill.injection,
        );
        await finishPod(check.metadata?.name ?? '', {
          detected: true,
          summary: 'drifted 1/6 features: amount',
        });
        const train = await stageJob('drill', started.runId, 'train');
        expect(train.spec?.template.spec?.containers[0]?.env).toContainEqual({
          name: 'STEWARD_DRY_RUN',
          value: 'true',
        });
        await finishPod(train.metadata?.name ?? '', {
          candidateVersion: '2.4.0-drill',
          uri: 'file:///models/fraud-scorer/drills/x/',
        });
        await finishPod(
          (await stageJob('drill', started.runId, 'validate')).metadata?.name ?? '',
          goodValidation,
        );

        const passed = await converged('a passed drill', async () => {
          const pipeline = await getPipeline('drill');
          return pipeline.status?.lastDrill?.outcome === 'Passed' ? pipeline : undefined;
        });
        expect(passed.status?.lastDrill).toMatchObject({
          stage: 'promote',
          detection: 'drifted 1/6 features: amount',
          candidateVersion: '2.4.0-drill',
        });
        expect(passed.status?.lastDrill?.secondsToValidatedCandidate).toBeGreaterThanOrEqual(0);
        console.log(
          `drill: injection to validated candidate ${passed.status?.lastDrill?.secondsToValidatedCandidate}s`,
        );
        expect(passed.status?.promotedVersion).toBeUndefined();
        expect(passed.status?.runs ?? []).toEqual([]);
        expect(passed.status?.conditions?.find((c) => c.type === 'DrillHealthy')).toMatchObject({
          status: 'True',
          reason: Reason.DrillPassed,
        });
      });

      it('a drill whose drift check cannot detect the injected drift fails, naming the stage', async () => {
        await monitorWithCheck('blind-monitor');
        await createPipeline('blind', drillSpec('blind-monitor'));
        await request('blind', DRILL_REQUESTED_ANNOTATION, 'blind');
        const started = await drillAt('blind', 'check');
        await finishPod((await stageJob('blind', started.runId, 'check')).metadata?.name ?? '', {
          detected: false,
          summary: 'drifted 0/6 features',
        });
        const failed = await converged('a failed drill', async () => {
          const pipeline = await getPipeline('blind');
          return pipeline.status?.lastDrill?.outcome === 'Failed' ? pipeline : undefined;
        });
        expect(failed.status?.lastDrill?.stage).toBe('check');
        expect(failed.status?.lastDrill?.message).toContain(
          'the drift check did not detect the injected drift (a shift of 2 sd in amount)',
        );
        expect(failed.status?.conditions?.find((c) => c.type === 'DrillHealthy')).toMatchObject({
          status: 'False',
          reason: Reason.DrillFailed,
        });
        expect(failed.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
          status: 'False',
          reason: Reason.DrillFailed,
        });
        expect(await jobsOfRun('blind', started.runId)).toHaveLength(1);
      });
    });
  },
);
