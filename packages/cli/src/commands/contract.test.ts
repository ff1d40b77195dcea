import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../run.ts';

const testdata = fileURLToPath(new URL('../../testdata/contracts/', import.meta.url));
const fixture = (name: string) => join(testdata, name);

async function steward(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('steward contract diff', () => {
  it('passes a documentation-only patch release with exit code 0', async () => {
    const { code, out } = await steward(
      'contract',
      'diff',
      fixture('fraud-v1.yaml'),
      fixture('fraud-v1-docs.yaml'),
    );
    expect(code).toBe(0);
    expect(out).toContain('cosmetic  label  description-changed');
    expect(out).toContain('summary: 0 breaking, 0 additive, 1 cosmetic: compatible');
  });

  it('fails a new label and a rescaled score released as a minor version, naming each field', async () => {
    const { code, out } = await steward(
      'contract',
      'diff',
      fixture('fraud-v1.yaml'),
      fixture('fraud-v1-minor-breaking.yaml'),
    );
    expect(code).toBe(1);
    expect(out).toContain("BREAKING  label      enum-value-added  label 'review' added");
    expect(out).toContain('BREAKING  score      range-widened');
    expect(out).toContain('BREAKING  score      unit-changed');
    expect(out).toContain('additive  latencyMs  field-added');
    expect(out).toContain('version: NOT OK: breaking changes need a major version bump, but 1.2.0 -> 1.3.0');
  });

  it('still fails breaking changes behind a major bump unless --allow-major is given', async () => {
    const args = ['contract', 'diff', fixture('fraud-v1.yaml'), fixture('fraud-v2.yaml')];
    const strict = await steward(...args);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain(
      "consumer: EXCLUDED: consumer 'payments-api' accepts ^1.0.0, which excludes 2.0.0; contact payments-oncall@example.com",
    );
    const allowed = await steward(...args, '--allow-major');
    expect(allowed.code).toBe(0);
  });

  it('prints machine-readable findings with --output json', async () => {
    const { code, out } = await steward(
      'contract',
      'diff',
      fixture('fraud-v1.yaml'),
      fixture('fraud-v1-minor-breaking.yaml'),
      '--output',
      'json',
    );
    expect(code).toBe(1);
    const result = JSON.parse(out);
    expect(result).toMatchObject({
      mode: 'backward',
      compatible: false,
      summary: { breaking: 3, additive: 1, cosmetic: 0 },
      versionBump: { sufficient: false, required: 'major', actual: 'minor' },
    });
    expect(result.findings[0]).toMatchObject({ path: 'label', change: 'enum-value-added', to: 'review' });
  });

  it('compares a bare JSON schema with a manifest and honours --mode', async () => {
    const forward = await steward(
      'contract',
      'diff',
      fixture('fraud-schema.json'),
      fixture('fraud-v1.yaml'),
      '--mode',
      'forward',
    );
    expect(forward.code).toBe(1);
    expect(forward.out).toContain('(compatibility: forward)');
    expect(forward.out).toContain('BREAKING  model');
    const backward = await steward(
      'contract',
      'diff',
      fixture('fraud-schema.json'),
      fixture('fraud-v1.yaml'),
    );
    expect(backward.code).toBe(0);
  });

  it.each([
    [
      'malformed YAML',
      'malformed.yaml',
      'malformed.yaml: malformed YAML/JSON: missed comma between flow collection entries',
    ],
    ['an unknown field type', 'unknown-type.yaml', 'spec.schema.fields[1].type: unknown field type "float"'],
    ['a missing file', 'does-not-exist.yaml', 'does-not-exist.yaml: no such file'],
  ])('rejects %s with exit code 2 and the file name', async (_name, file, message) => {
    const { code, err } = await steward('contract', 'diff', fixture('fraud-v1.yaml'), fixture(file));
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it.each([
    ['one file only', ['diff', 'a.yaml'], 'expected exactly two contract files, got 1'],
    ['an unknown option', ['diff', '--colour', 'a', 'b'], "Unknown option '--colour'"],
    [
      'an unknown mode',
      ['diff', fixture('fraud-v1.yaml'), fixture('fraud-v2.yaml'), '--mode', 'sideways'],
      '--mode must be one of',
    ],
    [
      'an unknown output format',
      ['diff', 'a', 'b', '--output', 'xml'],
      "--output must be one of human, json, yaml, got 'xml'",
    ],
    ['an unknown subcommand', ['lint'], "unknown subcommand 'lint'"],
    ['no subcommand', [], 'missing subcommand'],
  ])('treats %s as a usage error', async (_name, args, message) => {
    const { code, err } = await steward('contract', ...args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});

describe('steward contract help', () => {
  it.each([
    ['diff', 'exit codes: 0 compatible, 1 breaking'],
    ['validate', 'exit codes: 0 every prediction conforms, 1 some do not'],
  ])('explains %s, its options and exit codes with --help', async (subcommand, exitCodes) => {
    const { code, out } = await steward('contract', subcommand, '--help');
    expect(code).toBe(0);
    expect(out).toContain(`usage: steward contract ${subcommand}`);
    expect(out).toContain(exitCodes);
  });
});

describe('steward contract validate', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'steward-contract-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('passes predictions that honour the contract', async () => {
    const { code, out } = await steward(
      'contract',
      'validate',
      fixture('fraud-v1.yaml'),
      fixture('predictions-good.jsonl'),
    );
    expect(code).toBe(0);
    expect(out).toContain('predictions-good.jsonl: 3 rows, 3 valid, 0 invalid');
  });

  it('reports every bad line with its number, continues to the end and summarises', async () => {
    const { code, out } = await steward(
      'contract',
      'validate',
      fixture('fraud-v1.yaml'),
      fixture('predictions-bad.jsonl'),
    );
    expect(code).toBe(1);
    expect(out).toContain('predictions-bad.jsonl: 7 rows, 2 valid, 5 invalid (1 blank line skipped)');
    expect(out).toContain('line 2: label: "review" is not in the label set');
    expect(out).toContain('line 3: score: 1.7 is above the maximum 1');
    expect(out).toMatch(/line 4: not valid JSON: /);
    expect(out).toContain('line 6: reasons[1].code: "time" is not in the label set');
    expect(out).toContain('line 6: model.version: required field is missing');
    expect(out).toContain('line 7: a prediction must be a JSON object');
    expect(out).toContain('problems by field:\n  score           2\n  (line)          2\n');
  });

  it('caps the printed problems and counts the rest', async () => {
    const file = join(scratch, 'many-bad.jsonl');
    await writeFile(file, `${Array.from({ length: 500 }, (_, i) => `{"label": "x${i}"}`).join('\n')}\n`);
    const { code, out } = await steward(
      'contract',
      'validate',
      fixture('fraud-schema.json'),
      file,
      '--max-examples',
      '3',
    );
    expect(code).toBe(1);
    expect(out.match(/^ {2}line /gm)).toHaveLength(3);
    expect(out).toContain('... and 997 more problems');
    expect(out).toContain('problems by kind: enum 500, missing 500');
  });

  it('prints the report as JSON', async () => {
    const { out } = await steward(
      'contract',
      'validate',
      fixture('fraud-v1.yaml'),
      fixture('predictions-bad.jsonl'),
      '-o',
      'json',
    );
    expect(JSON.parse(out)).toMatchObject({
      rows: 7,
      validRows: 2,
      invalidRows: 5,
      blankLines: 1,
      omittedExamples: 0,
    });
  });

  it('reports undeclared fields with --reject-undeclared', async () => {
    const { code, out } = await steward(
      'contract',
      'validate',
      fixture('fraud-v1.yaml'),
      fixture('predictions-good.jsonl'),
      '--reject-undeclared',
    );
    expect(code).toBe(1);
    expect(out).toContain('line 3: traceId: field is not declared in the contract');
  });

  it.each([
    ['a missing predictions file', () => ['missing.jsonl'], 'missing.jsonl: no such file'],
    ['a directory', () => [scratch], 'is a directory, not a file'],
    [
      'a non-numeric example cap',
      () => [fixture('predictions-good.jsonl'), '--max-examples', 'lots'],
      'non-negative integer',
    ],
  ])('rejects %s with exit code 2', async (_name, args, message) => {
    const { code, err } = await steward('contract', 'validate', fixture('fraud-v1.yaml'), ...args());
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('treats a file without predictions as bad input', async () => {
    const file = join(scratch, 'empty.jsonl');
    await writeFile(file, '\n\n');
    const { code, err } = await steward('contract', 'validate', fixture('fraud-v1.yaml'), file);
    expect(code).toBe(2);
    expect(err).toContain('empty.jsonl: no predictions to validate');
  });
});
