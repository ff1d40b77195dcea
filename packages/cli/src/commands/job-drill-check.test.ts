import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { drillCheckResultSchema } from '@steward/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../command.ts';
import { run } from '../run.ts';

const reference = fileURLToPath(
  new URL('../../../../examples/fraud-scoring/data/reference.csv', import.meta.url),
);

async function steward(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A DriftMonitor like the example's, reading the example baseline from this checkout. */
function monitor(baseline: string): string {
  return `apiVersion: mlops.steward.dev/v1alpha1
kind: DriftMonitor
metadata: { name: fraud-scorer-drift }
spec:
  target: { name: fraud-scorer }
  schedule: "0 */6 * * *"
  baseline:
${baseline}
  current: { uri: "file:///data/current.csv", format: csv }
  dataDrift:
    driftShare: 0.3
    features:
      - { name: amount, type: numeric, method: wasserstein, threshold: 0.1 }
      - { name: merchant_category, type: categorical }
      - { name: channel, type: categorical }
`;
}

let dir: string;
let monitorFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-drill-check-'));
  monitorFile = join(dir, 'monitor.yaml');
  await writeFile(
    monitorFile,
    monitor(`    source: { uri: "${pathToFileURL(reference).href}", format: csv }`),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const shift = (magnitude: number, features = ['amount']) =>
  JSON.stringify({ features, kind: 'shift', magnitude });

describe('steward job drill-check', () => {
  it('detects a shift of 2 sd injected into a copy of the baseline and reports it as the termination message', async () => {
    const log = join(dir, 'termination-log');
    const { code, out } = await steward(
      'job',
      'drill-check',
      '--monitor',
      monitorFile,
      '--injection',
      shift(2),
      '--termination-log',
      log,
    );
    expect(code).toBe(ExitCode.ok);
    const result = drillCheckResultSchema.parse(JSON.parse(await readFile(log, 'utf8')));
    expect(result.detected).toBe(true);
    expect(result.summary).toMatch(/^Drift: drifted 1\/3 features.*amount Drift \(wasserstein/);
    expect(out).toMatch(/^detected: /);
  });

  it('exits 0 with detected false when the check misses the injected drift: the drill, not the Job, fails', async () => {
    const { code, out } = await steward(
      'job',
      'drill-check',
      '--monitor',
      monitorFile,
      '--injection',
      shift(0.01),
      '-o',
      'json',
    );
    expect(code).toBe(ExitCode.ok);
    expect(JSON.parse(out)).toMatchObject({ detected: false });
  });

  it.each([
    ['no injection', [], /--injection or STEWARD_DRILL_INJECTION is required/],
    ['an injection that is not JSON', ['--injection', 'shift amount'], /not JSON/],
    ['a negative magnitude', ['--injection', shift(-1)], /injection.magnitude/],
    ['a feature the baseline lacks', ['--injection', shift(2, ['amout'])], /no column amout/],
  ])('%s is bad input (exit 2) with the reason', async (_case, extra, message) => {
    const { code, err } = await steward('job', 'drill-check', '--monitor', monitorFile, ...extra);
    expect(code).toBe(ExitCode.usage);
    expect(err).toMatch(message);
  });

  it('a monitor whose baseline is a stored profile cannot be drilled, and says why', async () => {
    const profileOnly = join(dir, 'profile-monitor.yaml');
    await writeFile(profileOnly, monitor('    profile: { name: fraud-baseline, key: profile.json }'));
    const { code, err } = await steward(
      'job',
      'drill-check',
      '--monitor',
      profileOnly,
      '--injection',
      shift(2),
    );
    expect(code).toBe(ExitCode.usage);
    expect(err).toMatch(/injects drift into the baseline data \(spec.baseline.source\)/);
  });
});
