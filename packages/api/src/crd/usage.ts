import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConditionType } from '../conditions.ts';
import { CheckOutcome } from '../kinds/drift-monitor.ts';

/** Names of @steward/api constants that code running in `steward operator` or the `steward` CLI refers to. */
export interface NamesInUse {
  readonly reasons: ReadonlySet<string>;
  readonly conditionTypes: ReadonlySet<string>;
  /** Other constants, e.g. RETRAIN_REQUESTED_ANNOTATION. */
  readonly constants: ReadonlySet<string>;
}

const OPERATOR_SOURCES = 'packages/operator/src';
const CLI_SOURCES = 'packages/cli/src';
// Tests and their fixtures name constants to check them, which says nothing about what the product sets.
const TEST_FILE = /(\.test\.ts|test-[a-z-]+\.ts)$/;

function sourceFiles(directory: string, recursive: boolean): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return recursive ? sourceFiles(path, true) : [];
    return entry.name.endsWith('.ts') && !TEST_FILE.test(entry.name) ? [path] : [];
  });
}

/**
 * The sources of running code: the operator's top level, every controller folder with a controller.ts (a kind whose
 * folder holds only a decide function is not reconciled yet) and the CLI.
 */
function runningSources(root: string): string[] {
  const operator = join(root, OPERATOR_SOURCES);
  const controllers = existsSync(operator)
    ? readdirSync(operator, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(operator, entry.name, 'controller.ts')))
        .flatMap((entry) => sourceFiles(join(operator, entry.name), true))
    : [];
  return [...sourceFiles(operator, false), ...controllers, ...sourceFiles(join(root, CLI_SOURCES), true)];
}

const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1] ?? '');

/**
 * Which reasons, condition types and constants running code names (as `Reason.X`, `DriftMonitorReason.X`,
 * `reason: 'X'`, `ConditionType.X`, `X_ANNOTATION`). docs/api.md marks the others as planned, so the reference
 * never promises what no code does. A reason set only through a variable would be missed, except a drift check's
 * outcome (below), so code names the constant it sets.
 */
export function namesInRunningCode(root: string): NamesInUse {
  const text = runningSources(root)
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  const conditionTypes = new Set(matches(text, /\bConditionType\.([A-Z][A-Za-z0-9]*)/g));
  const reasons = new Set([
    ...matches(text, /\b[A-Za-z]*Reason\.([A-Z][A-Za-z0-9]*)/g),
    ...matches(text, /\breason: '([A-Z][A-Za-z0-9]*)'/g),
    // A drift check's outcome is the DriftDetected reason, so code that sets the condition sets it from the
    // result (`reason: result.outcome`) rather than by naming each constant.
    ...(conditionTypes.has(ConditionType.DriftDetected) ? Object.values(CheckOutcome) : []),
  ]);
  return {
    reasons,
    conditionTypes,
    constants: new Set(matches(text, /\b([A-Z][A-Z0-9_]*_ANNOTATION)\b/g)),
  };
}
