// `make bench` for @steward/cli: start time, CPU time and peak RSS of short steward commands against
// `node -e 0`, measured in the same run. Prints medians and ratios; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACT_DIFF, DRIFT_CHECK } from '../testing/invocations.ts';

const ROUNDS = Number(process.env.STEWARD_BENCH_RUNS ?? 15);
const bin = fileURLToPath(new URL('../../bin/steward.js', import.meta.url));

// Preloaded into every child, the baseline included: at exit its main thread writes the process's peak
// RSS (the kernel's high-water mark) and CPU time, so the figures need no external tool and no polling.
const REPORT_USAGE = `data:text/javascript,${encodeURIComponent(`
import { writeSync, openSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) process.on('exit', () => {
  const u = process.resourceUsage();
  writeSync(openSync(process.env.BENCH_USAGE_FILE, 'w'), JSON.stringify({ maxRssKB: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
});
`)}`;

interface Case {
  name: string;
  args: string[];
}

const cases: Case[] = [
  { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
  { name: 'steward version', args: [bin, 'version'] },
  { name: 'steward contract diff (2 small contracts)', args: [bin, ...CONTRACT_DIFF] },
  { name: 'steward drift check (400 vs 400 rows, 4 features)', args: [bin, ...DRIFT_CHECK] },
  {
    // What every command paid before the commands were loaded lazily (the old `steward version`).
    name: 'import @steward/operator (all commands, before)',
    args: ['--input-type=module', '-e', "await import('@steward/operator')"],
  },
];
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMB: number;
}

async function runOnce(args: string[], env: NodeJS.ProcessEnv, usageFile: string): Promise<Sample> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', REPORT_USAGE, ...args], {
    env: { ...env, BENCH_USAGE_FILE: usageFile },
    cwd: packageDir,
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  // A verdict (drift, breaking change) exits 1; anything above that is a broken run, not a figure.
  if (code === null || code > 1) throw new Error(`${args.join(' ')} exited ${code}`);
  const usage = JSON.parse(await readFile(usageFile, 'utf8')) as { maxRssKB: number; cpuUs: number };
  return { wallMs, cpuMs: usage.cpuUs / 1000, rssMB: usage.maxRssKB / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs every case once per round, round after round, so a change in the machine's load hits all alike. */
async function measure(label: string, env: NodeJS.ProcessEnv, dir: string): Promise<void> {
  const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
  const usageFile = join(dir, 'usage.json');
  for (const c of cases) await runOnce(c.args, env, usageFile); // warm-up: fills the compile cache, the page cache
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) samples.get(c.name)?.push(await runOnce(c.args, env, usageFile));
  }
  const base = samples.get(cases[0]?.name ?? '') ?? [];
  const baseWall = median(base.map((s) => s.wallMs));
  const baseCpu = median(base.map((s) => s.cpuMs));
  const baseRss = median(base.map((s) => s.rssMB));
  console.log(`\n### ${label}: medians of ${ROUNDS} alternating rounds after a warm-up`);
  console.log('| command | wall | x node -e 0 | CPU (user+sys) | x node -e 0 | peak RSS | x node -e 0 |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const c of cases) {
    const s = samples.get(c.name) ?? [];
    const wall = median(s.map((x) => x.wallMs));
    const cpu = median(s.map((x) => x.cpuMs));
    const rss = median(s.map((x) => x.rssMB));
    console.log(
      `| ${c.name} | ${wall.toFixed(0)} ms | ${(wall / baseWall).toFixed(2)} | ${cpu.toFixed(0)} ms | ${(cpu / baseCpu).toFixed(2)} | ${rss.toFixed(0)} MB | ${(rss / baseRss).toFixed(2)} |`,
    );
  }
}

const dir = await mkdtemp(join(tmpdir(), 'steward-cli-bench-'));
try {
  console.log(`## cli start-up bench (Node ${process.version})`);
  const { NODE_COMPILE_CACHE: _cache, NODE_DISABLE_COMPILE_CACHE: _disabled, ...env } = process.env;
  await measure(
    'compile cache on (the default; warm after the first run)',
    { ...env, NODE_COMPILE_CACHE: join(dir, 'cache') },
    dir,
  );
  await measure(
    'compile cache off (NODE_DISABLE_COMPILE_CACHE=1)',
    { ...env, NODE_DISABLE_COMPILE_CACHE: '1' },
    dir,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
