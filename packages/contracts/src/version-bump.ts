import type { Finding } from './diff/findings.ts';
import { isPrerelease, isValidVersion, majorOf, minorOf, type VersionBump, versionBump } from './semver.ts';

export type BumpLevel = 'major' | 'minor' | 'patch' | 'none';

export interface VersionBumpVerdict {
  /** Whether `next` may carry these findings after `previous`. */
  sufficient: boolean;
  /** The smallest bump these findings need from `previous` (0.x shifts it down one level). */
  required: BumpLevel;
  actual: VersionBump;
  reason: string;
}

const RANK: Record<BumpLevel, number> = { none: 0, patch: 1, minor: 2, major: 3 };
const ACTUAL_RANK: Record<VersionBump, number> = {
  downgrade: -1,
  none: 0,
  prerelease: 1,
  patch: 1,
  minor: 2,
  major: 3,
};

const SEVERITY_OF_LEVEL: Record<BumpLevel, string> = {
  major: 'breaking',
  minor: 'additive',
  patch: 'cosmetic',
  none: 'no',
};

function levelForFindings(findings: readonly Finding[]): BumpLevel {
  if (findings.some((f) => f.severity === 'breaking')) return 'major';
  if (findings.some((f) => f.severity === 'additive')) return 'minor';
  return findings.length > 0 ? 'patch' : 'none';
}

/**
 * Semver 0.x: "anything may change", but the caret convention every package manager follows
 * (^0.3.1 = >=0.3.1 <0.4.0, ^0.0.3 = =0.0.3) decides what consumers are protected from, so a breaking
 * change needs a minor bump on 0.y and any bump on 0.0.z.
 */
function requiredLevel(previous: string, level: BumpLevel): BumpLevel {
  if (level === 'none' || majorOf(previous) > 0) return level;
  if (minorOf(previous) === 0) return 'patch';
  return level === 'major' ? 'minor' : 'patch';
}

/** Whether moving from `previous` to `next` announces the findings the way semver promises. */
export function checkVersionBump(
  previous: string,
  next: string,
  findings: readonly Finding[],
): VersionBumpVerdict {
  for (const version of [previous, next]) {
    if (!isValidVersion(version)) {
      return {
        sufficient: false,
        required: 'none',
        actual: 'none',
        reason: `'${version}' is not a semantic version`,
      };
    }
  }
  const actual = versionBump(previous, next);
  const required = requiredLevel(previous, levelForFindings(findings));
  const needed = `${previous} -> ${next}`;
  if (actual === 'downgrade') {
    return { sufficient: false, required, actual, reason: `version went backwards (${needed})` };
  }
  if (required !== 'none' && actual === 'none') {
    return {
      sufficient: false,
      required,
      actual,
      reason: `the contract changed but its version did not (${previous}); a ${required} bump is needed`,
    };
  }
  // Prereleases promise nothing (semver item 9), and ranges skip them unless they ask for them.
  if (isPrerelease(previous) || isPrerelease(next)) {
    return {
      sufficient: true,
      required,
      actual,
      reason: `prerelease versions carry no compatibility promise`,
    };
  }
  if (ACTUAL_RANK[actual] < RANK[required]) {
    const kind = SEVERITY_OF_LEVEL[levelForFindings(findings)];
    return {
      sufficient: false,
      required,
      actual,
      reason: `${kind} changes need a ${required} version bump, but ${needed} is a ${actual} bump`,
    };
  }
  if (actual === 'none') {
    return { sufficient: true, required, actual, reason: `no change, and the version stays ${previous}` };
  }
  const need = required === 'none' ? 'no bump needed' : `${required} needed`;
  return { sufficient: true, required, actual, reason: `${needed} is a ${actual} bump; ${need}` };
}
