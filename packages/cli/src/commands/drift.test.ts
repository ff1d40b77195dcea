import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../run.ts';
import { terminalProgress } from './drift-progress.ts';
import { DriftExitCode } from './drift-shared.ts';

const testdata = fileURLToPath(new URL('../../testdata/drift/', import.meta.url));
const data = (name: string) => join(testdata, name);

async function steward(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-drift-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('steward drift check', () => {
  it('exits 0 when current data looks like the baseline', async () => {
    const { code, out } = await steward(
      'drift',
      'check',
      '--baseline',
      data('baseline.csv'),
      '--current',
      data('current-same.csv'),
    );
    expect(out).toContain('dataset: NoDrift');
    expect(code).toBe(DriftExitCode.noDrift);
  });

  it('exits 1 and reports per-feature values as JSON when the data drifted', async () => {
    const { code, out } = await steward(
      'drift',
      'check',
      '--baseline',
      data('baseline.csv'),
      '--current',
      data('current-drift.csv'),
      '--output',
      'json',
    );
    expect(code).toBe(DriftExitCode.drift);
    const report = JSON.parse(out) as {
      verdict: string;
      features: { name: string; method: string; pValue?: number }[];
    };
    expect(report.verdict).toBe('Drift');
    expect(report.features.map((f) => [f.name, f.method])).toEqual([
      ['age', 'ks'],
      ['income', 'ks'],
      ['plan', 'chisquare'],
      ['churned', 'ztest'],
    ]);
    expect(report.features[0]?.pValue).toBeLessThan(0.05);
  });

  it('applies the features, methods and thresholds of a DriftMonitor manifest', async () => {
    const { code, out } = await steward(
      'drift',
      'check',
      '--baseline',
      data('baseline.csv'),
      '--current',
      data('current-drift.csv'),
      '--config',
      data('monitor.yaml'),
      '--output',
      'json',
    );
    expect(code).toBe(DriftExitCode.drift);
    const report = JSON.parse(out) as { features: { name: string; method: string; threshold: number }[] };
    expect(report.features.map((f) => [f.name, f.method, f.threshold])).toEqual([
      ['age', 'psi', 0.2],
      ['income', 'ks', 0.05],
      ['plan', 'chisquare', 0.05],
    ]);
  });

  it('checks against a profile saved by steward drift profile', async () => {
    const profile = join(dir, 'baseline.json');
    const saved = await steward('drift', 'profile', data('baseline.csv'), '--out', profile);
    expect(saved.code).toBe(0);
    expect(JSON.parse(await readFile(profile, 'utf8'))).toMatchObject({ kind: 'DriftProfile', rows: 400 });
    const { code, out } = await steward(
      'drift',
      'check',
      '--baseline',
      profile,
      '--current',
      data('current-drift.csv'),
    );
    expect(code).toBe(DriftExitCode.drift);
    expect(out).toMatch(/^age\tnumeric\tks\t/m);
  });

  it('reads a Parquet baseline exactly like the same rows in CSV', async () => {
    const check = (baseline: string) =>
      steward(
        'drift',
        'check',
        '--baseline',
        data(baseline),
        '--current',
        data('current-drift.csv'),
        '--output',
        'json',
      );
    const [parquet, csv] = await Promise.all([check('baseline.parquet'), check('baseline.csv')]);
    expect(parquet.code).toBe(DriftExitCode.drift);
    expect(JSON.parse(parquet.out)).toEqual(JSON.parse(csv.out));
  });

  it('exits 3 when there is too little data to judge', async () => {
    const few = join(dir, 'few.csv');
    await writeFile(few, 'age,income,plan,churned\n41,20000,basic,0\n');
    const { code, out } = await steward(
      'drift',
      'check',
      '--baseline',
      data('baseline.csv'),
      '--current',
      few,
    );
    expect(code).toBe(DriftExitCode.inconclusive);
    expect(out).toContain('minimum sample size is 30');
  });

  it('exits 4 and names the feature when a column vanished or stopped being numbers', async () => {
    const baselineRows = (await readFile(data('current-same.csv'), 'utf8')).trim().split('\n');
    const vanished = join(dir, 'vanished.csv');
    await writeFile(vanished, baselineRows.map((row) => row.split(',').slice(0, 3).join(',')).join('\n'));
    const retyped = join(dir, 'retyped.csv');
    await writeFile(
      retyped,
      baselineRows.map((row, i) => (i === 1 ? row.replace(/^[^,]*/, 'forty') : row)).join('\n'),
    );
    for (const [current, message] of [
      [vanished, /churned: no such column in the current data/],
      [retyped, /age: numeric in the baseline, but 1 current value\(s\) are not numbers, e\.g\. "forty"/],
    ] as const) {
      const { code, out } = await steward(
        'drift',
        'check',
        '--baseline',
        data('baseline.csv'),
        '--current',
        current,
      );
      expect(code).toBe(DriftExitCode.schemaDrift);
      expect(out).toContain('dataset: SchemaDrift');
      expect(out).toMatch(message);
    }
  });

  it('warns on stderr about a threshold its method can hardly reach', async () => {
    const config = join(dir, 'implausible.yaml');
    await writeFile(
      config,
      'kind: DriftMonitor\nspec:\n  dataDrift:\n    features:\n      - { name: income, method: wasserstein, threshold: 25 }\n',
    );
    const { err } = await steward(
      'drift',
      'check',
      '--baseline',
      data('baseline.csv'),
      '--current',
      data('current-drift.csv'),
      '--config',
      config,
    );
    expect(err).toContain('warning: income: wasserstein threshold 25 is above the plausible maximum 3');
  });

  it('exits 2 with one clear line for an empty file, a missing file or a bad config', async () => {
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    const cases: [string[], RegExp][] = [
      [['--current', empty], /empty\.csv: empty file/],
      [['--current', join(dir, 'absent.csv')], /absent\.csv: no such file or directory/],
      [
        ['--current', data('current-same.csv'), '--config', data('baseline.csv')],
        /invalid YAML|expected one DriftMonitor/,
      ],
      [
        ['--current', data('current-same.csv'), '--output', 'xml'],
        /--output must be one of human, json, yaml/,
      ],
      [[], /missing --current/],
    ];
    for (const [extra, message] of cases) {
      const { code, err } = await steward('drift', 'check', '--baseline', data('baseline.csv'), ...extra);
      expect(code, err).toBe(DriftExitCode.error);
      expect(err).toMatch(message);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('rejects an unknown subcommand with exit code 2', async () => {
    const { code, err } = await steward('drift', 'frobnicate');
    expect(code).toBe(DriftExitCode.error);
    expect(err).toContain("unknown subcommand 'frobnicate'");
  });
});

describe('the progress indication', () => {
  it('draws on a terminal at most every 250 ms and clears its line at the end', () => {
    const written: string[] = [];
    let now = 1000;
    const progress = terminalProgress(
      'reading x.csv',
      { isTTY: true, write: (s) => written.push(s) },
      () => now,
    );
    progress.update(1_500_000, 3_000_000);
    now += 100;
    progress.update(2_000_000, 3_000_000);
    now += 200;
    progress.update(3_000_000, 3_000_000);
    progress.done();
    expect(written).toEqual([
      '\r\x1b[Kreading x.csv: 1.5 MB / 3.0 MB (50%)',
      '\r\x1b[Kreading x.csv: 3.0 MB / 3.0 MB (100%)',
      '\r\x1b[K',
    ]);
  });

  it('stays silent when stderr is not a terminal', () => {
    const written: string[] = [];
    const progress = terminalProgress('reading', { isTTY: false, write: (s) => written.push(s) });
    progress.update(1, 2);
    progress.done();
    expect(written).toEqual([]);
  });
});
