/**
 * The output-contract gate: the declared output against the contract's schema (the @steward/contracts
 * engine), the contract version against spec.outputContract.versionRange, and every consumer's range.
 */
import { ConditionType, type ModelDeploymentSpec, Reason } from '@steward/api';
import {
  checkDeclaredOutput,
  consumerStatus,
  type OutputContractSpec,
  outputContractSpecSchema,
  satisfies,
} from '@steward/contracts';
import { describeIssues } from '../../spec-issues.ts';
import { failure, type GateFailure, type GateVerdict } from './verdict.ts';

// A condition message names this many fields; the rest are counted.
const MAX_FIELDS_NAMED = 10;

export interface ContractVerdict extends GateVerdict {
  /** The contract version checked, when the contract could be read. */
  contractVersion: string | undefined;
}

/** `contract` is the named OutputContract's spec as the cache holds it, or undefined when it does not exist. */
export function contractGate(
  spec: ModelDeploymentSpec,
  contract: { spec?: unknown } | undefined,
): ContractVerdict {
  const reference = spec.outputContract;
  const base = { type: ConditionType.ContractSatisfied, contractVersion: undefined };
  if (reference === undefined) {
    return { ...base, failures: [], passed: 'no spec.outputContract: the output is not held to a contract' };
  }
  if (contract === undefined) {
    const missing = `spec.outputContract.name: OutputContract '${reference.name}' does not exist in this namespace`;
    return { ...base, passed: '', failures: [failure(Reason.ContractNotFound, missing)] };
  }
  const parsed = outputContractSpecSchema.safeParse(contract.spec);
  if (!parsed.success) {
    const invalid = `OutputContract '${reference.name}' is invalid, so nothing can be checked against it: ${describeIssues(parsed.error)}`;
    return { ...base, passed: '', failures: [failure(Reason.InvalidSpec, invalid)] };
  }
  const failures = contractFailures(spec, reference, parsed.data);
  const version = parsed.data.version;
  return {
    ...base,
    contractVersion: version,
    failures,
    passed: `spec.output satisfies OutputContract '${reference.name}' ${version} (in ${reference.versionRange}); every consumer accepts ${version}`,
  };
}

function contractFailures(
  spec: ModelDeploymentSpec,
  reference: NonNullable<ModelDeploymentSpec['outputContract']>,
  contract: OutputContractSpec,
): GateFailure[] {
  const failures: GateFailure[] = [];
  const named = `OutputContract '${reference.name}' ${contract.version}`;
  if (!satisfies(contract.version, reference.versionRange)) {
    failures.push(
      failure(
        Reason.ContractVersionOutOfRange,
        `${named} is outside spec.outputContract.versionRange ${reference.versionRange}`,
      ),
    );
  }
  // The schema requires spec.output whenever spec.outputContract is set.
  if (spec.output !== undefined) {
    const { violations } = checkDeclaredOutput(spec.output, contract.schema);
    if (violations.length > 0) {
      const shown = violations
        .slice(0, MAX_FIELDS_NAMED)
        .map((v) => `spec.output field '${v.path}' (${v.change}): ${v.reason}`);
      const more =
        violations.length > MAX_FIELDS_NAMED ? ` and ${violations.length - MAX_FIELDS_NAMED} more` : '';
      failures.push(failure(Reason.ContractBreaking, `breaks ${named}: ${shown.join('; ')}${more}`));
    }
  }
  const unsatisfied = consumerStatus(contract.version, contract.consumers).consumers.filter(
    (c) => !c.satisfied,
  );
  if (unsatisfied.length > 0) {
    failures.push(
      failure(Reason.ConsumerRangeUnsatisfied, `${named}: ${unsatisfied.map((c) => c.reason).join('; ')}`),
    );
  }
  return failures;
}
