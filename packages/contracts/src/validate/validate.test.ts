import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { contractSchemaSchema } from '../schema.ts';
import { compileValidator } from './compile.ts';
import { validatePredictions } from './stream.ts';

const contract = contractSchemaSchema.parse({
  fields: [
    { path: 'label', type: 'string', enum: ['fraud', 'legit'] },
    { path: 'score', type: 'number', minimum: 0, maximum: 1 },
    { path: 'rank', type: 'integer', required: false, nullable: true },
    { path: 'flagged', type: 'boolean', required: false },
    { path: 'fraud', type: 'object', required: false },
    { path: 'fraud.ring', type: 'string' },
    { path: 'reasons', type: 'array', required: false, items: { type: 'object' } },
    { path: 'reasons[].code', type: 'string', enum: ['velocity', 'geo'] },
    { path: 'scores', type: 'array', required: false, items: { type: 'number', maximum: 1 } },
  ],
});

const valid = { label: 'fraud', score: 0.9 };

describe('compileValidator', () => {
  const validate = compileValidator(contract);

  it.each([
    ['a minimal prediction', valid],
    ['a null in a nullable field', { ...valid, rank: null }],
    ['an integer in a number field', { ...valid, score: 1 }],
    [
      'nested objects and arrays',
      { ...valid, fraud: { ring: 'r1' }, reasons: [{ code: 'geo' }], scores: [0.1] },
    ],
    ['fields the contract does not declare', { ...valid, debug: { anything: [1, 2] } }],
  ])('accepts %s', (_name, prediction) => {
    expect(validate(prediction)).toEqual([]);
  });

  it.each([
    ['a missing required field', { label: 'legit' }, 'score', 'missing', 'required field is missing'],
    [
      'a null in a non-nullable field',
      { ...valid, score: null },
      'score',
      'null',
      'is null but the field is not nullable',
    ],
    [
      'a string where a number belongs',
      { ...valid, score: '0.9' },
      'score',
      'type',
      'expected number, got string "0.9"',
    ],
    [
      'a fraction where an integer belongs',
      { ...valid, rank: 1.5 },
      'rank',
      'type',
      'expected integer, got number 1.5',
    ],
    ['an unknown label', { ...valid, label: 'review' }, 'label', 'enum', '"review" is not in the label set'],
    ['a score above the maximum', { ...valid, score: 1.5 }, 'score', 'range', '1.5 is above the maximum 1'],
    ['a score below the minimum', { ...valid, score: -0.1 }, 'score', 'range', '-0.1 is below the minimum 0'],
    [
      'an array where an object belongs',
      { ...valid, fraud: [] },
      'fraud',
      'type',
      'expected object, got array []',
    ],
    [
      'a missing field of a present nested object',
      { ...valid, fraud: {} },
      'fraud.ring',
      'missing',
      'required field is missing',
    ],
    [
      'a bad label inside an array element',
      { ...valid, reasons: [{ code: 'geo' }, { code: 'time' }] },
      'reasons[1].code',
      'enum',
      '"time" is not in the label set',
    ],
    [
      'an array element out of range',
      { ...valid, scores: [0.5, 2] },
      'scores[1]',
      'range',
      '2 is above the maximum 1',
    ],
  ])('reports %s with its path', (_name, prediction, path, kind, message) => {
    expect(validate(prediction)).toEqual([expect.objectContaining({ path, kind, message })]);
  });

  it('does not mistake inherited properties for fields', () => {
    const withConstructor = compileValidator(
      contractSchemaSchema.parse({ fields: [{ path: 'constructor', type: 'string' }] }),
    );
    expect(withConstructor({}).map((v) => v.kind)).toEqual(['missing']);
  });

  it('reports undeclared fields only when asked to', () => {
    const strict = compileValidator(contract, { rejectUndeclared: true });
    expect(strict({ ...valid, fraud: { ring: 'r', extra: 1 } })).toEqual([
      {
        path: 'fraud.extra',
        field: 'fraud.extra',
        kind: 'undeclared',
        message: 'field is not declared in the contract',
      },
    ]);
  });
});

function lines(...rows: string[]): Readable {
  return Readable.from([rows.join('\n')]);
}

describe('validatePredictions', () => {
  it('counts valid rows and skips blank lines and a trailing newline', async () => {
    const report = await validatePredictions(
      lines(JSON.stringify(valid), '', JSON.stringify(valid), ''),
      contract,
    );
    expect(report).toMatchObject({
      lines: 3,
      rows: 2,
      validRows: 2,
      invalidRows: 0,
      blankLines: 1,
      problems: 0,
    });
  });

  it('reports bad lines with their line numbers and carries on to the end', async () => {
    const report = await validatePredictions(
      lines(
        '{"label": "fraud", "score": 0.2}',
        '{not json',
        '[1, 2]',
        '{"label": "spam", "score": 3}',
        JSON.stringify(valid),
      ),
      contract,
    );
    expect(report).toMatchObject({ rows: 5, validRows: 2, invalidRows: 3, problems: 4 });
    expect(report.examples.map((e) => [e.line, e.kind, e.path])).toEqual([
      [2, 'json', ''],
      [3, 'not-object', ''],
      [4, 'enum', 'label'],
      [4, 'range', 'score'],
    ]);
    expect(report.examples[0]?.message).toMatch(/^not valid JSON: /);
    expect(report.problemsByField).toEqual({ '(line)': 2, label: 1, score: 1 });
  });

  it('keeps only the first examples and counts the rest', async () => {
    const bad = Array.from({ length: 50 }, () => '{"label": "fraud"}');
    const report = await validatePredictions(lines(...bad), contract, { maxExamples: 5 });
    expect(report.examples).toHaveLength(5);
    expect(report.omittedExamples).toBe(45);
    expect(report.problemsByKind).toEqual({ missing: 50 });
  });

  it('reads CRLF line endings and a byte order mark', async () => {
    const report = await validatePredictions(
      Readable.from([`\uFEFF${JSON.stringify(valid)}\r\n${JSON.stringify(valid)}\r\n`]),
      contract,
    );
    expect(report).toMatchObject({ rows: 2, validRows: 2 });
  });

  it('reads lines split across stream chunks', async () => {
    const text = `${JSON.stringify(valid)}\n${JSON.stringify({ label: 'legit', score: 0.1 })}\n`;
    const chunks = [...text].map((char) => Buffer.from(char));
    const report = await validatePredictions(Readable.from(chunks), contract);
    expect(report).toMatchObject({ rows: 2, validRows: 2 });
  });
});
