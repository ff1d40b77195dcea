import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DEFAULT_MAX_EXAMPLES, type ValidationReport, validatePredictions } from '@steward/contracts';
import type { Io } from '../command.ts';
import {
  ContractExit,
  describeFsError,
  outputFormatOf,
  parseOptions,
  readContract,
  UsageError,
} from './contract-io.ts';

export const VALIDATE_USAGE =
  'usage: steward contract validate CONTRACT PREDICTIONS.jsonl [--output human|json] [--max-examples N] [--reject-undeclared]';

export const validateHelp = `${VALIDATE_USAGE}

Checks sample predictions (JSON Lines, one object per line, any size, streamed; '-' reads stdin)
against an output contract. Bad lines are reported with their line numbers; the run continues and
ends with a summary.

  --output             human (default) or json
  --max-examples       how many problems to print (default ${DEFAULT_MAX_EXAMPLES}); the rest are counted
  --reject-undeclared  also report fields the contract does not declare

exit codes: 0 every prediction conforms, 1 some do not, 2 bad usage or input (including no predictions)`;

async function openPredictions(path: string): Promise<Readable> {
  if (path === '-') return process.stdin;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (error) {
    throw new UsageError(describeFsError(path, error));
  }
  return createReadStream(path);
}

function maxExamplesOf(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_EXAMPLES;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new UsageError(`--max-examples must be a non-negative integer, got '${String(value)}'`);
  }
  return parsed;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function renderHuman(source: string, report: ValidationReport, io: Io): void {
  const blank = report.blankLines > 0 ? ` (${plural(report.blankLines, 'blank line')} skipped)` : '';
  io.stdout(
    `${source}: ${report.rows} rows, ${report.validRows} valid, ${report.invalidRows} invalid${blank}`,
  );
  for (const example of report.examples) {
    const where = example.path === '' ? '' : `${example.path}: `;
    io.stdout(`  line ${example.line}: ${where}${example.message}`);
  }
  if (report.omittedExamples > 0) io.stdout(`  ... and ${report.omittedExamples} more problems`);
  if (report.problems === 0) return;
  const byField = Object.entries(report.problemsByField).sort(([, a], [, b]) => b - a);
  const width = Math.max(...byField.map(([field]) => field.length));
  io.stdout('problems by field:');
  for (const [field, count] of byField) io.stdout(`  ${field.padEnd(width)}  ${count}`);
  const byKind = Object.entries(report.problemsByKind).map(([kind, count]) => `${kind} ${count}`);
  io.stdout(`problems by kind: ${byKind.join(', ')}`);
}

export async function runValidate(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      output: { type: 'string', short: 'o' },
      'max-examples': { type: 'string' },
      'reject-undeclared': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    VALIDATE_USAGE,
  );
  if (values.help === true) {
    io.stdout(validateHelp);
    return ContractExit.ok;
  }
  const format = outputFormatOf(values.output, VALIDATE_USAGE);
  const maxExamples = maxExamplesOf(values['max-examples']);
  const [contractPath, predictionsPath, ...extra] = positionals;
  if (contractPath === undefined || predictionsPath === undefined || extra.length > 0) {
    throw new UsageError(`expected a contract file and a predictions file\n${VALIDATE_USAGE}`);
  }
  const contract = await readContract(contractPath);
  const input = await openPredictions(predictionsPath);
  let report: ValidationReport;
  try {
    report = await validatePredictions(input, contract.schema, {
      maxExamples,
      rejectUndeclared: values['reject-undeclared'] === true,
    });
  } catch (error) {
    throw new UsageError(describeFsError(predictionsPath, error));
  }
  if (format === 'json')
    io.stdout(JSON.stringify({ contract: contractPath, predictions: predictionsPath, ...report }, null, 2));
  else renderHuman(predictionsPath, report, io);
  if (report.rows === 0) {
    io.stderr(`steward contract: ${predictionsPath}: no predictions to validate`);
    return ContractExit.usage;
  }
  return report.invalidRows === 0 ? ContractExit.ok : ContractExit.incompatible;
}
