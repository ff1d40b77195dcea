/**
 * The RetrainPipeline's Jobs running for real on the node: the example trainer and validator (in the
 * Steward image) learn from the example data, the operator reads their termination messages and
 * promotes; a fire drill runs `steward job drill-check`, in the check Pod the DriftMonitor controller
 * defines, on an injected copy of the baseline.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { DRILL_REQUESTED_ANNOTATION, RETRAIN_REQUESTED_ANNOTATION, type RetrainPipeline } from '@steward/api';
import { DriftMonitorType, RetrainPipelineType } from '@steward/operator';
import { type CronJob, CronJobType, KubeClient } from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';
import { type OperatorProcess, startOperatorProcess } from '../harness/operator-process.ts';
import { clients, stewardImage } from './support.ts';

const exampleData = new URL('../../examples/fraud-scoring/data/', import.meta.url).pathname;
const TRAINER = '/app/examples/fraud-scoring/trainer/src';
// Each stage is a Pod the node starts and runs (training: a few seconds of gradient descent on 4000
// rows); a run is two stages, a drill three, on a busy 2-core machine.
const RUN_TIMEOUT_MS = 240_000;
// What the example Jobs share: the data they read and the artefacts they write, on a host folder the
// node mounts through a PersistentVolume (one node, so hostPath is the whole story).
const WORK = '/work';
const CLAIM = 'fraud-work';

describe.skipIf(process.env.USE_EXISTING_CLUSTER === 'true')('RetrainPipeline Jobs on the node', () => {
  const ns = useTestNamespace();
  let client: KubeClient;
  let operator: OperatorProcess | undefined;
  let hostFolder = '';

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    hostFolder = mkdtempSync(join(tmpdir(), 'steward-e2e-retrain-'));
    mkdirSync(join(hostFolder, 'data'));
    for (const file of ['training.csv', 'holdout.csv', 'reference.csv']) {
      copyFileSync(join(exampleData, file), join(hostFolder, 'data', file));
    }
    mkdirSync(join(hostFolder, 'models'));
    // The image's user (65532) writes the artefacts.
    chmodSync(join(hostFolder, 'models'), 0o777);
    chmodSync(hostFolder, 0o755);
    const { core } = clients();
    const volume = `${ns.name}-work`;
    await core.createPersistentVolume({
      body: {
        metadata: { name: volume },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: '',
          hostPath: { path: hostFolder, type: 'Directory' },
        },
      },
    });
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns.name,
      body: {
        metadata: { name: CLAIM },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: '',
          volumeName: volume,
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
    // The image of the check Jobs the DriftMonitor controller makes, as in-cluster.
    operator = await startOperatorProcess(ns.name, { env: { STEWARD_IMAGE: stewardImage() } });
  });

  afterAll(async () => {
    await operator?.stop();
    await clients()
      .core.deletePersistentVolume({ name: `${ns.name}-work` })
      .catch(() => undefined);
    if (hostFolder) rmSync(hostFolder, { recursive: true, force: true });
  });

  const job = (script: string, args: string[]) => ({
    image: stewardImage(),
    command: ['node', `${TRAINER}/${script}`],
    args,
    timeout: '10m',
    backoffLimit: 0,
    volumes: [{ name: 'work', mountPath: WORK, persistentVolumeClaim: CLAIM }],
  });

  async function pipelineWhere(name: string, done: (p: RetrainPipeline) => boolean, what: string) {
    let last: RetrainPipeline | undefined;
    return eventually(
      () => `${what} (last status: ${JSON.stringify(last?.status)})`,
      async () => {
        last = await client.get<RetrainPipeline>(RetrainPipelineType, ns.name, name);
        return done(last) ? last : undefined;
      },
      RUN_TIMEOUT_MS,
    );
  }

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
          train: job('train.ts', [`--data=${WORK}/data/training.csv`, `--output=file://${WORK}/models`]),
          validate: {
            ...job('validate.ts', [
              `--holdout=${WORK}/data/holdout.csv`,
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
    RUN_TIMEOUT_MS + 30_000,
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
          // The DriftMonitor controller mounts pvc:// sources' claims into its check Pod.
          baseline: { source: { uri: `pvc://${CLAIM}/data/reference.csv`, format: 'csv' } },
          current: { uri: `pvc://${CLAIM}/data/reference.csv`, format: 'csv' },
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
        RUN_TIMEOUT_MS,
      );
      await client.create(RetrainPipelineType, {
        apiVersion: 'mlops.steward.dev/v1alpha1',
        kind: 'RetrainPipeline',
        metadata: { name: 'drill', namespace: ns.name, annotations: { [DRILL_REQUESTED_ANNOTATION]: 'e2e' } },
        spec: {
          modelDeployment: { name: 'fraud-scorer' },
          train: job('train.ts', [`--data=${WORK}/data/training.csv`, `--output=file://${WORK}/models`]),
          validate: {
            ...job('validate.ts', [`--holdout=${WORK}/data/holdout.csv`]),
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
    RUN_TIMEOUT_MS + 30_000,
  );
});
