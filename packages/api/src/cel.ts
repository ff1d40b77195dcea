import type { z } from 'zod';

/**
 * One `x-kubernetes-validations` entry. The API server evaluates `rule` with `self` bound to the value of the
 * schema it is attached to; `fieldPath` makes the error name a child field instead of the object itself.
 */
export interface CelRule {
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
  readonly reason?:
    | 'FieldValueInvalid'
    | 'FieldValueRequired'
    | 'FieldValueForbidden'
    | 'FieldValueDuplicate';
}

const CEL_VALIDATIONS_KEY = 'x-kubernetes-validations';

/** Attaches CEL rules to a schema's metadata; the CRD generator copies them into the structural schema. */
export function withCel<T extends z.ZodType>(schema: T, ...rules: readonly CelRule[]): T {
  const existing = celRulesOf(schema);
  return schema.meta({ [CEL_VALIDATIONS_KEY]: [...existing, ...rules] });
}

function celRulesOf(schema: z.ZodType): readonly CelRule[] {
  const rules = schema.meta()?.[CEL_VALIDATIONS_KEY];
  return Array.isArray(rules) ? (rules as CelRule[]) : [];
}

const CEL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\f': '\\f',
};

/**
 * A CEL single-quoted string literal holding `text`. Line breaks must be escaped in a CEL literal; other control and
 * non-ASCII characters are escaped too, so the generated CRD YAML stays plain ASCII and shows what it holds.
 */
export function celString(text: string): string {
  const escaped = [...text].map((char) => {
    const code = char.codePointAt(0) ?? 0;
    if (CEL_ESCAPES[char] !== undefined) return CEL_ESCAPES[char];
    if (code < 0x20 || code > 0x7e) {
      return code > 0xffff
        ? `\\U${code.toString(16).padStart(8, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
    }
    return char;
  });
  return `'${escaped.join('')}'`;
}

/**
 * A rule checked twice, with the same meaning: by zod (`check`) when Steward code parses a resource, and by the
 * API server (`rule`) when a user applies one. Use it for cross-field rules on objects.
 */
export function crossFieldRule<T extends z.ZodType>(
  schema: T,
  rule: CelRule & { readonly check: (value: z.output<T>) => boolean },
): T {
  const { check, ...cel } = rule;
  const path = cel.fieldPath === undefined ? [] : cel.fieldPath.replace(/^\./, '').split('.');
  const refined = schema.refine((value) => check(value), { message: cel.message, path });
  return withCel(refined, cel);
}
