/**
 * Every rollout gate of a ModelDeployment, pure: the controller feeds it from the informer cache,
 * `steward check` from manifests on disk. Same input, same verdict.
 */
import { type ModelDeploymentSpec, Reason } from '@steward/api';
import { isValidVersion } from '@steward/contracts';
import { type ContractVerdict, contractGate } from './contract.ts';
import { governanceGate } from './governance.ts';
import { type OwnerVerdict, ownerGate } from './owner.ts';
import { failure, type GateFailure, type GateVerdict } from './verdict.ts';

export { ownerIdentities } from './governance.ts';
export { clip, type GateFailure, type GateVerdict, gateCondition } from './verdict.ts';

/** The version a spec asks to serve, resolved (from a RetrainPipeline's status for versionFrom). */
export interface Candidate {
  version: string;
  uri: string;
}

/** What the gates read besides the spec: the referenced objects as the cache (or disk) holds them. */
export interface GateInputs {
  /** The OutputContract spec.outputContract names; undefined when it does not exist. */
  contract: { spec?: unknown } | undefined;
  /** The RetrainPipeline spec.model.versionFrom names; undefined when it does not exist. */
  pipeline: { status?: { promotedVersion?: string; promotedUri?: string } } | undefined;
  now: Date;
}

export interface GateReport {
  candidate: Candidate | undefined;
  owner: OwnerVerdict;
  contract: ContractVerdict;
  governance: GateVerdict;
  /** Every failure of every gate, the version resolution first: what RolloutBlocked lists. */
  failures: GateFailure[];
}

export function evaluateGates(spec: ModelDeploymentSpec, inputs: GateInputs): GateReport {
  const resolved = resolveCandidate(spec, inputs.pipeline);
  const owner = ownerGate(spec.owner, inputs.now);
  const contract = contractGate(spec, inputs.contract);
  const governance = governanceGate(spec, resolved.candidate?.version);
  return {
    candidate: resolved.candidate,
    owner,
    contract,
    governance,
    failures: [...resolved.failures, ...owner.failures, ...contract.failures, ...governance.failures],
  };
}

function resolveCandidate(
  spec: ModelDeploymentSpec,
  pipeline: GateInputs['pipeline'],
): { candidate: Candidate | undefined; failures: GateFailure[] } {
  const { version, uri, versionFrom } = spec.model;
  // The schema requires exactly one of version (with uri) and versionFrom.
  if (version !== undefined && uri !== undefined) return { candidate: { version, uri }, failures: [] };
  const name = versionFrom?.retrainPipeline ?? '';
  if (pipeline === undefined) {
    const missing = `spec.model.versionFrom.retrainPipeline: RetrainPipeline '${name}' does not exist in this namespace`;
    return { candidate: undefined, failures: [failure(Reason.ReferenceNotFound, missing)] };
  }
  const promoted = pipeline.status?.promotedVersion;
  const promotedUri = pipeline.status?.promotedUri;
  if (promoted === undefined || promotedUri === undefined) {
    const pending = `spec.model.versionFrom.retrainPipeline: RetrainPipeline '${name}' has not promoted a version (with its uri) yet`;
    return { candidate: undefined, failures: [failure(Reason.VersionPending, pending)] };
  }
  if (!isValidVersion(promoted)) {
    const invalid = `RetrainPipeline '${name}' promoted version '${promoted}', which is not a semantic version`;
    return { candidate: undefined, failures: [failure(Reason.InvalidSpec, invalid)] };
  }
  return { candidate: { version: promoted, uri: promotedUri }, failures: [] };
}
