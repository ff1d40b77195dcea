import {
  CHECK_REQUESTED_ANNOTATION,
  ConditionType,
  type DriftMonitor,
  type ModelDeployment,
  Reason,
  type RetrainPipeline,
  RunPhase,
  RunTrigger,
} from '@steward/api';
import { DriftMonitorType } from '@steward/operator';
import { admitted, blockedFor } from '../harness/model-gates.ts';
import { pipelineWhere, RETRAIN_RUN_TIMEOUT_MS } from '../harness/retrain-jobs.ts';
import { type Approvers, approve, officerApproves, ownerIdentity } from './approvals.ts';
import { conditionOf, type DemoKube, type Manifest, modelName, namespace } from './kube.ts';
import { modelReaches, printModel } from './model.ts';
import type { DemoServing } from './serving.ts';

// Step 5: drift on the example data -> the check Pod detects it -> the pipeline retrains on the node ->
// the candidate passes the gates -> promoted -> approved by the risk officer -> the Deployment rolls it out.

const FINAL_PHASES: string[] = [RunPhase.Promoted, RunPhase.Rejected, RunPhase.Failed, RunPhase.Cancelled];
const AFTER_TRAINING: string[] = [RunPhase.Validating, RunPhase.AwaitingApproval, ...FINAL_PHASES];

/** The newest drift-triggered run of the pipeline, once its phase is one of `phases`. */
const driftRun = (phases: string[]) => (pipeline: RetrainPipeline) =>
  (pipeline.status?.runs ?? []).findLast(
    (run) => run.trigger === RunTrigger.Drift && phases.includes(run.phase),
  );

function printMonitor(monitor: DriftMonitor) {
  const detected = conditionOf(monitor, ConditionType.DriftDetected);
  const result = monitor.status?.lastResult;
  console.log(
    `   DriftMonitor ${monitor.metadata.name}: DriftDetected=${detected?.status} (${detected?.reason}), check Job ${result?.job}`,
  );
  for (const feature of (result?.features ?? []).filter((f) => f.outcome === 'Drift')) {
    console.log(
      `     drift: ${feature.name} ${feature.method} ${feature.score?.toFixed(3)} >= ${feature.threshold} (${feature.referenceSize} vs ${feature.sampleSize} rows)`,
    );
  }
  const concept = result?.conceptDrift;
  if (concept) {
    const join = concept.join
      ? `, ${(concept.join.matchRate * 100).toFixed(0)}% of labels joined to their prediction`
      : '';
    console.log(
      `     concept: ${concept.metric} ${concept.value?.toFixed(3)} on ${concept.sampleSize} labelled rows against baseline ${concept.baseline}${join}: ${concept.outcome}`,
    );
  }
  const request = monitor.status?.lastRetrainTrigger;
  console.log(`     retrain requested: RetrainPipeline ${request?.pipeline} at ${request?.time}`);
}

export interface RetrainOutcome {
  /** The version the pipeline promoted and the Deployment now runs. */
  promotedVersion: string;
}

/** Plays step 5. `servingSpec` is the ModelDeployment spec of steps 1-4 that passed every gate. */
export async function playRetrainStep(
  kube: DemoKube,
  approvers: Approvers,
  serving: DemoServing,
  monitor: Manifest,
  pipeline: Manifest,
  servingSpec: ModelDeployment['spec'],
): Promise<RetrainOutcome> {
  const servingVersion = servingSpec.model.version ?? '';
  const pipelineName = pipeline.metadata.name;
  await kube.apply(pipeline, 'retrainpipelines');
  const follower = structuredClone(servingSpec);
  delete follower.model.version;
  delete follower.model.uri;
  follower.model.versionFrom = { retrainPipeline: pipelineName };
  await kube.apply(
    {
      apiVersion: pipeline.apiVersion,
      kind: 'ModelDeployment',
      metadata: { name: modelName },
      spec: follower,
    },
    'modeldeployments',
  );
  console.log(
    `\n5. applied RetrainPipeline ${pipelineName} (the example trainer and validator as Jobs of the Steward image); ${modelName} now follows it (spec.model.versionFrom)`,
  );
  printModel(
    await modelReaches(
      kube,
      `pending a promotion while ${servingVersion} serves`,
      (m) => blockedFor(Reason.VersionPending)(m) && m.status?.admitted?.version === servingVersion,
    ),
  );

  await kube.apply(monitor, 'driftmonitors');
  const scheduled = await kube.reaches<DriftMonitor>(
    'DriftMonitor',
    'driftmonitors',
    monitor.metadata.name,
    'scheduled',
    (m) => conditionOf(m, ConditionType.Ready)?.status === 'True',
  );
  console.log(
    `   applied DriftMonitor ${monitor.metadata.name}: Ready (${conditionOf(scheduled, ConditionType.Ready)?.reason}), CronJob ${scheduled.status?.cronJobName}`,
  );
  // The drift: the example's current window (data/current.csv) has shifted against the reference window.
  await kube.client.mergePatch(DriftMonitorType, namespace, monitor.metadata.name, {
    metadata: { annotations: { [CHECK_REQUESTED_ANNOTATION]: 'demo' } },
  });
  console.log(
    `   drift injected: the current window (data/current.csv) has shifted against the reference; asked for a check now (${CHECK_REQUESTED_ANNOTATION})`,
  );
  const detected = await kube.reaches<DriftMonitor>(
    'DriftMonitor',
    'driftmonitors',
    monitor.metadata.name,
    'detecting drift and requesting a retrain',
    (m) =>
      conditionOf(m, ConditionType.DriftDetected)?.status === 'True' &&
      m.status?.lastRetrainTrigger?.pipeline === pipelineName,
    RETRAIN_RUN_TIMEOUT_MS,
  );
  printMonitor(detected);

  const where = (phases: string[], what: string) =>
    pipelineWhere(kube.client, namespace, pipelineName, (p) => driftRun(phases)(p) !== undefined, what);
  const trained = driftRun(AFTER_TRAINING)(await where(AFTER_TRAINING, 'the drift run to finish training'));
  console.log(
    `   RetrainPipeline ${pipelineName}: run ${trained?.id} (${trained?.reason}); train Job reported candidate ${trained?.candidateVersion}`,
  );
  const ended = await where(FINAL_PHASES, 'the drift run to end');
  const run = driftRun(FINAL_PHASES)(ended);
  const metrics = Object.entries(run?.metrics ?? {})
    .map(([name, value]) => `${name} ${Number(value.toFixed(4))}`)
    .join(', ');
  console.log(
    `     validate Job: ${metrics}; fairness ${run?.fairness?.map((f) => `${f.metric}/${f.attribute} ${f.value.toFixed(3)}`).join(', ')}`,
  );
  if (run?.phase !== RunPhase.Promoted || !ended.status?.promotedVersion)
    throw new Error(`step 5: the drift run ended ${run?.phase}: ${run?.message}`);
  const promotedVersion = ended.status.promotedVersion;
  console.log(`     ${run.phase}: status.promotedVersion ${promotedVersion} (${ended.status.promotedUri})`);

  // High risk: the follower waits for an approval of exactly this version, by someone other than its owner.
  printModel(
    await modelReaches(
      kube,
      `awaiting an approval of ${promotedVersion}`,
      blockedFor(Reason.ApprovalMissing),
    ),
  );
  const refused = await approve(approvers.owner, ownerIdentity, 'model-owner', promotedVersion);
  if (refused.status !== 403)
    throw new Error(`step 5: the owner's own approval was answered ${refused.status}, not refused`);
  const refusal = (JSON.parse(refused.body) as { message?: string }).message;
  console.log(
    `   ${ownerIdentity} (the owner) tried to approve ${promotedVersion}: refused (403: ${refusal})`,
  );
  await officerApproves(approvers, promotedVersion);
  printModel(await modelReaches(kube, `admitted at ${promotedVersion}`, admitted(promotedVersion)));
  console.log(`     Deployment ${modelName}: ${await serving.servedBy(kube, promotedVersion)}`);
  return { promotedVersion };
}
