// `make bench` for @steward/drift: KS and PSI on 1M vs 1M normal samples against scipy/numpy, and a
// profile build of a 50-feature, 1M-row CSV. Prints timings, ratios and peak RSS; asserts nothing.
import { execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { READER_YOUNG_GENERATION_MB } from '../isolated.ts';
import { sketchDistribution } from '../profile/kll.ts';
import { ProfileBuilder } from '../profile/profile.ts';
import { psi } from '../stats/categorical.ts';
import { sampleDistribution } from '../stats/distribution.ts';
import { ksStatistic, ksTest } from '../stats/ks.ts';
import { sampleBinCounts, sampleQuantileBins } from '../stats/select.ts';
import { ensureWideCsv, normals, writeFloat64 } from './data.ts';

const run = promisify(execFile);
const SAMPLES = Number(process.env.DRIFT_BENCH_SAMPLES ?? 1_000_000);
const CSV_ROWS = Number(process.env.DRIFT_BENCH_CSV_ROWS ?? 1_000_000);
const REPEATS = 5;
/** A small shift, so KS and PSI do real work and both implementations must agree on a non-zero value. */
const SHIFT = 0.01;
const PSI_BINS = 10;
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const workDir = join(repoRoot, '.run', 'bench', 'drift');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
const mb = (n: number) => `${n.toFixed(0)} MB`;

await mkdir(workDir, { recursive: true });
const ref = normals(SAMPLES, 0, 12345);
const cur = normals(SAMPLES, SHIFT, 67890);
const refPath = join(workDir, 'ref.f64');
const curPath = join(workDir, 'cur.f64');
await writeFloat64(refPath, ref);
await writeFloat64(curPath, cur);

const label = `${SAMPLES / 1e6}M vs ${SAMPLES / 1e6}M normal samples`;
console.log(`## drift bench (${label}; median of ${REPEATS} alternating rounds after a warm-up)`);

// The baseline runs as a child answering one command per line, and the two sides alternate, so
// both are measured in the same time window even when the machine's load changes.
const baselineScript = fileURLToPath(new URL('baseline.py', import.meta.url));
const python = spawn('/usr/bin/python3', [baselineScript, refPath, curPath], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const answers = createInterface({ input: python.stdout })[Symbol.asyncIterator]();
async function ask(
  command: string,
): Promise<{ seconds: number; statistic: number; pValue?: number; peakRssMB: number }> {
  python.stdin.write(`${command}\n`);
  const line = await answers.next();
  if (line.done) throw new Error('the python baseline exited early');
  return JSON.parse(line.value);
}

const steward = {
  ks: () => ksTest(sampleDistribution(ref), sampleDistribution(cur)),
  psi: () => {
    const { edges, counts } = sampleQuantileBins(ref, PSI_BINS);
    return { statistic: psi(counts, sampleBinCounts(cur, edges)) };
  },
};
const timings = {
  ks: { ours: [] as number[], theirs: [] as number[] },
  psi: { ours: [] as number[], theirs: [] as number[] },
};
const results: Record<
  'ks' | 'psi',
  { ours?: { statistic: number; pValue?: number }; theirs?: { statistic: number; pValue?: number } }
> = {
  ks: {},
  psi: {},
};
for (let round = 0; round <= REPEATS; round++) {
  for (const method of ['ks', 'psi'] as const) {
    const start = performance.now();
    const ours = steward[method]();
    const seconds = (performance.now() - start) / 1000;
    const theirs = await ask(method);
    // Round 0 is the warm-up (JIT compilation on our side, caches on theirs).
    if (round > 0) {
      timings[method].ours.push(seconds);
      timings[method].theirs.push(theirs.seconds);
    }
    results[method] = { ours, theirs };
  }
}
const py = { peakRssMB: (await ask('rss')).peakRssMB };
python.stdin.end();

const ksOurs = results.ks.ours as { statistic: number; pValue: number };
const ksTheirs = results.ks.theirs as { statistic: number; pValue: number };
const line = (method: 'ks' | 'psi', name: string, detail: string) => {
  const ours = median(timings[method].ours);
  const theirs = median(timings[method].theirs);
  console.log(
    `${method.padEnd(4)} steward ${ms(ours)}  ${name} ${ms(theirs)}  ratio ${(theirs / ours).toFixed(1)}x  (${detail})`,
  );
};

line(
  'ks',
  'scipy ks_2samp',
  `D ${ksOurs.statistic.toFixed(6)} vs ${ksTheirs.statistic.toFixed(6)}; p ${ksOurs.pValue.toExponential(3)} vs ${ksTheirs.pValue.toExponential(3)}`,
);
line(
  'psi',
  'numpy quantile-bin PSI',
  `PSI ${results.psi.ours?.statistic.toExponential(4)} vs ${results.psi.theirs?.statistic.toExponential(4)}`,
);

// Sketch accuracy on the same samples: KS statistic from two profiles against the exact one.
const sketchOf = (values: Float64Array) => {
  const builder = new ProfileBuilder();
  const rows = Array.from(values, (v) => [v]);
  builder.add({ columns: ['x'], rows });
  return sketchDistribution(
    builder.profile.features.get('x')?.numeric.sketch ?? { k: 8, seed: 1, levels: [[]] },
  );
};
const sketchD = ksStatistic(sketchOf(ref), sketchOf(cur));
console.log(
  `sketch KS (profile vs profile, k=512): D ${sketchD.toFixed(6)}, exact ${ksOurs.statistic.toFixed(6)}, error ${Math.abs(sketchD - ksOurs.statistic).toExponential(2)}`,
);

// DRIFT_BENCH_CSV_ROWS=0 skips the (slow) CSV part when iterating on the statistics.
if (CSV_ROWS > 0) {
  const csvPath = join(workDir, `wide-v2-${CSV_ROWS}.csv`);
  const csvBytes = await ensureWideCsv(csvPath, CSV_ROWS);
  const child = fileURLToPath(new URL('profile-child.ts', import.meta.url));
  // Peak RSS of a streaming pass is mostly V8's young generation, which Node sizes from the
  // machine's memory: once in process with Node's defaults, once as `steward drift` reads (a worker
  // thread with a capped young generation).
  for (const mode of ['in process', 'isolated']) {
    const args = [
      '--disable-warning=ExperimentalWarning',
      child,
      csvPath,
      ...(mode === 'isolated' ? ['isolated'] : []),
    ];
    const { stdout: out } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
    const profiled = JSON.parse(out) as {
      seconds: number;
      rows: number;
      features: number;
      peakRssMB: number;
    };
    const setting =
      mode === 'isolated'
        ? `worker, ${READER_YOUNG_GENERATION_MB} MB young generation`
        : 'in process, Node defaults';
    console.log(
      `profile CSV ${profiled.features} features x ${profiled.rows} rows (${(csvBytes / 1e9).toFixed(2)} GB, ${setting}):` +
        ` ${profiled.seconds.toFixed(1)} s (${(csvBytes / 1e6 / profiled.seconds).toFixed(0)} MB/s),` +
        ` peak RSS ${mb(profiled.peakRssMB)} (target < 256 MB)`,
    );
  }
}
console.log(
  `peak RSS: steward bench ${mb(process.resourceUsage().maxRSS / 1024)}, python baseline ${mb(py.peakRssMB)}`,
);
