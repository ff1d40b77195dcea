import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ContractSchema } from '../schema.ts';
import { compileValidator, isObject, type ValidatorOptions } from './compile.ts';

// Memory stays flat whatever the file size: one line at a time, counters, and a capped list of
// examples. (readline still holds one whole line, so a single multi-gigabyte line is not streamed.)

/** Line-level problems, next to the field-level violation kinds. */
export const LineProblem = { json: 'json', notObject: 'not-object' } as const;

/** Enough examples to see the pattern in a CI log without flooding it. */
export const DEFAULT_MAX_EXAMPLES = 20;
/** Undeclared keys are user data; past this many distinct paths they are counted together. */
const MAX_DISTINCT_FIELDS = 1000;
const OTHER_FIELDS = '(other fields)';
const UTF8_BOM = '\uFEFF';
const OPEN_BRACE = 0x7b;

export interface ValidationExample {
  /** 1-based line number in the input. */
  line: number;
  /** Where in the prediction; empty for a line that is not a JSON object. */
  path: string;
  kind: string;
  message: string;
}

export interface ValidationReport {
  /** Lines read, blank ones included. */
  lines: number;
  /** Non-blank lines, each one prediction. */
  rows: number;
  validRows: number;
  invalidRows: number;
  blankLines: number;
  /** Every problem found; a row may have several. */
  problems: number;
  problemsByKind: Record<string, number>;
  /** Problems per contract field (`reasons[].code`), for the summary. */
  problemsByField: Record<string, number>;
  /** The first problems, at most `maxExamples` of them. */
  examples: ValidationExample[];
  /** Problems beyond the examples, counted only. */
  omittedExamples: number;
}

export interface ValidationOptions extends ValidatorOptions {
  maxExamples?: number;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Validates JSONL predictions (one JSON object per line) against a contract, streaming: a bad line
 * is reported with its number and the run goes on to the end.
 */
export async function validatePredictions(
  input: Readable,
  schema: ContractSchema,
  options: ValidationOptions = {},
): Promise<ValidationReport> {
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  const validate = compileValidator(schema, options);
  const report: ValidationReport = {
    lines: 0,
    rows: 0,
    validRows: 0,
    invalidRows: 0,
    blankLines: 0,
    problems: 0,
    problemsByKind: {},
    problemsByField: {},
    examples: [],
    omittedExamples: 0,
  };
  const byField = new Map<string, number>();
  const record = (line: number, path: string, field: string, kind: string, message: string) => {
    report.problems++;
    increment(report.problemsByKind, kind);
    const key = byField.has(field) || byField.size < MAX_DISTINCT_FIELDS ? field : OTHER_FIELDS;
    byField.set(key, (byField.get(key) ?? 0) + 1);
    if (report.examples.length < maxExamples) report.examples.push({ line, path, kind, message });
    else report.omittedExamples++;
  };

  input.setEncoding('utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const raw of lines) {
    const line = ++report.lines;
    const text = line === 1 && raw.startsWith(UTF8_BOM) ? raw.slice(1) : raw;
    // Most lines start with '{'; only the rest pay for a trim.
    if (text.charCodeAt(0) !== OPEN_BRACE && text.trim() === '') {
      report.blankLines++;
      continue;
    }
    report.rows++;
    let prediction: unknown;
    try {
      prediction = JSON.parse(text);
    } catch (error) {
      report.invalidRows++;
      record(line, '', '(line)', LineProblem.json, `not valid JSON: ${(error as Error).message}`);
      continue;
    }
    if (!isObject(prediction)) {
      report.invalidRows++;
      record(line, '', '(line)', LineProblem.notObject, 'a prediction must be a JSON object');
      continue;
    }
    const violations = validate(prediction);
    if (violations.length === 0) {
      report.validRows++;
      continue;
    }
    report.invalidRows++;
    for (const v of violations) record(line, v.path, v.field, v.kind, v.message);
  }
  report.problemsByField = Object.fromEntries(byField);
  return report;
}
