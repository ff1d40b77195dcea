/**
 * The DriftMonitor controller in the real `steward operator` process against the real control plane,
 * with a real Prometheus (Debian's package, hack/prometheus/ensure.sh) scraping a small exporter.
 *
 * This tier has no node, so no check Pod runs by itself. Each check goes the way it goes on a node
 * except for who runs the container: the check-requested annotation makes the operator create the
 * Job, the kube-controller-manager's Job controller creates its Pod, the test runs the real
 * `steward job drift-check` with the check ServiceAccount's own token (so its RBAC is the one under
 * test) and then plays the kubelet, setting the Pod's final status with the termination message the
 * job wrote. The e2e tier runs the same Pods on a node.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { CHECK_REQUESTED_ANNOTATION, type DriftMonitor, type ModelDeployment } from '@steward/api';
import { DriftMonitorType, ModelDeploymentType } from '@steward/operator';
import { ConfigMapType, type CronJob, CronJobType, type Job, JobType, KubeClient } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import {
  eventually,
  kubeConfigForServiceAccount,
  sharedControlPlaneInfo,
  testKubeConfig,
  useTestNamespace,
} from '../harness/index.ts';
import { finishJobPod } from '../harness/kubelet.ts';
import { EXAMPLE_PREFIX, type ObjectStore, startObjectStore } from '../harness/object-store.ts';
import { freePort } from '../harness/ports.ts';

const namespace = useTestNamespace();
const repo = new URL('../../', import.meta.url).pathname;
const stewardBin = join(repo, 'packages/cli/bin/steward.js');
const testdata = join(repo, 'packages/cli/testdata/drift');
// Start-up compiles the TypeScript sources on a busy 2-core machine, and each check is a Job the Job
// controller must see complete: several round trips.
const TIMEOUT_MS = 90_000;
const MONITOR_LABEL = 'mlops.steward.dev/drift-monitor';
const _JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
// The exporter's chargeback ratio, above the monitor's bound of 0.004.
const CHARGEBACK_RATIO = 0.009;

const run = promisify(execFile);
const converged = <T>(what: string | (() => string), probe: () => Promise<T | undefined>) =>
  eventually(what, probe, TIMEOUT_MS);

describe.runIf(sharedControlPlaneInfo().hasControllerManager)(
  'the DriftMonitor controller in the operator process',
  () => {
    let client: KubeClient;
    let core: CoreV1Api;
    let store: ObjectStore | undefined;
    let dir: string;
    let operator: ChildProcess | undefined;
    let prometheus: ChildProcess | undefined;
    let exporter: Server;
    let prometheusUrl: string;
    let metricsPort: number;
    let requests = 0;

    const getMonitor = (name: string) => client.get<DriftMonitor>(DriftMonitorType, namespace.name, name);

    async function createMonitor(name: string, spec: Record<string, unknown>): Promise<void> {
      await client.create(DriftMonitorType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'DriftMonitor',
        metadata: { name, namespace: namespace.name },
        spec: { target: { name: 'fraud-scorer' }, schedule: '0 * * * *', ...spec },
      });
      await converged(
        `the CronJob of ${name}`,
        async () =>
          (
            await client.list<CronJob>(CronJobType, {
              namespace: namespace.name,
              labelSelector: `${MONITOR_LABEL}=${name}`,
            })
          ).items[0],
      );
    }

    /**
     * One check of monitor `name`: a run-now Job from a new annotation value, the real job process with
     * the check ServiceAccount's token, the Pod finished with its termination message; returns the
     * monitor once its status shows that Job's result.
     */
    async function check(name: string): Promise<DriftMonitor> {
      requests++;
      await client.mergePatch(DriftMonitorType, namespace.name, name, {
        metadata: { annotations: { [CHECK_REQUESTED_ANNOTATION]: `request-${requests}` } },
      });
      const handled = await converged(`${name}: the check request handled`, async () => {
        const live = await getMonitor(name);
        return live.status?.handledCheckRequest === `request-${requests}` ? live : undefined;
      });
      const job = await converged(`${name}: the run-now Job`, async () => {
        const jobs = await client.list<Job>(JobType, {
          namespace: namespace.name,
          labelSelector: `${MONITOR_LABEL}=${name}`,
        });
        return jobs.items.find(
          (j) =>
            j.metadata?.name?.includes('-now-') &&
            j.status?.conditions === undefined &&
            j.metadata.name !== handled.status?.lastResult?.job,
        );
      });
      const jobName = job.metadata?.name ?? '';
      const env = job.spec?.template.spec?.containers[0]?.env ?? [];
      const monitorJson = env.find((e) => e.name === 'STEWARD_DRIFT_MONITOR')?.value ?? '';
      const account = job.spec?.template.spec?.serviceAccountName ?? '';
      const kubeconfig = join(dir, `${account}.kubeconfig`);
      const accountConfig = await kubeConfigForServiceAccount(testKubeConfig(), namespace.name, account);
      await writeFile(kubeconfig, accountConfig.exportConfig());
      // As the kubelet would: each Secret the container's envFrom names becomes environment variables.
      const secretEnv: Record<string, string> = {};
      for (const { secretRef } of job.spec?.template.spec?.containers[0]?.envFrom ?? []) {
        const secret = await core.readNamespacedSecret({
          namespace: namespace.name,
          name: secretRef?.name ?? '',
        });
        for (const [key, value] of Object.entries(secret.data ?? {}))
          secretEnv[key] = Buffer.from(value, 'base64').toString();
      }
      const log = join(dir, `${jobName}.termination-log`);
      const report = env.find((e) => e.name === 'STEWARD_REPORT_CONFIGMAP')?.value ?? '';
      await run(
        process.execPath,
        [
          '--disable-warning=ExperimentalWarning',
          stewardBin,
          'job',
          'drift-check',
          '--job',
          jobName,
          '--report-configmap',
          report,
          '--namespace',
          namespace.name,
          '--termination-log',
          log,
        ],
        { env: { ...process.env, ...secretEnv, KUBECONFIG: kubeconfig, STEWARD_DRIFT_MONITOR: monitorJson } },
      );
      await finishJobPod(client, namespace.name, jobName, await readFile(log, 'utf8'), {
        timeoutMs: TIMEOUT_MS,
      });
      return converged(`${name}: the result of Job ${jobName} in status`, async () => {
        const live = await getMonitor(name);
        return live.status?.lastResult?.job === jobName ? live : undefined;
      });
    }

    const condition = (monitor: DriftMonitor, type: string) =>
      monitor.status?.conditions?.find((c) => c.type === type);

    beforeAll(async () => {
      await installCrds(testKubeConfig());
      client = new KubeClient(testKubeConfig());
      core = testKubeConfig().makeApiClient(CoreV1Api);
      store = await startObjectStore();
      dir = await mkdtemp(join(tmpdir(), 'steward-driftmonitor-'));
      const model = load(
        await readFile(join(repo, 'examples/fraud-scoring/model-deployment.yaml'), 'utf8'),
      ) as ModelDeployment;
      await client.create(ModelDeploymentType, {
        ...model,
        metadata: { ...model.metadata, namespace: namespace.name },
      });

      // The exporter: one gauge, the chargeback ratio a payments service would export.
      exporter = createServer((_, response) => {
        response.setHeader('content-type', 'text/plain; version=0.0.4');
        response.end(
          `# TYPE payments_chargeback_ratio gauge\npayments_chargeback_ratio ${CHARGEBACK_RATIO}\n`,
        );
      }).listen(0, '127.0.0.1');
      await new Promise((resolve) => exporter.once('listening', resolve));
      const exporterPort = (exporter.address() as { port: number }).port;
      const { stdout: binary } = await run(join(repo, 'hack/prometheus/ensure.sh'), { timeout: 600_000 });
      const prometheusPort = await freePort();
      prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
      await writeFile(
        join(dir, 'prometheus.yml'),
        `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: exporter\n    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]\n`,
      );
      prometheus = spawn(
        binary.trim(),
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${prometheusPort}`,
        ],
        { stdio: 'ignore' },
      );
      await converged('Prometheus to have scraped the exporter', async () => {
        const response = await fetch(`${prometheusUrl}/api/v1/query?query=payments_chargeback_ratio`).catch(
          () => undefined,
        );
        const body = (await response?.json().catch(() => undefined)) as
          | { data?: { result?: unknown[] } }
          | undefined;
        return (body?.data?.result?.length ?? 0) > 0 ? true : undefined;
      });

      metricsPort = await freePort();
      operator = spawn(
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
          namespace.name,
          '--no-leader-elect',
        ],
        {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: {
            ...process.env,
            KUBECONFIG: sharedControlPlaneInfo().kubeconfigPath,
            LOG_LEVEL: 'warn',
            STEWARD_IMAGE: 'steward:integration',
          },
        },
      );
    }, 600_000); // the first run may install Debian's prometheus package

    afterAll(async () => {
      if (operator?.exitCode === null) operator.kill('SIGKILL');
      if (prometheus?.exitCode === null) prometheus.kill('SIGTERM');
      exporter?.close();
      await store?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('makes the CronJob with the asserted spec, follows a schedule edit and goes away with the monitor', async () => {
      await createMonitor('lifecycle', {
        timeZone: 'Europe/Berlin',
        prometheus: { url: 'http://127.0.0.1:1' },
        businessKpis: [{ name: 'k', query: 'vector(1)', max: 2 }],
      });
      const cronJob = await client.get<CronJob>(CronJobType, namespace.name, 'lifecycle-drift-check');
      expect(cronJob.spec).toMatchObject({
        schedule: '0 * * * *',
        timeZone: 'Europe/Berlin',
        suspend: false,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
      });
      const pod = cronJob.spec?.jobTemplate.spec?.template.spec;
      expect(pod?.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod?.containers[0]).toMatchObject({
        image: 'steward:integration',
        args: ['job', 'drift-check'],
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
      });
      const ready = await converged('Ready', async () => condition(await getMonitor('lifecycle'), 'Ready'));
      expect(ready).toMatchObject({ status: 'True', reason: 'CheckScheduled' });

      await client.mergePatch(DriftMonitorType, namespace.name, 'lifecycle', {
        spec: { schedule: '*/15 * * * *' },
      });
      await converged('the CronJob to follow the new schedule', async () => {
        const live = await client.get<CronJob>(CronJobType, namespace.name, 'lifecycle-drift-check');
        return live.spec?.schedule === '*/15 * * * *' ? live : undefined;
      });

      // The API server refuses what a CronJob would refuse: it never reaches one.
      await expect(
        client.mergePatch(DriftMonitorType, namespace.name, 'lifecycle', {
          spec: { schedule: '61 * * * *' },
        }),
      ).rejects.toThrow(/schedule/);

      await client.delete(DriftMonitorType, namespace.name, 'lifecycle');
      await converged('the CronJob to be collected with its monitor', async () => {
        const left = await client.list<CronJob>(CronJobType, {
          namespace: namespace.name,
          labelSelector: `${MONITOR_LABEL}=lifecycle`,
        });
        return left.items.length === 0 ? true : undefined;
      });
    });

    it('detects a KPI bound breached in a real Prometheus and requests exactly one retrain within the cooldown', async () => {
      await createMonitor('kpi', {
        businessKpis: [{ name: 'chargeback_rate', query: 'payments_chargeback_ratio', max: 0.004 }],
        prometheus: { url: prometheusUrl, timeout: '10s' },
        onDrift: { retrainPipeline: 'fraud-scorer-retrain', cooldown: '24h' },
      });
      const first = await check('kpi');
      expect(first.status?.lastResult).toMatchObject({
        outcome: 'Drift',
        businessKpis: [{ name: 'chargeback_rate', value: CHARGEBACK_RATIO, max: 0.004, outcome: 'Drift' }],
      });
      expect(condition(first, 'DriftDetected')).toMatchObject({ status: 'True', reason: 'Drift' });
      expect(condition(first, 'CheckFailing')).toMatchObject({ status: 'False', reason: 'CheckSucceeded' });
      const request = first.status?.lastRetrainTrigger;
      expect(request).toMatchObject({ pipeline: 'fraud-scorer-retrain' });
      expect(request?.reason).toMatch(/KPI chargeback_rate 0\.009000 > max 0\.004/);

      const second = await check('kpi');
      expect(second.status?.lastResult?.outcome).toBe('Drift');
      expect(second.status?.lastRetrainTrigger).toEqual(request);

      // The report map holds the full result, written by the check's own ServiceAccount, which may do nothing else.
      const account = new KubeClient(
        await kubeConfigForServiceAccount(testKubeConfig(), namespace.name, 'kpi-drift-check'),
      );
      const report = await account.get(ConfigMapType, namespace.name, 'kpi-drift-report');
      expect(
        JSON.parse((report as { data?: Record<string, string> }).data?.['report.json'] ?? '{}'),
      ).toMatchObject({
        job: second.status?.lastResult?.job,
      });
      await expect(account.get(ConfigMapType, namespace.name, 'kpi-drift-check-other')).rejects.toThrow(
        /forbidden|403/i,
      );
      await expect(account.list(DriftMonitorType, { namespace: namespace.name })).rejects.toThrow(
        /forbidden|403/i,
      );
    });

    it('says CheckFailing, naming Prometheus, when Prometheus is unreachable', async () => {
      await createMonitor('no-prometheus', {
        businessKpis: [{ name: 'chargeback_rate', query: 'payments_chargeback_ratio', max: 0.004 }],
        prometheus: { url: `http://127.0.0.1:${await freePort()}`, timeout: '5s' },
      });
      const monitor = await check('no-prometheus');
      expect(condition(monitor, 'CheckFailing')).toMatchObject({ status: 'True', reason: 'Failed' });
      expect(condition(monitor, 'CheckFailing')?.message).toMatch(
        /^KPI chargeback_rate: PrometheusUnavailable: Prometheus at http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED$/,
      );
      expect(condition(monitor, 'DriftDetected')).toMatchObject({ status: 'Unknown', reason: 'Failed' });
    });

    it('joins delayed labels to the predictions by key, both read over s3:// with the Secret the spec names, and says Inconclusive when too few match', async () => {
      if (!store) throw new Error('the object store did not start');
      const secret = await store.createCredentialsSecret(core, namespace.name);
      const source = (file: string) => ({
        uri: store?.uri(`${EXAMPLE_PREFIX}${file}`),
        format: 'csv',
        credentialsSecretRef: { name: secret },
      });
      await createMonitor('concept-join', {
        conceptDrift: {
          predictions: source('predictions.csv'),
          labels: source('labels.csv'),
          keyColumns: ['transaction_id'],
          minMatchRate: 0.9,
          predictionColumn: 'score',
          labelColumn: 'is_fraud',
          metric: 'auc',
          baseline: 0.947,
          maxDegradation: 0.03,
          minSampleSize: 200,
        },
      });
      const cronJob = await client.get<CronJob>(CronJobType, namespace.name, 'concept-join-drift-check');
      expect(cronJob.spec?.jobTemplate.spec?.template.spec?.containers[0]?.envFrom).toEqual([
        { secretRef: { name: secret } },
      ]);
      const joined = await check('concept-join');
      expect(joined.status?.lastResult?.conceptDrift).toMatchObject({
        metric: 'auc',
        outcome: 'NoDrift',
        sampleSize: 300,
        join: {
          labelRows: 300,
          predictionRows: 360,
          unmatchedLabels: 0,
          unmatchedPredictions: 60,
          matchRate: 1,
        },
      });

      // Labels keyed by another identifier (a pipeline bug): a third still matches by chance of numbering.
      const labels = (await readFile(join(repo, 'examples/fraud-scoring/data/labels.csv'), 'utf8'))
        .trim()
        .split('\n');
      const rekeyed = labels.map((line, i) =>
        i === 0 || i % 3 === 0 ? line : line.replace(/^txn-/, 'order-'),
      );
      await store.put(`${EXAMPLE_PREFIX}labels-rekeyed.csv`, rekeyed.join('\n'));
      await client.mergePatch(DriftMonitorType, namespace.name, 'concept-join', {
        spec: { conceptDrift: { labels: source('labels-rekeyed.csv') } },
      });
      await converged('the CronJob to read the rekeyed labels', async () => {
        const live = await client.get<CronJob>(CronJobType, namespace.name, 'concept-join-drift-check');
        return JSON.stringify(live.spec).includes('labels-rekeyed.csv') ? live : undefined;
      });
      const mismatched = await check('concept-join');
      expect(mismatched.status?.lastResult?.conceptDrift).toMatchObject({
        outcome: 'Inconclusive',
        reason: 'LowMatchRate',
        sampleSize: 100,
        join: { labelRows: 300, unmatchedLabels: 200 },
        message:
          '33.3% of 300 label(s) found their prediction by transaction_id, the minimum match rate is 90.0%',
      });
      expect(mismatched.status?.lastResult?.conceptDrift?.value).toBeUndefined();
      // The rate reaches Prometheus too, so a join gone wrong can page someone before quality does. The act
      // step patches status before it sets metrics, so the first check's rate (1) may still be there: await
      // the new one rather than take the first value seen.
      const rate = await converged('the match rate of the second check on /metrics', async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        const value = /^steward_drift_concept_match_rate\{[^}]*monitor="concept-join"[^}]*\} (\S+)$/m.exec(
          text,
        )?.[1];
        return value !== undefined && Number(value) < 1 ? value : undefined;
      });
      expect(Number(rate)).toBeCloseTo(1 / 3);
      expect(mismatched.status?.lastRetrainTrigger).toBeUndefined();
    });

    it('gives each kind of bad data a specific reason in status, and keeps running', async () => {
      const baseline = join(testdata, 'baseline.csv');
      const parquet = await readFile(join(testdata, 'baseline.parquet'));
      const header = 'age,income,plan,churned';
      const rows = (n: number, row: (i: number) => string) =>
        Array.from({ length: n }, (_, i) => row(i)).join('\n');
      const files: Record<string, string | Buffer> = {
        'empty.csv': '',
        'truncated.parquet': parquet.subarray(0, Math.floor(parquet.length / 2)),
        'missing-column.csv': `age,income,plan\n${rows(100, (i) => `${30 + (i % 20)},${20000 + i},basic`)}`,
        'nan-only.csv': `${header}\n${rows(100, () => 'NaN,NaN,basic,0')}`,
        // More distinct values than a profile counts (10 000): an identifier, not a feature.
        'ids.csv': `id\n${rows(20_001, (i) => `id-${i}`)}`,
      };
      for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
      const cases: [string, Record<string, unknown>, (m: DriftMonitor) => void][] = [
        [
          'bad-empty',
          { current: { uri: `file://${dir}/empty.csv`, format: 'csv' } },
          (m) =>
            expect(m.status?.lastResult?.dataDrift).toMatchObject({
              outcome: 'Failed',
              reason: 'InvalidData',
              message: expect.stringMatching(/empty file/),
            }),
        ],
        [
          'bad-parquet',
          { current: { uri: `file://${dir}/truncated.parquet`, format: 'parquet' } },
          (m) =>
            expect(m.status?.lastResult?.dataDrift).toMatchObject({
              outcome: 'Failed',
              reason: 'InvalidData',
              message: expect.stringMatching(/not a readable Parquet file/),
            }),
        ],
        [
          'bad-missing',
          { current: { uri: `file://${dir}/missing-column.csv`, format: 'csv' } },
          (m) =>
            expect(m.status?.lastResult?.features?.[0]).toMatchObject({
              name: 'churned',
              outcome: 'SchemaDrift',
              reason: 'MissingColumn',
            }),
        ],
        [
          'bad-unreachable',
          { current: { uri: `file://${dir}/absent.csv`, format: 'csv' } },
          (m) =>
            expect(m.status?.lastResult?.dataDrift).toMatchObject({
              outcome: 'Failed',
              reason: 'SourceUnreachable',
            }),
        ],
        [
          'bad-nan',
          { current: { uri: `file://${dir}/nan-only.csv`, format: 'csv' } },
          (m) =>
            expect(
              m.status?.lastResult?.features?.map((f) => [f.name, f.outcome, f.reason]).slice(0, 2),
            ).toEqual([
              ['age', 'SchemaDrift', 'NoValues'],
              ['income', 'SchemaDrift', 'NoValues'],
            ]),
        ],
        [
          'bad-ids',
          {
            baseline: { source: { uri: `file://${dir}/ids.csv`, format: 'csv' } },
            current: { uri: `file://${dir}/ids.csv`, format: 'csv' },
          },
          (m) =>
            expect(m.status?.lastResult?.features?.[0]).toMatchObject({
              name: 'id',
              outcome: 'Inconclusive',
              reason: 'TooManyCategories',
            }),
        ],
      ];
      for (const [name, spec, expectation] of cases) {
        await createMonitor(name, {
          baseline: { source: { uri: `file://${baseline}`, format: 'csv' } },
          dataDrift: {},
          ...spec,
        });
        expectation(await check(name));
      }
      expect(operator?.exitCode).toBeNull();
    });
  },
);
