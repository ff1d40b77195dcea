import type { Field, FieldType, Items } from './schema.ts';

/**
 * One value position in a prediction. An array's elements are the node `<path>[]`, so the diff and the
 * validator treat items exactly like fields (same rules, one code path).
 */
export interface FieldNode {
  path: string;
  type: FieldType;
  /** Always true for array elements: an element exists whenever the array does. */
  required: boolean;
  nullable: boolean;
  enum?: readonly string[] | undefined;
  minimum?: number | undefined;
  maximum?: number | undefined;
  unit?: string | undefined;
  description?: string | undefined;
}

export interface FieldTreeProblem {
  /** Index of the offending entry in `fields`. */
  index: number;
  message: string;
}

export const ITEMS_SUFFIX = '[]';

/** The path of the node that contains `path`, or undefined for a top-level field. */
export function parentPath(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? undefined : path.slice(0, dot);
}

/** The node whose value holds `path`'s: the array for an element node, else the parent object. */
export function containerOf(path: string): string | undefined {
  return path.endsWith(ITEMS_SUFFIX) ? path.slice(0, -ITEMS_SUFFIX.length) : parentPath(path);
}

/** Whether `path` lies strictly inside `ancestor` (a nested field or an element of it). */
export function isInside(path: string, ancestor: string): boolean {
  return path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}${ITEMS_SUFFIX}`);
}

function nodeOf(path: string, spec: Field | Items, required: boolean): FieldNode {
  return {
    path,
    type: spec.type,
    required,
    nullable: spec.nullable,
    enum: spec.enum,
    minimum: spec.minimum,
    maximum: spec.maximum,
    unit: spec.unit,
    description: spec.description,
  };
}

/** Every node of a (valid) field list by path, array elements included, in declaration order. */
export function flattenFields(fields: readonly Field[]): Map<string, FieldNode> {
  const nodes = new Map<string, FieldNode>();
  for (const field of fields) {
    nodes.set(field.path, nodeOf(field.path, field, field.required));
    if (field.items !== undefined) {
      const itemsPath = `${field.path}${ITEMS_SUFFIX}`;
      nodes.set(itemsPath, nodeOf(itemsPath, field.items, true));
    }
  }
  return nodes;
}

function constraintProblems(where: string, spec: Field | Items): string[] {
  const problems: string[] = [];
  if (spec.enum !== undefined) {
    if (spec.type !== 'string') problems.push(`${where}: enum is only allowed on string values`);
    if (new Set(spec.enum).size !== spec.enum.length) problems.push(`${where}: enum lists a value twice`);
  }
  const numeric = spec.type === 'number' || spec.type === 'integer';
  if (!numeric && (spec.minimum !== undefined || spec.maximum !== undefined)) {
    problems.push(`${where}: minimum/maximum are only allowed on number and integer values`);
  }
  if (spec.minimum !== undefined && spec.maximum !== undefined && spec.minimum > spec.maximum) {
    problems.push(`${where}: minimum ${spec.minimum} is greater than maximum ${spec.maximum}`);
  }
  return problems;
}

function parentProblem(path: string, byPath: ReadonlyMap<string, Field>): string | undefined {
  const parent = parentPath(path);
  if (parent === undefined) return undefined;
  if (parent.endsWith(ITEMS_SUFFIX)) {
    const arrayPath = parent.slice(0, -ITEMS_SUFFIX.length);
    const array = byPath.get(arrayPath);
    if (array?.type !== 'array' || array.items?.type !== 'object') {
      return `field '${path}': '${arrayPath}' must be declared as an array with items of type object`;
    }
    return undefined;
  }
  if (byPath.get(parent)?.type !== 'object') {
    return `field '${path}': parent '${parent}' must be declared as a field of type object`;
  }
  return undefined;
}

/** The structural rules a CRD schema cannot express; an empty list means the tree is valid. */
export function checkFieldTree(fields: readonly Field[]): FieldTreeProblem[] {
  const problems: FieldTreeProblem[] = [];
  const byPath = new Map<string, Field>();
  fields.forEach((field, index) => {
    if (byPath.has(field.path)) problems.push({ index, message: `field '${field.path}' is declared twice` });
    byPath.set(field.path, field);
  });
  fields.forEach((field, index) => {
    const add = (message: string) => problems.push({ index, message });
    const where = `field '${field.path}'`;
    const parent = parentProblem(field.path, byPath);
    if (parent !== undefined) add(parent);
    for (const message of constraintProblems(where, field)) add(message);
    if (field.type === 'array') {
      if (field.items === undefined) add(`${where}: an array field must declare its items`);
      else {
        if (field.items.type === 'array') {
          add(`${where}: arrays of arrays are not supported; wrap the inner array in an object`);
        }
        for (const message of constraintProblems(`${where} items`, field.items)) add(message);
      }
    } else if (field.items !== undefined) {
      add(`${where}: items is only allowed on array fields`);
    }
  });
  return problems;
}
