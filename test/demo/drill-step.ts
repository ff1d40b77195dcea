import { ConditionType, DRILL_REQUESTED_ANNOTATION, DrillOutcome, type RetrainPipeline } from '@steward/api';
import { RetrainPipelineType } from '@steward/operator';
import { pipelineWhere } from '../harness/retrain-jobs.ts';
import { conditionOf, type DemoKube, modelName, namespace } from './kube.ts';
import { deploymentModelVersion, modelReaches, readDeployment } from './model.ts';

// Step 6: a fire drill. Synthetic drift injected into a copy of the baseline must be detected by the
// monitor's own check, and a candidate trained on it must validate, in dry-run mode: nothing serving changes.

const drillEnded = (pipeline: RetrainPipeline) =>
  pipeline.status?.lastDrill?.outcome === DrillOutcome.Passed ||
  pipeline.status?.lastDrill?.outcome === DrillOutcome.Failed;

/** Plays step 6 on the pipeline of step 5, which promoted (and the Deployment rolled out) `servingVersion`. */
export async function playDrillStep(
  kube: DemoKube,
  pipelineName: string,
  servingVersion: string,
): Promise<void> {
  await kube.client.mergePatch(RetrainPipelineType, namespace, pipelineName, {
    metadata: { annotations: { [DRILL_REQUESTED_ANNOTATION]: 'demo' } },
  });
  console.log(
    `\n6. asked RetrainPipeline ${pipelineName} for a fire drill now (${DRILL_REQUESTED_ANNOTATION}; scheduled weekly in the example)`,
  );
  const pipeline = await pipelineWhere(
    kube.client,
    namespace,
    pipelineName,
    drillEnded,
    'the fire drill to end',
  );
  const drill = pipeline.status?.lastDrill;
  const healthy = conditionOf(pipeline, ConditionType.DrillHealthy);
  if (drill?.outcome !== DrillOutcome.Passed)
    throw new Error(`step 6: fire drill ${drill?.runId} failed at stage ${drill?.stage}: ${drill?.message}`);
  console.log(
    `   RetrainPipeline ${pipelineName}: lastDrill ${drill.runId} ${drill.outcome} at stage ${drill.stage}, ${drill.secondsToValidatedCandidate}s from injection to a validated candidate; DrillHealthy=${healthy?.status} (${healthy?.reason})`,
  );
  console.log(`     check on the injected copy of the baseline: ${drill.detection}`);
  console.log(`     dry-run candidate ${drill.candidateVersion} at ${drill.candidateUri}`);
  console.log(`     ${drill.message}`);

  const model = await modelReaches(
    kube,
    `still admitted at ${servingVersion}`,
    (m) => m.status?.admitted?.version === servingVersion,
  );
  const deployment = await readDeployment(kube);
  const deployed = deploymentModelVersion(deployment);
  if (pipeline.status?.promotedVersion !== servingVersion || deployed !== servingVersion)
    throw new Error(
      `step 6: the drill changed serving: promoted ${pipeline.status?.promotedVersion}, Deployment ${deployed}`,
    );
  console.log(
    `   serving unchanged: promotedVersion ${pipeline.status?.promotedVersion}, ModelDeployment ${modelName} admitted ${model.status?.admitted?.version}, Deployment ${deployed}`,
  );
}
