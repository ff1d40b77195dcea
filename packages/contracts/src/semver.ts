import semver from 'semver';

// Range semantics are npm's (`semver` package): ^, ~, x-ranges, hyphen ranges, `||`. A range matches a
// prerelease version only when it names a prerelease of the same MAJOR.MINOR.PATCH, so a consumer on
// ^1.2.0 is never moved onto 2.0.0-rc.1 by accident.

/** A strict semantic version (no leading `v`, no surrounding spaces). */
export function isValidVersion(version: string): boolean {
  return semver.valid(version) === version;
}

export function isValidRange(range: string): boolean {
  return semver.validRange(range) !== null;
}

/** Whether `version` lies in `range`; false (never a throw) when either is malformed. */
export function satisfies(version: string, range: string): boolean {
  return isValidVersion(version) && isValidRange(range) && semver.satisfies(version, range);
}

/** Negative, zero or positive as `a` is lower than, equal to or higher than `b` (semver precedence). */
export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b);
}

export type VersionBump = 'major' | 'minor' | 'patch' | 'prerelease' | 'none' | 'downgrade';

/** Which part of the version moved from `previous` to `next`. */
export function versionBump(previous: string, next: string): VersionBump {
  const order = semver.compare(next, previous);
  if (order === 0) return 'none';
  if (order < 0) return 'downgrade';
  if (semver.major(next) > semver.major(previous)) return 'major';
  if (semver.minor(next) > semver.minor(previous)) return 'minor';
  if (semver.patch(next) > semver.patch(previous)) return 'patch';
  return 'prerelease';
}

export function isPrerelease(version: string): boolean {
  return semver.prerelease(version) !== null;
}

export function majorOf(version: string): number {
  return semver.major(version);
}

export function minorOf(version: string): number {
  return semver.minor(version);
}
