/**
 * The RetrainPipeline's Jobs running for real on the node: the example trainer and validator (in the
 * Steward image) learn from the example data, read over s3:// from the S3-compatible store (hack/s3); the
 * operator reads their termination messages and promotes; a fire drill runs `steward job drill-check`, in
 * the check Pod the DriftMonitor controller defines, on an injected copy of the baseline.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { DRILL_REQUESTED_ANNOTATION, RETRAIN_REQUESTED_ANNOTATION, type RetrainPipeline } from '@steward/api';
import { DriftMonitorType, RetrainPipelineType } from '@steward/operator';
import { type CronJob, CronJobType, KubeClient } from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { EXAMPLE_PREFIX, type ObjectStore, startObjectStore } from '../harness/object-store.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';
import {
  exampleTrainerStage,
  RETRAIN_RUN_TIMEOUT_MS,
  pipelineWhere as waitForPipeline,
} from '../harness/retrain-jobs.ts';
import { createWorkVolume, type WorkVolume } from '../harness/work-volume.ts';
import { clients, stewardImage } from './support.ts';

// The Jobs read the example data over s3:// and write the model artefacts to a volume (file://), which
// the validate Job (and a model server) mounts too.
const WORK = '/work';
const CLAIM = 'fraud-models';

// The artefacts' volume is a host folder of the local node: not there on an existing cluster.
describe.skipIf(process.env.USE_EXISTING_CLUSTER === 'true')('RetrainPipeline Jobs on the node', () => {
  const ns = useTestNamespace();
  let client: KubeClient;
  let operator: OperatorProcess | undefined;
  let store: ObjectStore | undefined;
  let work: WorkVolume | undefined;
  let secret = '';
  const data = (file: string) => store?.uri(`${EXAMPLE_PREFIX}${file}`) ?? '';

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    store = await startObjectStore({ host: inject('stewardNode').hostIp });
    secret = await store.createCredentialsSecret(clients().core, ns.name);
    // The Jobs read the data from the store and write models/ to the volume.
    work = await createWorkVolume(testKubeConfig(), ns.name, CLAIM);
    // The image of the check Jobs the DriftMonitor controller makes, as in-cluster.
    operator = await startOperatorProcess(ns.name, { env: { STEWARD_IMAGE: stewardImage() } });
  });

  afterAll(async () => {
    await operator?.stop();
    await work?.remove();
    await store?.stop();
  });

  /** A stage of the example trainer: data from the object store with the Secret's keys, models on the volume. */
  const job = (script: 'train.ts' | 'validate.ts', args: string[]) => ({
    ...exampleTrainerStage(stewardImage(), script, args, [
      { name: 'work', mountPath: WORK, persistentVolumeClaim: CLAIM },
    ]),
    env: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL'].map((key) => ({
      name: key,
      secretKeyRef: { name: secret, key },
    })),
  });
  const output = `--output=file://${WORK}/models`;
  const pipelineWhere = (name: string, done: (p: RetrainPipeline) => boolean, what: string) =>
    waitForPipeline(client, ns.name, name, done, what);

  it(
    'a manual run trains the example model, validates it on the holdout and promotes it',
    async () => {
      const started = Date.now();
      await client.create(RetrainPipelineType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'RetrainPipeline',
        metadata: {
          name: 'fraud',
          namespace: ns.name,
          annotations: { [RETRAIN_REQUESTED_ANNOTATION]: 'e2e' },
        },
        spec: {
          modelDeployment: { name: 'fraud-scorer' },
          train: job('train.ts', [`--data=${data('training.csv')}`, output]),
          validate: {
            ...job('validate.ts', [
              `--holdout=${data('holdout.csv')}`,
              '--fairness=false_positive_rate_ratio:age_band:0.8:1.5',
            ]),
            gates: [
              { name: 'auc', min: 0.93 },
              { name: 'recall_at_1pct_fpr', min: 0.45 },
              { name: 'p99_latency_ms', max: 40 },
            ],
          },
          promotion: { mode: 'auto' },
        },
      });
      const pipeline = await pipelineWhere(
        'fraud',
        (p) => (p.status?.runs ?? []).some((run) => ['Promoted', 'Rejected', 'Failed'].includes(run.phase)),
        'the run to end',
      );
      const run = pipeline.status?.runs?.[0];
      console.log(
        `e2e retrain: ${run?.phase} in ${((Date.now() - started) / 1000).toFixed(1)} s, metrics ${JSON.stringify(run?.metrics)}`,
      );
      expect(run?.phase, run?.message).toBe('Promoted');
      expect(run?.candidateVersion).toBe(`1.0.0-${run?.id}`);
      expect(run?.metrics?.auc).toBeGreaterThan(0.93);
      expect(run?.evaluation?.map((e) => e.slice)).toContain('channel-mobile');
      expect(pipeline.status?.promotedVersion).toBe(run?.candidateVersion);
      expect(pipeline.status?.promotedUri).toBe(`file://${WORK}/models/${run?.candidateVersion}/`);
    },
    RETRAIN_RUN_TIMEOUT_MS + 30_000,
  );

  it(
    'a fire drill detects drift injected into the baseline with the real drill check, trains and validates in dry-run mode',
    async () => {
      const monitorManifest = {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'DriftMonitor',
        metadata: { name: 'fraud-drift', namespace: ns.name },
        spec: {
          target: { name: 'fraud-scorer' },
          schedule: '0 */6 * * *',
          // The drill copies the check Pod the DriftMonitor controller defines, with the Secret it passes.
          baseline: {
            source: { uri: data('reference.csv'), format: 'csv', credentialsSecretRef: { name: secret } },
          },
          current: { uri: data('reference.csv'), format: 'csv', credentialsSecretRef: { name: secret } },
          dataDrift: {
            driftShare: 0.1,
            features: [{ name: 'amount', type: 'numeric', method: 'wasserstein', threshold: 0.1 }],
          },
        },
      };
      const monitor = await client.create<KubernetesObject>(DriftMonitorType, monitorManifest);
      // The DriftMonitor controller (same operator) makes the check CronJob the drill copies.
      await eventually(
        'the check CronJob of DriftMonitor fraud-drift',
        async () =>
          (await client.list<CronJob>(CronJobType, { namespace: ns.name })).items.find((c) =>
            c.metadata?.ownerReferences?.some((o) => o.uid === monitor.metadata?.uid),
          ),
        RETRAIN_RUN_TIMEOUT_MS,
      );
      await client.create(RetrainPipelineType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'RetrainPipeline',
        metadata: { name: 'drill', namespace: ns.name, annotations: { [DRILL_REQUESTED_ANNOTATION]: 'e2e' } },
        spec: {
          modelDeployment: { name: 'fraud-scorer' },
          train: job('train.ts', [`--data=${data('training.csv')}`, output]),
          validate: {
            ...job('validate.ts', [`--holdout=${data('holdout.csv')}`]),
            gates: [{ name: 'auc', min: 0.93 }],
          },
          fireDrill: {
            schedule: '0 3 * * 1',
            driftMonitor: 'fraud-drift',
            injection: { features: ['amount'], kind: 'shift', magnitude: 2 },
          },
        },
      });
      const pipeline = await pipelineWhere(
        'drill',
        (p) => p.status?.lastDrill?.outcome === 'Passed' || p.status?.lastDrill?.outcome === 'Failed',
        'the drill to end',
      );
      const drill = pipeline.status?.lastDrill;
      console.log(
        `e2e drill: ${drill?.outcome} at ${drill?.stage}, ${drill?.secondsToValidatedCandidate}s to a validated candidate`,
      );
      expect(drill?.outcome, drill?.message).toBe('Passed');
      expect(drill?.detection).toMatch(/^Drift: .*amount Drift/);
      expect(drill?.candidateUri).toContain(`${WORK}/models/drills/`);
      expect(pipeline.status?.promotedVersion).toBeUndefined();
    },
    RETRAIN_RUN_TIMEOUT_MS + 30_000,
  );
});
