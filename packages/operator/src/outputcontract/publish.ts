/**
 * Publishing a version into the history: keyed by version, so re-running never appends, and each new
 * version is diffed once, against the version that was current before it.
 */
import { ChangeClass, type OutputContractSpec } from '@steward/api';
import { diffContracts, type Finding, reviewContractVersion } from '@steward/contracts';
import { boundHistory, type HistoryEntry, type HistoryFinding } from './history.ts';

/** The diff that decides whether the current version is properly announced. */
export interface Diff {
  previousVersion: string;
  generation: number;
  changeClass: HistoryEntry['changeClass'];
  sufficient: boolean;
  /** The version was published before with different content. */
  republished: boolean;
  message: string;
  findings: HistoryFinding[];
}

export interface Publication {
  entries: HistoryEntry[];
  diff: Diff | undefined;
}

export interface PublishOptions {
  generation: number;
  /** When the version was first seen. */
  publishedAt: string;
  /** The version status last reported as current: what consumers saw before this one. */
  currentVersion: string | undefined;
}

/**
 * Records `spec.version` unless it is already in the history. A version is immutable once published:
 * the same version with different content is reported (VersionNotIncreased) and not recorded again,
 * so re-running on the same generation never appends, and a rollback to an old version finds its entry.
 */
export function publish(
  entries: HistoryEntry[],
  spec: OutputContractSpec,
  { generation, publishedAt, currentVersion }: PublishOptions,
): Publication {
  const existing = entries.find((entry) => entry.version === spec.version);
  if (existing !== undefined) {
    const findings = diffContracts(existing.schema, spec.schema, spec.compatibility).map(toHistoryFinding);
    if (findings.length > 0) {
      return {
        entries,
        diff: {
          previousVersion: existing.version,
          generation,
          changeClass: classOf(findings),
          sufficient: false,
          republished: true,
          message: `the contract changed but its version did not (${spec.version} was published with different content)`,
          findings,
        },
      };
    }
    return { entries, diff: diffOfEntry(existing) };
  }
  // Diff against what consumers saw until now; without a status (restored from a backup), against
  // the most recently published version.
  const previous = entries.find((entry) => entry.version === currentVersion) ?? entries.at(-1);
  const last = entries.at(-1);
  const entry =
    previous === undefined || last === undefined
      ? initialEntry(spec, generation, publishedAt)
      : nextEntry(previous, last.sequence + 1, spec, generation, publishedAt);
  return { entries: boundHistory([...entries, entry]), diff: diffOfEntry(entry) };
}

function initialEntry(spec: OutputContractSpec, generation: number, publishedAt: string): HistoryEntry {
  return {
    ...entryBase(spec, generation, publishedAt, 0),
    changeClass: ChangeClass.Initial,
    versionBumpSufficient: true,
    versionBumpMessage: `${spec.version} is the first published version`,
    findings: [],
  };
}

function nextEntry(
  previous: HistoryEntry,
  sequence: number,
  spec: OutputContractSpec,
  generation: number,
  publishedAt: string,
): HistoryEntry {
  const review = reviewContractVersion(
    { version: previous.version, schema: previous.schema },
    { version: spec.version, schema: spec.schema },
    { mode: spec.compatibility },
  );
  const findings = review.findings.map(toHistoryFinding);
  return {
    ...entryBase(spec, generation, publishedAt, sequence),
    previousVersion: previous.version,
    changeClass: classOf(findings),
    versionBumpSufficient: review.versionBump?.sufficient ?? false,
    versionBumpMessage: review.versionBump?.reason ?? 'no version bump verdict',
    findings,
  };
}

function entryBase(spec: OutputContractSpec, generation: number, publishedAt: string, sequence: number) {
  return {
    version: spec.version,
    sequence,
    publishedAt,
    generation,
    compatibility: spec.compatibility,
    schema: spec.schema,
  };
}

function diffOfEntry(entry: HistoryEntry): Diff | undefined {
  if (entry.previousVersion === undefined) return undefined;
  return {
    previousVersion: entry.previousVersion,
    generation: entry.generation,
    changeClass: entry.changeClass,
    sufficient: entry.versionBumpSufficient,
    republished: false,
    message: entry.versionBumpMessage,
    findings: entry.findings,
  };
}

function toHistoryFinding(finding: Finding): HistoryFinding {
  return { path: finding.path, change: finding.change, severity: finding.severity, reason: finding.reason };
}

export function isBreaking(finding: HistoryFinding): boolean {
  return finding.severity === 'breaking';
}

function classOf(findings: readonly HistoryFinding[]): HistoryEntry['changeClass'] {
  if (findings.some(isBreaking)) return ChangeClass.Breaking;
  if (findings.some((f) => f.severity === 'additive')) return ChangeClass.Additive;
  return findings.length > 0 ? ChangeClass.Cosmetic : ChangeClass.None;
}
