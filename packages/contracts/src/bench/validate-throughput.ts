// `pnpm bench` in packages/contracts: throughput and peak RSS of streaming prediction validation on a
// generated ~1 GiB JSONL file, against a baseline measured in the same run (line splitting plus
// JSON.parse of every line). Prints figures and ratios; asserts nothing about time.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { predictionRows } from './fraud-contract.ts';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** Override with STEWARD_BENCH_BYTES for a quick run; the recorded figures use the default. */
const TARGET_BYTES = Number(process.env.STEWARD_BENCH_BYTES ?? GIB);
/** The small pass for the flat-memory comparison: 1/16 of the file. */
const PREFIX_BYTES = Math.floor(TARGET_BYTES / 16);
/** Rows are written in batches of about this size, so generation is not dominated by write calls. */
const WRITE_BATCH_BYTES = 4 * MIB;
const SEED = 20261125;
/** Baseline and validation run interleaved this many times each; the fastest of each is reported. */
const ROUNDS = 2;

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const benchDir = `${repoRoot}.run/bench`;
const dataFile = `${benchDir}/contracts-predictions-${TARGET_BYTES}.jsonl`;
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));

async function existingSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Writes the data file once; a partial file never takes its place (write, then rename). */
async function ensureDataFile(): Promise<void> {
  if ((await existingSize(dataFile)) >= TARGET_BYTES) {
    console.log(`reusing ${dataFile}`);
    return;
  }
  await mkdir(benchDir, { recursive: true });
  const partial = `${dataFile}.partial`;
  const out = createWriteStream(partial);
  const row = predictionRows(SEED);
  const started = Date.now();
  let written = 0;
  let index = 0;
  while (written < TARGET_BYTES) {
    let batch = '';
    while (batch.length < WRITE_BATCH_BYTES) batch += `${row(index++)}\n`;
    written += Buffer.byteLength(batch);
    if (!out.write(batch)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await rename(partial, dataFile);
  console.log(
    `generated ${dataFile}: ${(written / MIB).toFixed(0)} MiB, ${index} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

interface Measurement {
  mode: string;
  rows: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  heapSamplesMiB?: number[];
}

async function measure(
  mode: 'baseline' | 'validate' | 'live-heap',
  bytes?: number,
  nodeFlags: string[] = [],
): Promise<Measurement> {
  const args = [...nodeFlags, '--disable-warning=ExperimentalWarning', worker, mode, dataFile];
  if (bytes !== undefined) args.push(String(bytes));
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: MIB });
  return JSON.parse(stdout) as Measurement;
}

function line(label: string, m: Measurement, bytes: number): string {
  const perSecond = (n: number, seconds: number) => Math.round(n / seconds).toLocaleString('en-US');
  return [
    `  ${label.padEnd(26)}`,
    `${m.rows.toLocaleString('en-US').padStart(10)} rows`,
    `${m.seconds.toFixed(1).padStart(5)} s wall`,
    `${perSecond(m.rows, m.seconds).padStart(9)} rows/s`,
    `${(bytes / MIB / m.seconds).toFixed(0).padStart(4)} MiB/s`,
    `${perSecond(m.rows, m.cpuSeconds).padStart(9)} rows/CPU-s`,
    `peak RSS ${m.peakRssMiB.toFixed(0).padStart(4)} MiB`,
  ].join('  ');
}

await ensureDataFile();
const fileBytes = await existingSize(dataFile);
console.log(
  `contracts: streaming validation of ${(fileBytes / MIB).toFixed(0)} MiB of JSONL predictions (node ${process.version})`,
);
/** The cheapest run: on a shared machine, other load only ever makes a run costlier. */
function fastest(runs: Measurement[]): Measurement {
  return runs.reduce((best, m) => (m.cpuSeconds < best.cpuSeconds ? m : best));
}
const baselineRuns: Measurement[] = [];
const validateRuns: Measurement[] = [];
for (let round = 0; round < ROUNDS; round++) {
  baselineRuns.push(await measure('baseline'));
  validateRuns.push(await measure('validate'));
}
const base = fastest(baselineRuns);
console.log(line('baseline (readline+parse)', base, fileBytes));
const full = fastest(validateRuns);
console.log(line('validatePredictions', full, fileBytes));
const prefix = await measure('validate', PREFIX_BYTES);
console.log(line(`validatePredictions 1/16`, prefix, PREFIX_BYTES));
// Peak RSS mostly reflects how far V8 lets its heap grow before collecting. What the validator
// itself retains is the live heap after a full collection, sampled over the whole file.
const live = await measure('live-heap', undefined, ['--expose-gc']);
const samples = live.heapSamplesMiB ?? [];
console.log(`  live heap after GC over the file (MiB): ${samples.map((s) => s.toFixed(1)).join(' ')}`);
const wallRatio = full.rows / full.seconds / (base.rows / base.seconds);
const cpuRatio = full.rows / full.cpuSeconds / (base.rows / base.cpuSeconds);
console.log(
  `  validation throughput / baseline: ${cpuRatio.toFixed(2)}x per CPU-second (${wallRatio.toFixed(2)}x wall)`,
);
console.log(
  `  validation peak RSS, full file / 1/16 of it: ${(full.peakRssMiB / prefix.peakRssMiB).toFixed(2)}x`,
);
const first = samples[0] ?? Number.NaN;
const last = samples.at(-1) ?? Number.NaN;
console.log(`  live heap, end of file / start: ${(last / first).toFixed(2)}x (flat = 1.0)`);
