// `make bench` for @steward/drift: KS and PSI on 1M vs 1M normal samples against scipy/numpy, and a
// profile build of a 50-feature, 1M-row CSV. Prints timings, ratios and peak RSS; asserts nothing.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

function timeMedian<T>(fn: () => T): { seconds: number; result: T } {
  let result = fn(); // warm-up: let the JIT compile the hot loops first
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    result = fn();
    times.push((performance.now() - start) / 1000);
  }
  return { seconds: median(times), result };
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

const ks = timeMedian(() => ksTest(sampleDistribution(ref), sampleDistribution(cur)));
const psiRun = timeMedian(() => {
  const { edges, counts } = sampleQuantileBins(ref, PSI_BINS);
  return psi(counts, sampleBinCounts(cur, edges));
});

const baselineScript = fileURLToPath(new URL('baseline.py', import.meta.url));
const { stdout } = await run('/usr/bin/python3', [baselineScript, refPath, curPath, String(REPEATS)], {
  maxBuffer: 1 << 20,
});
const py = JSON.parse(stdout) as {
  ksSeconds: number;
  ksStatistic: number;
  ksPValue: number;
  psiSeconds: number;
  psi: number;
  peakRssMB: number;
};

const label = `${SAMPLES / 1e6}M vs ${SAMPLES / 1e6}M normal samples`;
console.log(`## drift bench (${label}; median of ${REPEATS} after a warm-up)`);
console.log(
  `ks   steward ${ms(ks.seconds)}  scipy ks_2samp ${ms(py.ksSeconds)}  ratio ${(py.ksSeconds / ks.seconds).toFixed(1)}x` +
    `  (D ${ks.result.statistic.toFixed(6)} vs ${py.ksStatistic.toFixed(6)}; p ${ks.result.pValue.toExponential(3)} vs ${py.ksPValue.toExponential(3)})`,
);
console.log(
  `psi  steward ${ms(psiRun.seconds)}  numpy quantile-bin PSI ${ms(py.psiSeconds)}  ratio ${(py.psiSeconds / psiRun.seconds).toFixed(1)}x` +
    `  (PSI ${psiRun.result.toExponential(4)} vs ${py.psi.toExponential(4)})`,
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
  `sketch KS (profile vs profile, k=512): D ${sketchD.toFixed(6)}, exact ${ks.result.statistic.toFixed(6)}, error ${Math.abs(sketchD - ks.result.statistic).toExponential(2)}`,
);

const csvPath = join(workDir, `wide-${CSV_ROWS}.csv`);
const csvBytes = await ensureWideCsv(csvPath, CSV_ROWS);
const child = fileURLToPath(new URL('profile-child.ts', import.meta.url));
const profiled = JSON.parse(
  (
    await run(process.execPath, ['--disable-warning=ExperimentalWarning', child, csvPath], {
      maxBuffer: 1 << 20,
    })
  ).stdout,
) as { seconds: number; rows: number; features: number; peakRssMB: number };
console.log(
  `profile CSV ${profiled.features} features x ${profiled.rows} rows (${(csvBytes / 1e9).toFixed(2)} GB): ${profiled.seconds.toFixed(1)} s` +
    ` (${(csvBytes / 1e6 / profiled.seconds).toFixed(0)} MB/s), peak RSS ${mb(profiled.peakRssMB)} (target < 256 MB)`,
);
console.log(
  `peak RSS: steward bench ${mb(process.resourceUsage().maxRSS / 1024)}, python baseline ${mb(py.peakRssMB)}`,
);
