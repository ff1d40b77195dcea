import { z } from 'zod';

/** A node of an OpenAPI v3 schema as the API server reads it (apiextensions.k8s.io/v1 JSONSchemaProps). */
export interface SchemaNode {
  [keyword: string]: unknown;
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  required?: string[];
}

/** A schema that cannot become a structural CRD schema; `path` names the offending field. */
export class StructuralSchemaError extends Error {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path || '<root>'}: ${problem}`);
    this.name = 'StructuralSchemaError';
    this.path = path;
  }
}

// JSON Schema keywords that zod emits but a CRD schema must not carry (or that say nothing to the API server).
const DROPPED_KEYWORDS = ['$schema', '$id', 'id', 'examples', 'title'];
const UNSUPPORTED_KEYWORDS = [
  '$ref',
  '$defs',
  'definitions',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'prefixItems',
];

/**
 * zod -> structural openAPIV3Schema. zod's `openapi-3.0` output is close but not structural: objects carry
 * `additionalProperties: false` (the API server prunes instead), `$ref`s must be inlined, `const` must be an enum,
 * `z.unknown()` is `{}` (needs x-kubernetes-preserve-unknown-fields), and format-backed strings carry a JavaScript
 * `pattern` next to a format the server validates itself. Every property must have a description, because
 * `kubectl explain` is the user's documentation.
 */
export function toStructuralSchema(schema: z.ZodType): SchemaNode {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    reused: 'inline',
    cycles: 'throw',
    unrepresentable: 'throw',
  }) as SchemaNode;
  return normalize(json, '');
}

function normalize(input: SchemaNode, path: string): SchemaNode {
  const node: SchemaNode = { ...input };
  for (const keyword of DROPPED_KEYWORDS) delete node[keyword];
  for (const keyword of UNSUPPORTED_KEYWORDS) {
    if (keyword in node) {
      throw new StructuralSchemaError(
        path,
        `'${keyword}' is not allowed in a structural schema; remove unions, intersections and recursion`,
      );
    }
  }
  if (node.additionalProperties === false) delete node.additionalProperties;
  if ('const' in node) {
    node.enum = [node.const];
    delete node.const;
  }
  if (typeof node.format === 'string') delete node.pattern;
  if (node.type === 'integer' || node.type === 'number') {
    // zod's int() adds the JavaScript safe-integer range; the API server's int64 is wider and needs no bound.
    if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
    if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
  }
  if (node.type === undefined && node['x-kubernetes-int-or-string'] !== true) {
    if (Object.keys(node).some((key) => key !== 'description' && key !== 'default')) {
      throw new StructuralSchemaError(path, 'a schema without a type must be unconstrained (z.unknown())');
    }
    node['x-kubernetes-preserve-unknown-fields'] = true;
  }
  if (node.properties !== undefined) {
    const properties: Record<string, SchemaNode> = {};
    for (const [name, child] of Object.entries(node.properties)) {
      const childPath = path === '' ? name : `${path}.${name}`;
      if (typeof child.description !== 'string' || child.description.trim() === '') {
        throw new StructuralSchemaError(
          childPath,
          'every field needs a description (kubectl explain prints it)',
        );
      }
      properties[name] = normalize(child, childPath);
    }
    node.properties = properties;
    if (node.required?.length === 0) delete node.required;
  }
  if (node.items !== undefined) {
    if (Array.isArray(node.items))
      throw new StructuralSchemaError(path, 'tuples are not allowed; use an object');
    node.items = normalize(node.items, `${path}[]`);
    checkListMapKeys(node, path);
  }
  if (typeof node.additionalProperties === 'object') {
    node.additionalProperties = normalize(node.additionalProperties, `${path}.*`);
  }
  return node;
}

/** The API server refuses a list-map whose keys are neither required nor defaulted. */
function checkListMapKeys(node: SchemaNode, path: string): void {
  const keys = node['x-kubernetes-list-map-keys'];
  if (!Array.isArray(keys)) return;
  const items = node.items;
  for (const key of keys as string[]) {
    const defaulted = items?.properties?.[key]?.default !== undefined;
    if (!items?.required?.includes(key) && !defaulted) {
      throw new StructuralSchemaError(
        `${path}[].${key}`,
        'a list-map key must be required or have a default',
      );
    }
  }
}

/** Extra keywords for a node the zod schema does not own (e.g. a schema another package exports). */
export type SchemaAddition = Partial<SchemaNode>;

/**
 * Merges additions into a schema by field path (`a.b` steps into properties, `a[]` into items). CEL rules are
 * appended, other keywords replace. A path that does not exist is an error, so a renamed field cannot silently
 * drop a rule.
 */
export function applyAdditions(
  root: SchemaNode,
  additions: Readonly<Record<string, SchemaAddition>>,
): SchemaNode {
  const copy = structuredClone(root);
  for (const [path, addition] of Object.entries(additions)) {
    const node = findNode(copy, path);
    for (const [keyword, value] of Object.entries(addition)) {
      const existing = node[keyword];
      node[keyword] = Array.isArray(existing) && Array.isArray(value) ? [...existing, ...value] : value;
    }
  }
  return copy;
}

function findNode(root: SchemaNode, path: string): SchemaNode {
  let node: SchemaNode | undefined = root;
  for (const segment of path.split('.')) {
    const isItems = segment.endsWith('[]');
    const name = isItems ? segment.slice(0, -2) : segment;
    node = node?.properties?.[name];
    if (node !== undefined && isItems) node = node.items;
    if (node === undefined) throw new StructuralSchemaError(path, 'no such field to add schema keywords to');
  }
  return node;
}
