// One measurement in a fresh process, so each peak RSS belongs to one pass alone.
// usage: worker.ts baseline|validate|live-heap FILE [BYTES]   (live-heap needs node --expose-gc)
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Readable, Transform } from 'node:stream';
import { validatePredictions } from '../validate/stream.ts';
import { benchContract } from './fraud-contract.ts';

const MODES = ['baseline', 'validate', 'live-heap'] as const;
/** How many live-heap samples to take over the file. */
const HEAP_SAMPLES = 8;
const MIB = 1024 ** 2;

const [modeArg, file, bytes] = process.argv.slice(2);
const mode = MODES.find((m) => m === modeArg);
if (file === undefined || mode === undefined)
  throw new Error(`usage: worker.ts ${MODES.join('|')} FILE [BYTES]`);
// `end` is inclusive; a prefix may cut its last line, which then counts as one bad row.
const input = () => createReadStream(file, bytes === undefined ? {} : { end: Number(bytes) - 1 });

/** The floor: what any JSONL consumer pays, line splitting and JSON.parse of every line. */
async function baseline(): Promise<number> {
  let rows = 0;
  const stream = input();
  stream.setEncoding('utf8');
  for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line === '') continue;
    try {
      JSON.parse(line);
    } catch {
      // A cut last line; the validator counts it too.
    }
    rows++;
  }
  return rows;
}

const heapSamplesMiB: number[] = [];

/**
 * Passes the file through, collecting garbage and recording the live heap every 1/HEAP_SAMPLES of
 * it: what the validator retains, independent of how far V8 lets the heap grow between collections.
 */
function sampleLiveHeap(source: Readable, total: number): Readable {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('live-heap needs node --expose-gc');
  let read = 0;
  let nextSample = 0;
  return source.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        read += chunk.length;
        if (read >= nextSample) {
          gc();
          heapSamplesMiB.push(process.memoryUsage().heapUsed / MIB);
          nextSample += total / HEAP_SAMPLES;
        }
        done(null, chunk);
      },
    }),
  );
}

async function validate(source: Readable): Promise<number> {
  const report = await validatePredictions(source, benchContract);
  return report.rows;
}

async function fileSize(): Promise<number> {
  const { stat } = await import('node:fs/promises');
  return bytes === undefined ? (await stat(file as string)).size : Number(bytes);
}

const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const rows =
  mode === 'baseline'
    ? await baseline()
    : await validate(mode === 'live-heap' ? sampleLiveHeap(input(), await fileSize()) : input());
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// CPU time of all threads (GC helpers included): far less disturbed by other load than wall time.
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// maxRSS is in kilobytes.
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ mode, rows, seconds, cpuSeconds, peakRssMiB, heapSamplesMiB })}\n`);
