import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driftCheckJobResultSchema } from '@steward/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../command.ts';
import { run } from '../run.ts';

const examples = fileURLToPath(new URL('../../../../examples/fraud-scoring/', import.meta.url));

async function steward(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
let monitor: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-job-'));
  // The example as users apply it, reading the example data where this checkout has it instead of from its
  // bucket, without the Prometheus parts (the integration tests run those against a real Prometheus).
  const manifest = (await readFile(join(examples, 'drift-monitor.yaml'), 'utf8'))
    .replaceAll('s3://ml-data/fraud-scoring/', `file://${examples}data/`)
    .replace(/ {2}businessKpis:[\s\S]*?(?= {2}onDrift:)/, '')
    .replace(/ {4}- name: summary_hallucination_rate\n[^\n]*\n[^\n]*\n/, '');
  monitor = join(dir, 'monitor.yaml');
  await writeFile(monitor, manifest);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('steward job drift-check', () => {
  it('runs the example monitor, prints the result and writes the termination message', async () => {
    const log = join(dir, 'termination-log');
    const { code, out } = await steward(
      'job',
      'drift-check',
      '--monitor',
      monitor,
      '--termination-log',
      log,
      '-o',
      'json',
    );
    expect(code).toBe(ExitCode.ok);
    expect(JSON.parse(out)).toMatchObject({
      outcome: 'Drift',
      dataDrift: { driftedFeatures: 2, totalFeatures: 6 },
    });
    const message = driftCheckJobResultSchema.parse(JSON.parse(await readFile(log, 'utf8')));
    expect(message).toMatchObject({ detected: true, result: { outcome: 'Drift' } });
    expect(message.summary).toMatch(/^Drift: data 2\/6 features drifted \(amount wasserstein/);
  });

  it('exits 2 with one clear line without a monitor or with an invalid one', async () => {
    const invalid = join(dir, 'invalid.yaml');
    await writeFile(invalid, 'kind: DriftMonitor\nspec:\n  target: { name: x }\n  schedule: "61 * * * *"\n');
    for (const [args, message] of [
      [[], /--monitor or STEWARD_DRIFT_MONITOR is required/],
      [['--monitor', invalid], /invalid\.yaml: spec\.schedule: /],
      [['--monitor', monitor, '-o', 'xml'], /--output must be one of human, json, yaml/],
    ] as const) {
      const { code, err } = await steward('job', 'drift-check', ...args);
      expect(code).toBe(ExitCode.usage);
      expect(err).toMatch(message);
    }
  });
});
