import { ConditionType, type ModelDeployment, type OutputContract, Reason } from '@steward/api';
import { admitted, blockedFor } from '../harness/model-gates.ts';
import { type Approvers, officerApproves, ownerIdentity } from './approvals.ts';
import { conditionOf, contractName, type DemoKube, type Manifest, modelName } from './kube.ts';
import {
  deploymentImage,
  deploymentModelVersion,
  modelReaches,
  printModel,
  readDeployment,
} from './model.ts';
import type { DemoServing } from './serving.ts';

// Steps 1-4 of the timeline: the ModelDeployment's owner and contract gates, and a breaking contract change.

export const SERVING_VERSION = '2.3.1';
const BREAKING_VERSION = '2.4.0';

const contractReaches = (kube: DemoKube, type: string, reason: string) =>
  kube.reaches<OutputContract>(
    'OutputContract',
    'outputcontracts',
    contractName,
    `${type}=${reason}`,
    (c) => conditionOf(c, type)?.reason === reason,
  );

/**
 * The example ModelDeployment as a GitOps repository holds it: without `approvals` (each approver adds
 * theirs as themselves) and owned by the owner's identity, so the approval policy knows who the owner is;
 * served the way this cluster can.
 */
function gitOpsModel(model: Manifest, serving: DemoServing): ModelDeployment['spec'] {
  const spec = structuredClone(model.spec) as ModelDeployment['spec'];
  if (spec.governance) delete spec.governance.approvals;
  if (spec.owner) spec.owner.username = ownerIdentity;
  spec.model.uri = serving.modelUri(SERVING_VERSION);
  spec.serving = serving.serving(spec.serving, SERVING_VERSION);
  return spec;
}

/** Plays steps 1-4; resolves with the spec serving 2.3.1. */
export async function playGateSteps(
  kube: DemoKube,
  approvers: Approvers,
  serving: DemoServing,
  contract: Manifest,
  model: Manifest,
): Promise<ModelDeployment['spec']> {
  const modelSpec = gitOpsModel(model, serving);

  // Step 1: the model arrives without an owner: no owner, no rollout.
  await kube.apply(contract, 'outputcontracts');
  const published = await contractReaches(kube, ConditionType.Ready, Reason.Published);
  console.log(
    `1. published OutputContract ${contractName} ${published.status?.latestVersion}: Ready (${conditionOf(published, ConditionType.Ready)?.message})`,
  );
  for (const consumer of published.status?.consumerStatuses ?? []) {
    console.log(
      `     consumer ${consumer.name} (${consumer.accepts}): ${consumer.inRange ? 'in range' : 'OUT OF RANGE'}`,
    );
  }
  const { owner, ...withoutOwner } = modelSpec;
  await kube.apply({ ...model, spec: withoutOwner }, 'modeldeployments');
  console.log(`   applied ModelDeployment ${modelName} ${modelSpec.model.version ?? ''} without spec.owner`);
  // High risk: approved by someone other than the owner, so the owner is the only gate it fails.
  await officerApproves(approvers, SERVING_VERSION);
  printModel(await modelReaches(kube, `blocked for ${Reason.OwnerMissing}`, blockedFor(Reason.OwnerMissing)));
  console.log(
    `     Deployment ${modelName}: ${(await deploymentImage(kube)) ?? 'none (nothing rolled out)'}`,
  );

  // Step 2: the owner is named; every gate passes and the version rolls out.
  await kube.apply({ ...model, spec: modelSpec }, 'modeldeployments');
  console.log(
    `\n2. named the owner ${owner?.name} (${owner?.team}, reviewed ${owner?.lastReviewed}; identity ${owner?.username})`,
  );
  printModel(await modelReaches(kube, `admitted at ${SERVING_VERSION}`, admitted(SERVING_VERSION)));
  console.log(`     Deployment ${modelName}: ${await serving.servedBy(kube, SERVING_VERSION)}`);

  // Step 3: a new model version drops a field the contract requires; v1 keeps serving.
  const breaking = structuredClone(modelSpec);
  breaking.model = { ...breaking.model, version: BREAKING_VERSION, uri: serving.modelUri(BREAKING_VERSION) };
  breaking.serving = serving.serving(breaking.serving, BREAKING_VERSION);
  breaking.output = { fields: (breaking.output?.fields ?? []).filter((f) => f.path !== 'decision') };
  await kube.apply({ ...model, spec: breaking }, 'modeldeployments');
  console.log(
    `\n3. applied ${modelName} ${BREAKING_VERSION}, whose output no longer has the field 'decision'`,
  );
  // Approved like its predecessor, so the contract is the only gate it fails.
  await officerApproves(approvers, BREAKING_VERSION);
  printModel(
    await modelReaches(kube, `blocked for ${Reason.ContractBreaking}`, blockedFor(Reason.ContractBreaking)),
  );
  const during = deploymentModelVersion(await readDeployment(kube));
  if (during !== SERVING_VERSION) throw new Error(`step 3: Deployment ${modelName} runs ${during}, not v1`);
  console.log(`     Deployment ${modelName}: still serving ${during}`);

  // Step 4: the contract itself drops a field its consumers read, announced as a minor version.
  const fields = (contract.spec.schema as { fields: { path: string }[] }).fields.filter(
    (f) => f.path !== 'model_version',
  );
  await kube.apply(
    { ...contract, spec: { ...contract.spec, version: '2.2.0', schema: { fields } } },
    'outputcontracts',
  );
  console.log('\n4. published contract 2.2.0, which removes the field model_version, as a minor version');
  const flagged = await contractReaches(
    kube,
    ConditionType.VersionBumpValid,
    Reason.BreakingChangeWithoutMajorBump,
  );
  const bump = conditionOf(flagged, ConditionType.VersionBumpValid);
  console.log(`   ${ConditionType.VersionBumpValid}=${bump?.status} (${bump?.reason}): ${bump?.message}`);
  for (const finding of flagged.status?.lastDiff?.findings ?? []) {
    console.log(`     ${finding.severity}: ${finding.path} ${finding.change} — ${finding.reason}`);
  }
  return modelSpec;
}
