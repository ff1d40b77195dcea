import { z } from 'zod';
import { checkFieldTree } from './field-tree.ts';
import { isValidRange } from './semver.ts';

// These schemas become Kubernetes CRD structural schemas (OutputContract.spec and
// ModelDeployment.spec.output), so they stay CRD-friendly: plain objects with explicit properties,
// string enums, no unions, no recursion. Nested objects are a flat list of dotted paths; the
// cross-field rules (parents exist, enum only on strings, ...) are refinements, which the CRD cannot
// express, so the controller reports them instead of the API server.

/** Semantic Versioning 2.0.0, the regular expression published at semver.org (RE2-compatible). */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * A field path: keys joined by `.`; a key followed by `[]` steps into the elements of an array of
 * objects (`predictions[].label`). A path never ends in `[]`: an array's elements are its `items`.
 */
export const FIELD_PATH_PATTERN = /^(?:[^.[\]\s]+(?:\[\])?\.)*[^.[\]\s]+$/;

// Bounds keep a contract reviewable and give the API server's CEL cost estimator finite sizes.
const MAX_FIELDS = 1000;
const MAX_ENUM_VALUES = 1000;
const MAX_PATH_LENGTH = 253;
const MAX_LABEL_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 2048;
const MAX_CONSUMERS = 200;

export const FIELD_TYPES = ['number', 'integer', 'string', 'boolean', 'array', 'object'] as const;
export const fieldTypeSchema = z
  .enum(FIELD_TYPES, {
    error: (issue) =>
      `unknown field type ${JSON.stringify(issue.input)}; expected one of ${FIELD_TYPES.join(', ')}`,
  })
  .describe('JSON type of the value: number, integer, string, boolean, array or object.');
export type FieldType = z.infer<typeof fieldTypeSchema>;

const constraintShape = {
  nullable: z.boolean().default(false).describe('Whether the value may be JSON null. Default false.'),
  enum: z
    .array(z.string().min(1).max(MAX_LABEL_LENGTH))
    .min(1)
    .max(MAX_ENUM_VALUES)
    .optional()
    .describe('The closed label set of a string value (e.g. the classes a classifier emits).'),
  minimum: z.number().optional().describe('Inclusive lower bound of a number or integer value.'),
  maximum: z.number().optional().describe('Inclusive upper bound of a number or integer value.'),
  unit: z
    .string()
    .min(1)
    .max(MAX_LABEL_LENGTH)
    .optional()
    .describe('What a number means (e.g. probability, logit, USD); changing it is a breaking change.'),
  description: z
    .string()
    .max(MAX_DESCRIPTION_LENGTH)
    .optional()
    .describe('Human documentation of the value; changing it is cosmetic.'),
};

export const itemsSchema = z
  .object({
    type: fieldTypeSchema.describe(
      'JSON type of every element. object: declare its fields as `<path>[].<key>`. array is not supported.',
    ),
    ...constraintShape,
  })
  .describe('The elements of an array field.');
export type Items = z.infer<typeof itemsSchema>;

export const fieldSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .max(MAX_PATH_LENGTH)
      .regex(FIELD_PATH_PATTERN)
      .describe('Dotted path of the field in one prediction, e.g. `fraud.score` or `labels[].name`.'),
    type: fieldTypeSchema,
    required: z.boolean().default(true).describe('Whether every prediction carries the field. Default true.'),
    ...constraintShape,
    items: itemsSchema.optional().describe('The elements of an array field (required when type is array).'),
  })
  .describe('One field of the model output.');
export type Field = z.infer<typeof fieldSchema>;

export const contractSchemaSchema = z
  .object({
    fields: z
      .array(fieldSchema)
      .max(MAX_FIELDS)
      .describe(
        'Every field of one prediction; a nested object is an object field plus its children as dotted paths.',
      ),
  })
  .superRefine((schema, ctx) => {
    for (const problem of checkFieldTree(schema.fields)) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: ['fields', problem.index] });
    }
  })
  .describe('The shape of one prediction emitted by the model.');
export type ContractSchema = z.infer<typeof contractSchemaSchema>;

export const COMPATIBILITY_MODES = ['backward', 'forward', 'full', 'none'] as const;
export const compatibilityModeSchema = z
  .enum(COMPATIBILITY_MODES)
  .describe(
    'Which parties a new version must not break. backward: consumers written against the previous ' +
      'version; forward: consumers written against this version reading the previous version; full: both; ' +
      'none: no check.',
  );
export type CompatibilityMode = z.infer<typeof compatibilityModeSchema>;

export const versionSchema = z
  .string({ error: 'must be a semantic version string such as "1.4.0" (quote it in YAML)' })
  .max(MAX_LABEL_LENGTH)
  .regex(SEMVER_PATTERN, 'must be a semantic version such as 1.4.0')
  .describe('Semantic version of the contract (MAJOR.MINOR.PATCH).');

export const consumerSchema = z
  .object({
    name: z.string().min(1).max(MAX_LABEL_LENGTH).describe('Name of the downstream system.'),
    contact: z
      .string()
      .min(1)
      .max(MAX_LABEL_LENGTH)
      .describe('Who to tell before a breaking change (e-mail, team or channel).'),
    accepts: z
      .string()
      .min(1)
      .max(MAX_LABEL_LENGTH)
      .refine(isValidRange, 'must be a semver range such as ^1.2.0 or >=1.0.0 <3.0.0')
      .describe('The contract versions this consumer accepts, as a semver range (e.g. ^1.2.0).'),
  })
  .describe('A downstream system that reads the model output.');
export type Consumer = z.infer<typeof consumerSchema>;

export const outputContractSpecSchema = z
  .object({
    version: versionSchema,
    schema: contractSchemaSchema,
    consumers: z
      .array(consumerSchema)
      .max(MAX_CONSUMERS)
      .default([])
      .describe('The downstream systems of this output and the versions each accepts.'),
    compatibility: compatibilityModeSchema.default('backward'),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.consumers.forEach((consumer, index) => {
      if (seen.has(consumer.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate consumer name '${consumer.name}'`,
          path: ['consumers', index, 'name'],
        });
      }
      seen.add(consumer.name);
    });
  })
  .describe('A versioned interface of a model output and the consumers that depend on it.');
export type OutputContractSpec = z.infer<typeof outputContractSpecSchema>;
/** What a user writes: defaults not yet applied. */
export type OutputContractSpecInput = z.input<typeof outputContractSpecSchema>;
