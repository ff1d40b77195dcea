import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DEFAULT_MAX_EXAMPLES, type ValidationReport, validatePredictions } from '@steward/contracts';
import { ExitCode, InputError, UsageError } from '../command.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';
import { CONTRACT_INPUT_ERRORS, describeFsError, readContract } from './contract-io.ts';

const help = `Checks sample predictions (JSON Lines, one object per line, any size, streamed; '-' reads stdin)
against an output contract. Bad lines are reported with their line numbers; the run continues and
ends with a summary.

  -o, --output         human (default), json or yaml
  --max-examples       how many problems to print (default ${DEFAULT_MAX_EXAMPLES}); the rest are counted
  --reject-undeclared  also report fields the contract does not declare

exit codes: 0 every prediction conforms, 1 some do not, 2 bad usage or input (including no predictions)`;

async function openPredictions(path: string): Promise<Readable> {
  if (path === '-') return process.stdin;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (error) {
    throw new InputError(describeFsError(path, error));
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

function renderHuman(source: string, report: ValidationReport): string {
  const lines: string[] = [];
  const blank = report.blankLines > 0 ? ` (${plural(report.blankLines, 'blank line')} skipped)` : '';
  lines.push(
    `${source}: ${report.rows} rows, ${report.validRows} valid, ${report.invalidRows} invalid${blank}`,
  );
  for (const example of report.examples) {
    const where = example.path === '' ? '' : `${example.path}: `;
    lines.push(`  line ${example.line}: ${where}${example.message}`);
  }
  if (report.omittedExamples > 0) lines.push(`  ... and ${report.omittedExamples} more problems`);
  if (report.problems === 0) return lines.join('\n');
  const byField = Object.entries(report.problemsByField).sort(([, a], [, b]) => b - a);
  const width = Math.max(...byField.map(([field]) => field.length));
  lines.push('problems by field:');
  for (const [field, count] of byField) lines.push(`  ${field.padEnd(width)}  ${count}`);
  const byKind = Object.entries(report.problemsByKind).map(([kind, count]) => `${kind} ${count}`);
  lines.push(`problems by kind: ${byKind.join(', ')}`);
  return lines.join('\n');
}

export const command = defineCommand({
  usage:
    'usage: steward contract validate CONTRACT PREDICTIONS.jsonl [-o human|json|yaml] [--max-examples N] [--reject-undeclared]',
  help,
  options: { 'max-examples': { type: 'string' }, 'reject-undeclared': { type: 'boolean' } },
  inputErrors: CONTRACT_INPUT_ERRORS,
  run: async ({ values, positionals, output }, io) => {
    const maxExamples = maxExamplesOf(values['max-examples']);
    const [contractPath, predictionsPath, ...extra] = positionals;
    if (contractPath === undefined || predictionsPath === undefined || extra.length > 0) {
      throw new UsageError('expected a contract file and a predictions file');
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
      throw new InputError(describeFsError(predictionsPath, error));
    }
    const result = { contract: contractPath, predictions: predictionsPath, ...report };
    await printResult(io, output, result, () => renderHuman(predictionsPath, report));
    if (report.rows === 0) throw new InputError(`${predictionsPath}: no predictions to validate`);
    return report.invalidRows === 0 ? ExitCode.ok : ExitCode.problemFound;
  },
});
