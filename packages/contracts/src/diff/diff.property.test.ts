import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPATIBILITY_MODES, type ContractSchema, contractSchemaSchema, type Field } from '../schema.ts';
import { diffContracts } from './diff.ts';
import type { Finding } from './findings.ts';

const KEYS = ['score', 'label', 'reason', 'amount', 'count', 'flag', 'meta'] as const;
const SCALARS = ['number', 'integer', 'string', 'boolean'] as const;
const LABELS = ['fraud', 'legit', 'review', 'unknown'] as const;

const bounds = fc
  .record({
    low: fc.option(fc.integer({ min: -100, max: 0 })),
    span: fc.option(fc.integer({ min: 0, max: 100 })),
  })
  .map(({ low, span }) => ({
    ...(low === null ? {} : { minimum: low }),
    ...(span === null ? {} : { maximum: (low ?? 0) + span }),
  }));

const scalarField = (path: string) =>
  fc
    .record({
      type: fc.constantFrom(...SCALARS),
      required: fc.boolean(),
      nullable: fc.boolean(),
      labels: fc.option(fc.subarray([...LABELS], { minLength: 1 })),
      bounds,
      unit: fc.option(fc.constantFrom('probability', 'USD')),
    })
    .map(({ type, required, nullable, labels, bounds: range, unit }): Field => {
      const numeric = type === 'number' || type === 'integer';
      return {
        path,
        type,
        required,
        nullable,
        ...(type === 'string' && labels !== null ? { enum: labels } : {}),
        ...(numeric ? range : {}),
        ...(numeric && unit !== null ? { unit } : {}),
      };
    });

interface Shape {
  keys: string[];
  nestedKeys: string[];
  withArray: boolean;
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  keys: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: KEYS.length }),
  nestedKeys: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 3 }),
  withArray: fc.boolean(),
});

/** A valid contract of the given shape: top-level scalars, an object of scalars, an array of scalars. */
function contractOf({ keys, nestedKeys, withArray }: Shape): fc.Arbitrary<ContractSchema> {
  return fc
    .tuple(
      fc.tuple(...keys.map((key) => scalarField(key))),
      fc.tuple(...nestedKeys.map((key) => scalarField(`nested.${key}`))),
      scalarField('list[]'),
    )
    .map(([top, nested, element]) => {
      const fields: Field[] = [...top];
      if (nested.length > 0) fields.push({ path: 'nested', type: 'object', required: true, nullable: false });
      fields.push(...nested);
      if (withArray) {
        const { path: _path, required: _required, ...items } = element;
        fields.push({ path: 'list', type: 'array', required: true, nullable: false, items });
      }
      return contractSchemaSchema.parse({ fields });
    });
}

const contractArb: fc.Arbitrary<ContractSchema> = shapeArb.chain(contractOf);
/** Two contracts with the same fields, each field's type and constraints drawn independently. */
const samePathsArb = shapeArb.chain((shape) => fc.tuple(contractOf(shape), contractOf(shape)));

/** A change every consumer of the previous version can be hurt by, with the path it touches. */
type Mutation = (field: Field) => Field | undefined;

/** The same field with another, incompatible type and no constraints that would not fit it. */
function retype(field: Field, type: Field['type']): Field {
  const { enum: _enum, minimum: _minimum, maximum: _maximum, unit: _unit, ...rest } = field;
  return { ...rest, type };
}

function flipType(field: Field): Field {
  return retype(field, field.type === 'boolean' ? 'string' : 'boolean');
}

const breakingMutations: Record<string, Mutation> = {
  'remove the field': () => undefined,
  'make it optional': (f) => (f.required ? { ...f, required: false } : flipType(f)),
  'make it nullable': (f) => (f.nullable ? flipType(f) : { ...f, nullable: true }),
  'change its type': flipType,
  'widen integer to number, or the range': (f) => {
    if (f.type === 'integer') return { ...f, type: 'number' };
    if (f.type === 'number' && f.maximum !== undefined) return { ...f, maximum: f.maximum + 1 };
    if (f.type === 'number' && f.minimum !== undefined) return { ...f, minimum: f.minimum - 1 };
    return flipType(f);
  },
  'add a label or drop the label set': (f) => {
    if (f.type !== 'string') return retype(f, 'string');
    return f.enum === undefined ? flipType(f) : { ...f, enum: [...f.enum, 'brand-new-label'] };
  },
};

/**
 * Applies `mutation` to one scalar field or to the elements of the array of scalars (as the field
 * `list[]`; removing the elements removes the array).
 */
function mutate(contract: ContractSchema, index: number, mutation: Mutation): ContractSchema {
  const targets = contract.fields.filter((f) => f.type !== 'object');
  const target = targets[index % targets.length];
  const fields = contract.fields.flatMap((field): Field[] => {
    if (field !== target) return [field];
    if (field.items === undefined) {
      const changed = mutation(field);
      return changed === undefined ? [] : [changed];
    }
    // Elements are always present, so "make it optional" falls through to a type change.
    const changed = mutation({ ...field.items, path: `${field.path}[]`, required: false });
    if (changed === undefined) return [];
    const { path: _path, required: _required, items: _items, ...items } = changed;
    return [{ ...field, items }];
  });
  return contractSchemaSchema.parse({ fields });
}

describe('diffContracts properties', () => {
  it('finds no change between a contract and itself, under every mode', () => {
    fc.assert(
      fc.property(contractArb, fc.constantFrom(...COMPATIBILITY_MODES), (contract, mode) => {
        expect(diffContracts(contract, structuredClone(contract), mode)).toEqual([]);
      }),
    );
  });

  it('classifies a generated breaking mutation as breaking under backward', () => {
    fc.assert(
      fc.property(
        contractArb,
        fc.nat(),
        fc.constantFrom(...Object.keys(breakingMutations)),
        (contract, index, name) => {
          const mutation = breakingMutations[name];
          if (mutation === undefined) throw new Error(`no mutation ${name}`);
          const findings = diffContracts(contract, mutate(contract, index, mutation), 'backward');
          expect(findings.some((f) => f.severity === 'breaking')).toBe(true);
        },
      ),
    );
  });

  it('never calls a narrowing of the output breaking under backward', () => {
    const narrowings: Mutation[] = [
      (f) => ({ ...f, required: true }),
      (f) => ({ ...f, nullable: false }),
      (f) => (f.type === 'number' ? { ...f, type: 'integer' } : f),
      (f) => (f.enum !== undefined && f.enum.length > 1 ? { ...f, enum: f.enum.slice(1) } : f),
      (f) =>
        f.maximum !== undefined ? { ...f, maximum: Math.max(f.minimum ?? f.maximum, f.maximum - 1) } : f,
      (f) => ({ ...f, description: 'now documented' }),
    ];
    fc.assert(
      fc.property(contractArb, fc.nat(), fc.constantFrom(...narrowings), (contract, index, narrowing) => {
        const findings = diffContracts(contract, mutate(contract, index, narrowing), 'backward');
        expect(findings.filter((f) => f.severity === 'breaking')).toEqual([]);
      }),
    );
  });

  it('mirrors every change: what breaks backward from a to b breaks forward from b to a', () => {
    // Holds for every rule on a field present in both versions (additions and removals are not
    // mirror images: consumers ignore unknown fields).
    const directions = (findings: Finding[], swap: boolean) =>
      findings
        .flatMap((f) =>
          f.breaks.map((d) => `${f.path} ${swap ? (d === 'backward' ? 'forward' : 'backward') : d}`),
        )
        .sort();
    fc.assert(
      fc.property(samePathsArb, ([a, b]) => {
        expect(directions(diffContracts(b, a), true)).toEqual(directions(diffContracts(a, b), false));
      }),
    );
  });

  it('classifies no finding as breaking under none', () => {
    fc.assert(
      fc.property(contractArb, contractArb, (a, b) => {
        expect(diffContracts(a, b, 'none').filter((f) => f.severity === 'breaking')).toEqual([]);
      }),
    );
  });
});
