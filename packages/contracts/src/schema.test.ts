import { describe, expect, it } from 'vitest';
import { contractSchemaSchema, type OutputContractSpecInput, outputContractSpecSchema } from './schema.ts';

const fraudSpec: OutputContractSpecInput = {
  version: '1.2.0',
  schema: {
    fields: [
      { path: 'label', type: 'string', enum: ['fraud', 'legit'] },
      { path: 'fraud', type: 'object' },
      { path: 'fraud.score', type: 'number', minimum: 0, maximum: 1, unit: 'probability' },
      { path: 'reasons', type: 'array', required: false, items: { type: 'object' } },
      { path: 'reasons[].code', type: 'string' },
      { path: 'scores', type: 'array', items: { type: 'number', minimum: 0 } },
    ],
  },
  consumers: [{ name: 'payments', contact: 'payments@example.com', accepts: '^1.0.0' }],
};

function issuesOf(input: unknown): string[] {
  const result = outputContractSpecSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('output contract spec schema', () => {
  it('accepts a contract with nested objects, arrays of objects and consumers', () => {
    expect(issuesOf(fraudSpec)).toEqual([]);
  });

  it('defaults compatibility to backward, fields to required and not nullable, consumers to none', () => {
    const spec = outputContractSpecSchema.parse({
      version: '0.1.0',
      schema: { fields: [{ path: 'score', type: 'number' }] },
    });
    expect(spec.compatibility).toBe('backward');
    expect(spec.consumers).toEqual([]);
    expect(spec.schema.fields[0]).toMatchObject({ required: true, nullable: false });
  });

  it.each([
    ['a version with a leading v', { ...fraudSpec, version: 'v1.2.0' }, 'semantic version'],
    ['a two-part version', { ...fraudSpec, version: '1.2' }, 'semantic version'],
    [
      'a consumer range that is not a semver range',
      { ...fraudSpec, consumers: [{ name: 'a', contact: 'b', accepts: 'latest' }] },
      'semver range',
    ],
    [
      'two consumers with the same name',
      {
        ...fraudSpec,
        consumers: [
          { name: 'a', contact: 'b', accepts: '^1' },
          { name: 'a', contact: 'c', accepts: '^2' },
        ],
      },
      "duplicate consumer name 'a'",
    ],
    ['an unknown compatibility mode', { ...fraudSpec, compatibility: 'sideways' }, 'Invalid option'],
  ])('rejects %s', (_name, input, message) => {
    expect(issuesOf(input).join('\n')).toContain(message);
  });
});

describe('contract field tree', () => {
  function problemsOf(fields: unknown[]): string {
    const result = contractSchemaSchema.safeParse({ fields });
    return result.success ? '' : result.error.issues.map((issue) => issue.message).join('\n');
  }

  it.each([
    ['a child without its parent object', [{ path: 'a.b', type: 'number' }], "parent 'a' must be declared"],
    [
      'a child whose parent is not an object',
      [
        { path: 'a', type: 'string' },
        { path: 'a.b', type: 'number' },
      ],
      "parent 'a' must be declared as a field of type object",
    ],
    [
      'an element field of an array of numbers',
      [
        { path: 'a', type: 'array', items: { type: 'number' } },
        { path: 'a[].b', type: 'number' },
      ],
      "'a' must be declared as an array with items of type object",
    ],
    ['an array without items', [{ path: 'a', type: 'array' }], 'must declare its items'],
    [
      'an array of arrays',
      [{ path: 'a', type: 'array', items: { type: 'array' } }],
      'arrays of arrays are not supported',
    ],
    [
      'items on a scalar',
      [{ path: 'a', type: 'number', items: { type: 'number' } }],
      'items is only allowed',
    ],
    ['an enum on a number', [{ path: 'a', type: 'number', enum: ['1'] }], 'enum is only allowed on string'],
    ['a repeated enum value', [{ path: 'a', type: 'string', enum: ['x', 'x'] }], 'lists a value twice'],
    ['bounds on a string', [{ path: 'a', type: 'string', minimum: 1 }], 'only allowed on number'],
    ['inverted bounds', [{ path: 'a', type: 'number', minimum: 2, maximum: 1 }], 'greater than maximum'],
    [
      'a path declared twice',
      [
        { path: 'a', type: 'number' },
        { path: 'a', type: 'string' },
      ],
      'declared twice',
    ],
    ['a path ending in []', [{ path: 'a[]', type: 'number' }], 'Invalid string'],
    [
      'an unknown field type',
      [{ path: 'a', type: 'float' }],
      'unknown field type "float"; expected one of number',
    ],
  ])('rejects %s', (_name, fields, message) => {
    expect(problemsOf(fields)).toContain(message);
  });
});
