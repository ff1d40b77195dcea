// One measurement in a fresh process, so each peak RSS belongs to one pass alone.
// usage: worker.ts baseline|validate FILE [BYTES]
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { validatePredictions } from '../validate/stream.ts';
import { benchContract } from './fraud-contract.ts';

const [mode, file, bytes] = process.argv.slice(2);
if (file === undefined || (mode !== 'baseline' && mode !== 'validate')) {
  throw new Error('usage: worker.ts baseline|validate FILE [BYTES]');
}
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

async function validate(): Promise<number> {
  const report = await validatePredictions(input(), benchContract);
  return report.rows;
}

const started = process.hrtime.bigint();
const rows = mode === 'baseline' ? await baseline() : await validate();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// maxRSS is in kilobytes.
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ mode, rows, seconds, peakRssMiB })}\n`);
