import { describe, expect, it } from 'vitest';
import { type CompatibilityMode, type ContractSchema, contractSchemaSchema } from '../schema.ts';
import { diffContracts } from './diff.ts';
import type { ChangeKind, Severity } from './findings.ts';

type FieldInput = Record<string, unknown> & { path: string; type: string };

function schema(...fields: FieldInput[]): ContractSchema {
  return contractSchemaSchema.parse({ fields });
}

const score: FieldInput = { path: 'score', type: 'number', minimum: 0, maximum: 1 };
const label: FieldInput = { path: 'label', type: 'string', enum: ['fraud', 'legit'] };
const fraud: FieldInput = { path: 'fraud', type: 'object' };
const fraudScore: FieldInput = { path: 'fraud.score', type: 'number' };
const reasons: FieldInput = { path: 'reasons', type: 'array', items: { type: 'object' } };
const reasonCode: FieldInput = { path: 'reasons[].code', type: 'string', enum: ['velocity', 'geo'] };
const tags: FieldInput = { path: 'tags', type: 'array', items: { type: 'string', enum: ['a', 'b'] } };

/** [path, change, severity under backward, severity under forward] */
type Expected = [string, ChangeKind, Severity, Severity];
type Case = [string, FieldInput[], FieldInput[], Expected[]];

const cases: Case[] = [
  // Presence of fields
  [
    'removing a required field',
    [score, label],
    [label],
    [['score', 'field-removed', 'breaking', 'additive']],
  ],
  [
    'removing an optional field',
    [{ ...score, required: false }, label],
    [label],
    [['score', 'field-removed', 'breaking', 'additive']],
  ],
  [
    'adding an optional field',
    [label],
    [label, { ...score, required: false }],
    [['score', 'field-added', 'additive', 'additive']],
  ],
  ['adding a required field', [label], [label, score], [['score', 'field-added', 'additive', 'breaking']]],
  [
    'renaming a field without changing its definition',
    [label, score],
    [label, { ...score, path: 'probability' }],
    [['score', 'field-renamed', 'breaking', 'breaking']],
  ],
  [
    'renaming an optional field',
    [label, { ...score, required: false }],
    [label, { ...score, path: 'probability', required: false }],
    [['score', 'field-renamed', 'breaking', 'additive']],
  ],
  [
    'removing one field and adding a different one',
    [label, score],
    [label, { path: 'confidence', type: 'string' }],
    [
      ['score', 'field-removed', 'breaking', 'additive'],
      ['confidence', 'field-added', 'additive', 'breaking'],
    ],
  ],
  [
    'two removals matching one addition are not guessed as a rename',
    [score, { ...score, path: 'other' }],
    [{ ...score, path: 'third' }],
    [
      ['score', 'field-removed', 'breaking', 'additive'],
      ['other', 'field-removed', 'breaking', 'additive'],
      ['third', 'field-added', 'additive', 'breaking'],
    ],
  ],
  // Types
  [
    'widening integer to number',
    [{ path: 'n', type: 'integer' }],
    [{ path: 'n', type: 'number' }],
    [['n', 'type-changed', 'breaking', 'additive']],
  ],
  [
    'narrowing number to integer',
    [{ path: 'n', type: 'number' }],
    [{ path: 'n', type: 'integer' }],
    [['n', 'type-changed', 'additive', 'breaking']],
  ],
  [
    'changing number to string',
    [{ path: 'n', type: 'number' }],
    [{ path: 'n', type: 'string' }],
    [['n', 'type-changed', 'breaking', 'breaking']],
  ],
  [
    'changing string to boolean',
    [{ path: 'n', type: 'string' }],
    [{ path: 'n', type: 'boolean' }],
    [['n', 'type-changed', 'breaking', 'breaking']],
  ],
  [
    'changing an object to a string folds its nested fields into one finding',
    [fraud, fraudScore],
    [{ path: 'fraud', type: 'string' }],
    [['fraud', 'type-changed', 'breaking', 'breaking']],
  ],
  [
    'widening integer to number also compares the bounds',
    [{ path: 'n', type: 'integer', maximum: 10 }],
    [{ path: 'n', type: 'number', maximum: 100 }],
    [
      ['n', 'type-changed', 'breaking', 'additive'],
      ['n', 'range-widened', 'breaking', 'additive'],
    ],
  ],
  // Required / nullable
  [
    'making a required field optional',
    [score],
    [{ ...score, required: false }],
    [['score', 'required-changed', 'breaking', 'additive']],
  ],
  [
    'making an optional field required',
    [{ ...score, required: false }],
    [score],
    [['score', 'required-changed', 'additive', 'breaking']],
  ],
  [
    'making a field nullable',
    [score],
    [{ ...score, nullable: true }],
    [['score', 'nullable-changed', 'breaking', 'additive']],
  ],
  [
    'making a nullable field non-nullable',
    [{ ...score, nullable: true }],
    [score],
    [['score', 'nullable-changed', 'additive', 'breaking']],
  ],
  // Enums (label sets)
  [
    'adding a label',
    [label],
    [{ ...label, enum: ['fraud', 'legit', 'review'] }],
    [['label', 'enum-value-added', 'breaking', 'additive']],
  ],
  [
    'removing a label',
    [label],
    [{ ...label, enum: ['fraud'] }],
    [['label', 'enum-value-removed', 'additive', 'breaking']],
  ],
  [
    'renaming a label is a removal and an addition',
    [label],
    [{ ...label, enum: ['fraudulent', 'legit'] }],
    [
      ['label', 'enum-value-removed', 'additive', 'breaking'],
      ['label', 'enum-value-added', 'breaking', 'additive'],
    ],
  ],
  ['reordering labels', [label], [{ ...label, enum: ['legit', 'fraud'] }], []],
  [
    'restricting a free string to a label set',
    [{ path: 'label', type: 'string' }],
    [label],
    [['label', 'enum-added', 'additive', 'breaking']],
  ],
  [
    'dropping the label set of a string',
    [label],
    [{ path: 'label', type: 'string' }],
    [['label', 'enum-removed', 'breaking', 'additive']],
  ],
  // Ranges
  [
    'raising the maximum',
    [score],
    [{ ...score, maximum: 100 }],
    [['score', 'range-widened', 'breaking', 'additive']],
  ],
  [
    'lowering the minimum',
    [score],
    [{ ...score, minimum: -1 }],
    [['score', 'range-widened', 'breaking', 'additive']],
  ],
  [
    'removing the maximum',
    [score],
    [{ ...score, maximum: undefined }],
    [['score', 'range-widened', 'breaking', 'additive']],
  ],
  [
    'lowering the maximum',
    [score],
    [{ ...score, maximum: 0.5 }],
    [['score', 'range-narrowed', 'additive', 'breaking']],
  ],
  [
    'raising the minimum',
    [score],
    [{ ...score, minimum: 0.1 }],
    [['score', 'range-narrowed', 'additive', 'breaking']],
  ],
  [
    'adding a minimum to an unbounded number',
    [fraudScore, fraud],
    [fraud, { ...fraudScore, minimum: 0 }],
    [['fraud.score', 'range-narrowed', 'additive', 'breaking']],
  ],
  [
    'shifting the range reports both bounds',
    [score],
    [{ ...score, minimum: 1, maximum: 100 }],
    [
      ['score', 'range-narrowed', 'additive', 'breaking'],
      ['score', 'range-widened', 'breaking', 'additive'],
    ],
  ],
  // Arrays
  [
    'changing the item type of an array',
    [tags],
    [{ ...tags, items: { type: 'integer' } }],
    [['tags[]', 'type-changed', 'breaking', 'breaking']],
  ],
  [
    'adding a label to array items',
    [tags],
    [{ ...tags, items: { type: 'string', enum: ['a', 'b', 'c'] } }],
    [['tags[]', 'enum-value-added', 'breaking', 'additive']],
  ],
  [
    'making array items nullable',
    [tags],
    [{ ...tags, items: { ...(tags.items as object), nullable: true } }],
    [['tags[]', 'nullable-changed', 'breaking', 'additive']],
  ],
  [
    'widening the range of array items',
    [{ path: 'p', type: 'array', items: { type: 'number', maximum: 1 } }],
    [{ path: 'p', type: 'array', items: { type: 'number' } }],
    [['p[]', 'range-widened', 'breaking', 'additive']],
  ],
  [
    'adding a label inside an array of objects',
    [reasons, reasonCode],
    [reasons, { ...reasonCode, enum: ['velocity', 'geo', 'device'] }],
    [['reasons[].code', 'enum-value-added', 'breaking', 'additive']],
  ],
  [
    'removing a field of the objects in an array',
    [reasons, reasonCode],
    [reasons],
    [['reasons[].code', 'field-removed', 'breaking', 'additive']],
  ],
  [
    'turning an array of objects into an array of strings folds the element fields',
    [reasons, reasonCode],
    [{ ...reasons, items: { type: 'string' } }],
    [['reasons[]', 'type-changed', 'breaking', 'breaking']],
  ],
  // Nested objects
  [
    'removing a nested field',
    [fraud, fraudScore],
    [fraud],
    [['fraud.score', 'field-removed', 'breaking', 'additive']],
  ],
  [
    'adding a required nested field',
    [fraud],
    [fraud, fraudScore],
    [['fraud.score', 'field-added', 'additive', 'breaking']],
  ],
  [
    'removing an object reports the object once',
    [label, fraud, fraudScore],
    [label],
    [['fraud', 'field-removed', 'breaking', 'additive']],
  ],
  [
    'adding an optional object with required children reports the object once',
    [label],
    [label, { ...fraud, required: false }, fraudScore],
    [['fraud', 'field-added', 'additive', 'additive']],
  ],
  [
    'renaming an object with its nested fields',
    [fraud, fraudScore],
    [
      { ...fraud, path: 'risk' },
      { ...fraudScore, path: 'risk.score' },
    ],
    [['fraud', 'field-renamed', 'breaking', 'breaking']],
  ],
  [
    'widening a nested range',
    [fraud, { ...fraudScore, maximum: 1 }],
    [fraud, fraudScore],
    [['fraud.score', 'range-widened', 'breaking', 'additive']],
  ],
  // Documentation and units
  [
    'changing a description',
    [score],
    [{ ...score, description: 'fraud probability' }],
    [['score', 'description-changed', 'cosmetic', 'cosmetic']],
  ],
  [
    'naming the unit of a number',
    [score],
    [{ ...score, unit: 'probability' }],
    [['score', 'unit-changed', 'cosmetic', 'cosmetic']],
  ],
  [
    'changing the unit of a number',
    [{ ...score, unit: 'probability' }],
    [{ ...score, unit: 'percent' }],
    [['score', 'unit-changed', 'breaking', 'breaking']],
  ],
  ['reordering fields', [label, score], [score, label], []],
];

const modes: CompatibilityMode[] = ['backward', 'forward', 'full', 'none'];

function expectedUnder(mode: CompatibilityMode, [, , backward, forward]: Expected): Severity {
  if (mode === 'backward') return backward;
  if (mode === 'forward') return forward;
  if (backward === 'cosmetic') return 'cosmetic';
  if (mode === 'full') return backward === 'breaking' || forward === 'breaking' ? 'breaking' : 'additive';
  return 'additive';
}

describe('diffContracts rule table', () => {
  it('covers at least forty cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(modes)('under %s compatibility', (mode) => {
    it.each(cases)('classifies %s', (_name, before, after, expected) => {
      const findings = diffContracts(schema(...before), schema(...after), mode);
      expect(findings.map((f) => [f.path, f.change, f.severity])).toEqual(
        expected.map((e) => [e[0], e[1], expectedUnder(mode, e)]),
      );
    });
  });

  it('gives every finding a reason and the values before and after', () => {
    const [finding] = diffContracts(schema(label), schema({ ...label, enum: ['fraud', 'legit', 'review'] }));
    expect(finding).toEqual({
      path: 'label',
      change: 'enum-value-added',
      severity: 'breaking',
      to: 'review',
      breaks: ['backward'],
      reason: "label 'review' added: existing consumers do not know it",
    });
  });

  it('says how many nested fields a removed object takes with it', () => {
    const [finding] = diffContracts(schema(reasons, reasonCode), schema());
    expect(finding?.reason).toBe(
      'required field removed (with 1 nested field): existing consumers read it from every prediction',
    );
  });

  it('reports a rename as a removal and an addition when rename detection is off', () => {
    const findings = diffContracts(schema(score), schema({ ...score, path: 'p' }), 'backward', {
      detectRenames: false,
    });
    expect(findings.map((f) => f.change)).toEqual(['field-removed', 'field-added']);
  });
});
