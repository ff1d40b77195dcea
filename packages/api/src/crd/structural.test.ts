import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withCel } from '../cel.ts';
import { KIND_DEFINITIONS } from './definitions.ts';
import { buildCrd } from './generate.ts';
import { applyAdditions, type SchemaNode, StructuralSchemaError, toStructuralSchema } from './structural.ts';

const described = <T extends z.ZodType>(schema: T) => schema.describe('a field');

/** Every schema node with its path, for whole-tree invariants. */
function* walk(node: SchemaNode, path = ''): Generator<[string, SchemaNode]> {
  yield [path, node];
  for (const [name, child] of Object.entries(node.properties ?? {})) yield* walk(child, `${path}.${name}`);
  if (node.items) yield* walk(node.items, `${path}[]`);
  if (typeof node.additionalProperties === 'object') yield* walk(node.additionalProperties, `${path}.*`);
}

describe('toStructuralSchema', () => {
  it('drops additionalProperties: false, which would make the API server reject unknown fields instead of pruning', () => {
    const schema = toStructuralSchema(z.strictObject({ a: described(z.string()) }));
    expect(schema).not.toHaveProperty('additionalProperties');
  });

  it('inlines a schema used twice instead of emitting a $ref', () => {
    const shared = z.object({ name: described(z.string()) }).describe('shared');
    const schema = toStructuralSchema(z.object({ a: shared, b: shared }));
    expect(JSON.stringify(schema)).not.toContain('$ref');
    expect(schema.properties?.b?.properties?.name?.type).toBe('string');
  });

  it('turns a literal into a one-value enum', () => {
    const schema = toStructuralSchema(z.object({ kind: described(z.literal('x')) }));
    expect(schema.properties?.kind).toMatchObject({ type: 'string', enum: ['x'] });
  });

  it('marks nullable fields with nullable instead of a type array', () => {
    const schema = toStructuralSchema(z.object({ a: described(z.string().nullable()) }));
    expect(schema.properties?.a).toMatchObject({ type: 'string', nullable: true });
  });

  it('drops the JavaScript pattern of a format the API server validates itself', () => {
    const schema = toStructuralSchema(z.object({ at: described(z.iso.datetime()) }));
    expect(schema.properties?.at).toEqual({ type: 'string', format: 'date-time', description: 'a field' });
  });

  it('lets unknown values through with x-kubernetes-preserve-unknown-fields', () => {
    const schema = toStructuralSchema(z.object({ extra: described(z.unknown()) }));
    expect(schema.properties?.extra).toMatchObject({ 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('keeps defaults, and leaves defaulted fields out of required', () => {
    const schema = toStructuralSchema(z.object({ n: described(z.int().default(3)) }));
    expect(schema.properties?.n).toMatchObject({ type: 'integer', default: 3 });
    expect(schema.required).toBeUndefined();
  });

  it('carries CEL rules attached with withCel', () => {
    const rule = { rule: 'self.a != self.b', message: 'a and b must differ' };
    const schema = toStructuralSchema(
      withCel(z.object({ a: described(z.string()), b: described(z.string()) }), rule),
    );
    expect(schema['x-kubernetes-validations']).toEqual([rule]);
  });

  it('refuses a field without a description, naming the field', () => {
    expect(() => toStructuralSchema(z.object({ outer: described(z.object({ inner: z.string() })) }))).toThrow(
      'outer.inner: every field needs a description',
    );
  });

  it('refuses a union, naming the field, because a structural schema cannot express it', () => {
    const union = described(z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]));
    expect(() => toStructuralSchema(z.object({ choice: union }))).toThrow(StructuralSchemaError);
    expect(() => toStructuralSchema(z.object({ choice: union }))).toThrow(/^choice: 'anyOf'/);
  });

  it('refuses a list-map whose key is optional, which the API server would refuse later', () => {
    const list = z
      .array(z.object({ name: described(z.string().optional()) }))
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] });
    expect(() => toStructuralSchema(z.object({ items: described(list) }))).toThrow('items[].name');
  });
});

describe('applyAdditions', () => {
  const base = toStructuralSchema(
    z.object({ list: described(z.array(z.object({ t: described(z.number()) }).describe('item'))) }),
  );

  it('adds keywords at a path through items and appends CEL rules', () => {
    const rule = { rule: 'self.t < 1.0', message: 'too big' };
    const result = applyAdditions(base, {
      list: { maxItems: 5 },
      'list[]': { 'x-kubernetes-validations': [rule] },
    });
    expect(result.properties?.list?.maxItems).toBe(5);
    expect(result.properties?.list?.items?.['x-kubernetes-validations']).toEqual([rule]);
  });

  it('fails on a path that does not exist, so a renamed field cannot silently lose its rule', () => {
    expect(() => applyAdditions(base, { 'lists[]': { maxItems: 1 } })).toThrow('lists[]: no such field');
  });
});

describe('every generated CRD', () => {
  for (const definition of KIND_DEFINITIONS) {
    const crd = buildCrd(definition);
    const root = crd.spec.versions[0]?.schema.openAPIV3Schema as SchemaNode;

    it(`${definition.names.kind} is structural: every node has a type and no forbidden keyword`, () => {
      for (const [path, node] of walk(root)) {
        const typed = node.type !== undefined || node['x-kubernetes-preserve-unknown-fields'] === true;
        expect(typed, `${path} has no type`).toBe(true);
        for (const keyword of ['$ref', '$schema', 'anyOf', 'oneOf', 'allOf', 'const']) {
          expect(node, `${path} has ${keyword}`).not.toHaveProperty(keyword);
        }
        expect(node.additionalProperties, `${path}`).not.toBe(false);
      }
    });

    it(`${definition.names.kind} documents every field (what kubectl explain prints)`, () => {
      for (const [path, node] of walk(root)) {
        if (path === '' || path === '.metadata' || path.endsWith('[]') || path.endsWith('.*')) continue;
        expect(node.description, `${path} has no description`).toMatch(/\S/);
      }
    });

    it(`${definition.names.kind} bounds every string and list that a CEL rule can reach`, () => {
      for (const [path, node] of walk(root)) {
        if (path.startsWith('.status')) continue;
        if (node.type === 'array') expect(node.maxItems, `${path} has no maxItems`).toBeTypeOf('number');
        if (typeof node.additionalProperties === 'object') {
          expect(node.maxProperties, `${path} has no maxProperties`).toBeTypeOf('number');
        }
      }
    });
  }
});
