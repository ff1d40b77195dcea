import { type ConsumerStatus, consumerStatus } from './checks/consumers.ts';
import { diffContracts } from './diff/diff.ts';
import { type Finding, type FindingSummary, summarizeFindings } from './diff/findings.ts';
import type { CompatibilityMode, Consumer, ContractSchema } from './schema.ts';
import { checkVersionBump, type VersionBumpVerdict } from './version-bump.ts';

/** One side of a review; a bare schema has no version and no consumers. */
export interface ContractVersion {
  version?: string | undefined;
  schema: ContractSchema;
  consumers?: readonly Consumer[] | undefined;
}

export interface ReviewOptions {
  mode: CompatibilityMode;
  /** Accept breaking changes that a sufficient version bump announces (consumers still see them). */
  allowAnnouncedBreaking?: boolean;
}

export interface ContractReview {
  mode: CompatibilityMode;
  /** No unannounced change: no breaking finding (unless allowed and announced), a sufficient bump. */
  compatible: boolean;
  summary: FindingSummary;
  findings: Finding[];
  /** Present when both sides carry a version. */
  versionBump?: VersionBumpVerdict;
  /** Present when the next side has a version and consumers. */
  consumers?: ConsumerStatus;
}

/**
 * Everything Steward says about publishing `next` after `previous`: the findings, whether the version
 * bump announces them, and which consumers accept the new version. Pure; the OutputContract
 * controller and `steward contract diff` share it.
 */
export function reviewContractVersion(
  previous: ContractVersion,
  next: ContractVersion,
  options: ReviewOptions,
): ContractReview {
  const findings = diffContracts(previous.schema, next.schema, options.mode);
  const summary = summarizeFindings(findings);
  const versionBump =
    previous.version !== undefined && next.version !== undefined
      ? checkVersionBump(previous.version, next.version, findings)
      : undefined;
  const consumers =
    next.version !== undefined && next.consumers !== undefined && next.consumers.length > 0
      ? consumerStatus(next.version, next.consumers)
      : undefined;
  const announced = versionBump?.sufficient === true && options.allowAnnouncedBreaking === true;
  const compatible = (versionBump?.sufficient ?? true) && (summary.compatible || announced);
  return {
    mode: options.mode,
    compatible,
    summary,
    findings,
    ...(versionBump === undefined ? {} : { versionBump }),
    ...(consumers === undefined ? {} : { consumers }),
  };
}
