import {
  COMPATIBILITY_MODES,
  type CompatibilityMode,
  type ContractDocument,
  type ContractReview,
  reviewContractVersion,
} from '@steward/contracts';
import { ExitCode, UsageError } from '../command.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';
import { CONTRACT_INPUT_ERRORS, readContract } from './contract-io.ts';

const help = `Compares two versions of an output contract (OutputContract manifests, bare specs or bare schemas,
YAML or JSON) and classifies every change as breaking, additive or cosmetic.

  --mode         compatibility mode; default: NEW's spec.compatibility, else backward
  -o, --output   human (default), json or yaml
  --allow-major  exit 0 for breaking changes that a sufficient major version bump announces

exit codes: 0 compatible, 1 breaking (or a version bump that does not announce the changes),
2 bad usage or input`;

interface DiffResult extends ContractReview {
  old: ContractRef;
  new: ContractRef;
}

interface ContractRef {
  source: string;
  name?: string;
  version?: string;
}

function refOf({ source, name, version }: ContractDocument): ContractRef {
  return { source, ...(name === undefined ? {} : { name }), ...(version === undefined ? {} : { version }) };
}

function modeOf(value: unknown, next: ContractDocument): CompatibilityMode {
  if (value === undefined) return next.compatibility ?? 'backward';
  const mode = COMPATIBILITY_MODES.find((m) => m === value);
  if (mode === undefined) {
    throw new UsageError(`--mode must be one of ${COMPATIBILITY_MODES.join(', ')}, got '${String(value)}'`);
  }
  return mode;
}

function compareDocuments(
  previous: ContractDocument,
  next: ContractDocument,
  mode: CompatibilityMode,
  allowMajor: boolean,
): DiffResult {
  const review = reviewContractVersion(previous, next, { mode, allowAnnouncedBreaking: allowMajor });
  return { old: refOf(previous), new: refOf(next), ...review };
}

function label(ref: ContractRef): string {
  const name = ref.name ?? ref.source;
  return ref.version === undefined ? name : `${name}@${ref.version}`;
}

function renderHuman(result: DiffResult): string {
  const lines: string[] = [];
  lines.push(`contract diff: ${label(result.old)} -> ${label(result.new)} (compatibility: ${result.mode})`);
  if (result.findings.length === 0) lines.push('  no changes');
  const pathWidth = Math.max(0, ...result.findings.map((f) => f.path.length));
  const changeWidth = Math.max(0, ...result.findings.map((f) => f.change.length));
  for (const f of result.findings) {
    const severity = f.severity === 'breaking' ? 'BREAKING' : f.severity;
    lines.push(
      `  ${severity.padEnd(8)}  ${f.path.padEnd(pathWidth)}  ${f.change.padEnd(changeWidth)}  ${f.reason}`,
    );
  }
  if (result.versionBump !== undefined) {
    lines.push(`version: ${result.versionBump.sufficient ? 'ok' : 'NOT OK'}: ${result.versionBump.reason}`);
  }
  for (const consumer of result.consumers?.consumers ?? []) {
    lines.push(`consumer: ${consumer.satisfied ? 'ok' : 'EXCLUDED'}: ${consumer.reason}`);
  }
  const { breaking, additive, cosmetic } = result.summary;
  const verdict = result.compatible ? 'compatible' : 'INCOMPATIBLE';
  lines.push(`summary: ${breaking} breaking, ${additive} additive, ${cosmetic} cosmetic: ${verdict}`);
  return lines.join('\n');
}

export const command = defineCommand({
  usage:
    'usage: steward contract diff OLD NEW [--mode backward|forward|full|none] [-o human|json|yaml] [--allow-major]',
  help,
  options: { mode: { type: 'string' }, 'allow-major': { type: 'boolean' } },
  inputErrors: CONTRACT_INPUT_ERRORS,
  run: async ({ values, positionals, output }, io) => {
    const [oldPath, newPath, ...extra] = positionals;
    if (oldPath === undefined || newPath === undefined || extra.length > 0) {
      throw new UsageError(`expected exactly two contract files, got ${positionals.length}`);
    }
    const [previous, next] = await Promise.all([readContract(oldPath), readContract(newPath)]);
    const result = compareDocuments(
      previous,
      next,
      modeOf(values.mode, next),
      values['allow-major'] === true,
    );
    await printResult(io, output, result, renderHuman);
    return result.compatible ? ExitCode.ok : ExitCode.problemFound;
  },
});
