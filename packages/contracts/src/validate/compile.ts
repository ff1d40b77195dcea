import { containerOf, type FieldNode, flattenFields, ITEMS_SUFFIX } from '../field-tree.ts';
import type { ContractSchema } from '../schema.ts';

/** Why a value broke the contract; stable strings for summaries and JSON output. */
export const ViolationKind = {
  missing: 'missing',
  null: 'null',
  type: 'type',
  enum: 'enum',
  range: 'range',
  undeclared: 'undeclared',
} as const;
export type ViolationKind = (typeof ViolationKind)[keyof typeof ViolationKind];

export interface Violation {
  /** Where in this prediction, with array indexes: `reasons[2].code`. */
  path: string;
  /** The contract field it breaks: `reasons[].code` (the undeclared path for `undeclared`). */
  field: string;
  kind: ViolationKind;
  message: string;
}

export interface ValidatorOptions {
  /** Report fields the contract does not declare (consumers ignore them, so off by default). */
  rejectUndeclared?: boolean;
}

/**
 * Checks one value. Its concrete path is `parent` + `key`, joined only when it is needed (a violation,
 * or a container passing it down): on valid rows no path string is built, which is most of the cost.
 */
type Check = (value: unknown, parent: string, key: string | number, out: Violation[]) => void;
type Json = Record<string, unknown>;

function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

const MAX_SHOWN_VALUE_LENGTH = 60;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_VALUE_LENGTH ? `${text.slice(0, MAX_SHOWN_VALUE_LENGTH)}...` : text;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

const TYPE_TESTS: Record<FieldNode['type'], (value: unknown) => boolean> = {
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

export function isObject(value: unknown): value is Json {
  return TYPE_TESTS.object(value);
}

/** Compiles the contract once into closures, so each row costs a walk of its own values only. */
class Compiler {
  readonly #nodes: Map<string, FieldNode>;
  readonly #childrenOf = new Map<string, FieldNode[]>();
  readonly #rejectUndeclared: boolean;

  constructor(schema: ContractSchema, options: ValidatorOptions) {
    this.#nodes = flattenFields(schema.fields);
    this.#rejectUndeclared = options.rejectUndeclared === true;
    for (const node of this.#nodes.values()) {
      if (node.path.endsWith(ITEMS_SUFFIX)) continue;
      const container = containerOf(node.path) ?? '';
      const siblings = this.#childrenOf.get(container) ?? [];
      siblings.push(node);
      this.#childrenOf.set(container, siblings);
    }
  }

  /** Checks the members of an object whose declared path is `container` ('' for the prediction). */
  objectMembers(container: string): (object: Json, path: string, out: Violation[]) => void {
    const members = (this.#childrenOf.get(container) ?? []).map((node) => {
      const key = node.path.slice(container === '' ? 0 : container.length + 1);
      // JSON has no undefined, so `object[key] === undefined` means absent, one lookup instead of
      // two, except for keys every object inherits (`constructor`, `toString`, ...).
      return { key, node, check: this.value(node), inherited: key in Object.prototype };
    });
    const declared = new Set(members.map((m) => m.key));
    const rejectUndeclared = this.#rejectUndeclared;
    const prefix = container === '' ? '' : `${container}.`;
    return (object, path, out) => {
      for (const { key, node, check, inherited } of members) {
        const value = inherited && !Object.hasOwn(object, key) ? undefined : object[key];
        if (value !== undefined) check(value, path, key, out);
        else if (node.required) {
          out.push({
            path: join(path, key),
            field: node.path,
            kind: 'missing',
            message: 'required field is missing',
          });
        }
      }
      if (!rejectUndeclared) return;
      for (const key of Object.keys(object)) {
        if (declared.has(key)) continue;
        out.push({
          path: join(path, key),
          field: prefix + key,
          kind: 'undeclared',
          message: 'field is not declared in the contract',
        });
      }
    };
  }

  value(node: FieldNode): Check {
    const { path: field, type, nullable, minimum, maximum } = node;
    const isType = TYPE_TESTS[type];
    const labels = node.enum === undefined ? undefined : new Set(node.enum);
    const nested = this.#nested(node);
    const violation = (parent: string, key: string | number, kind: ViolationKind, message: string) => ({
      path: join(parent, key),
      field,
      kind,
      message,
    });
    return (value, parent, key, out) => {
      if (value === null) {
        if (!nullable) out.push(violation(parent, key, 'null', 'is null but the field is not nullable'));
        return;
      }
      if (!isType(value)) {
        out.push(violation(parent, key, 'type', `expected ${type}, got ${typeOf(value)} ${show(value)}`));
        return;
      }
      if (labels !== undefined && !labels.has(value as string)) {
        out.push(violation(parent, key, 'enum', `${show(value)} is not in the label set`));
      } else if (minimum !== undefined && (value as number) < minimum) {
        out.push(violation(parent, key, 'range', `${show(value)} is below the minimum ${minimum}`));
      } else if (maximum !== undefined && (value as number) > maximum) {
        out.push(violation(parent, key, 'range', `${show(value)} is above the maximum ${maximum}`));
      }
      nested?.(value, join(parent, key), out);
    };
  }

  /** The check of an object's members or an array's elements, given the container's own path. */
  #nested(node: FieldNode): ((value: unknown, path: string, out: Violation[]) => void) | undefined {
    if (node.type === 'object') {
      const members = this.objectMembers(node.path);
      return (value, path, out) => members(value as Json, path, out);
    }
    if (node.type !== 'array') return undefined;
    const items = this.#nodes.get(`${node.path}${ITEMS_SUFFIX}`);
    if (items === undefined) return undefined;
    const element = this.value(items);
    return (value, path, out) => {
      const array = value as unknown[];
      for (let i = 0; i < array.length; i++) element(array[i], path, i, out);
    };
  }
}

/** A function listing every way one parsed prediction breaks the contract (empty when it conforms). */
export function compileValidator(
  schema: ContractSchema,
  options: ValidatorOptions = {},
): (prediction: Json) => Violation[] {
  const root = new Compiler(schema, options).objectMembers('');
  return (prediction) => {
    const out: Violation[] = [];
    root(prediction, '', out);
    return out;
  };
}
