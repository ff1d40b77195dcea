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

/** A CEL single-quoted string literal holding `text`. */
export function celString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
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
