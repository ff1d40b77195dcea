/**
 * The candidate's version: the next minor of the serving version, tagged with the run id so two runs never
 * write the same artefact (`2.3.1` in run `drift-20261129-1605` -> `2.4.0-drift-20261129-1605`).
 */
const SEMVER_CORE = /^(\d+)\.(\d+)\.(\d+)/;

export function candidateVersion(servingVersion: string | undefined, runId: string | undefined): string {
  const match = servingVersion === undefined ? null : SEMVER_CORE.exec(servingVersion);
  const core = match === null ? '1.0.0' : `${match[1]}.${Number(match[2]) + 1}.0`;
  return runId ? `${core}-${runId}` : core;
}
