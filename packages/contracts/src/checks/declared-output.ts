import { diffContracts } from '../diff/diff.ts';
import { Change, type Finding } from '../diff/findings.ts';
import type { ContractSchema } from '../schema.ts';

export interface DeclaredOutputVerdict {
  conforms: boolean;
  /** The ways the declared output can break the contract's consumers. */
  violations: Finding[];
}

/**
 * Whether a model's declared output (ModelDeployment spec.output) honours a contract version: the
 * model may emit less than the contract allows (tighter ranges, fewer labels, extra fields consumers
 * ignore), never more. This is the `backward` diff from contract to declaration, except that leaving
 * out an optional field is what "optional" means.
 */
export function checkDeclaredOutput(
  declared: ContractSchema,
  contract: ContractSchema,
): DeclaredOutputVerdict {
  const violations = diffContracts(contract, declared, 'backward', { detectRenames: false })
    .filter((finding) => finding.severity === 'breaking')
    .filter((finding) => !(finding.change === Change.fieldRemoved && isOptionalIn(contract, finding.path)))
    .map((finding) => ({ ...finding, reason: conformanceReason(finding) }));
  return { conforms: violations.length === 0, violations };
}

function isOptionalIn(contract: ContractSchema, path: string): boolean {
  return contract.fields.find((field) => field.path === path)?.required === false;
}

function conformanceReason(finding: Finding): string {
  if (finding.change === Change.fieldRemoved) {
    return 'the contract requires this field but the declared output does not emit it';
  }
  return `declared output differs from the contract: ${finding.reason.replace('existing consumers', 'consumers')}`;
}
