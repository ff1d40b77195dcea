import { z } from 'zod';
import { celString, withCel } from './cel.ts';

// Bounded lengths keep the API server's CEL cost estimate finite and give users an early, specific error.
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const MAX_SHORT_TEXT = 256;
const MAX_URI_LENGTH = 2048;
const MAX_QUERY_LENGTH = 4096;
const MAX_SEMVER_LENGTH = 128;
const MAX_RANGE_LENGTH = 256;

/**
 * A string that must match `pattern`, written in the subset of regular-expression syntax that JavaScript and RE2
 * (CEL's `matches`) read the same way: no lookaround, no backreferences. zod checks it in Steward code; the API
 * server checks it via CEL, with `message` as the error. test/integration/api-agreement.test.ts proves both agree.
 */
export function patternString(pattern: RegExp, message: string, maxLength: number) {
  const base = z.string().min(1).max(maxLength);
  return withCel(
    base.refine((value) => pattern.test(value), { message }),
    { rule: `self.matches(${celString(pattern.source)})`, message },
  );
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The name of a Kubernetes object (DNS-1123 subdomain). */
export const objectName = () =>
  patternString(
    DNS_SUBDOMAIN,
    'must be a lowercase RFC 1123 subdomain (a-z, 0-9, "-" and ".", starting and ending alphanumeric)',
    MAX_NAME_LENGTH,
  );

/** A short identifier such as a feature, column or metric name: letters, digits, '-', '_' and '.'. */
export const identifier = () =>
  patternString(
    /^[A-Za-z0-9]([-_A-Za-z0-9.]*[A-Za-z0-9])?$/,
    'must be alphanumeric, may contain "-", "_" and ".", and must start and end alphanumeric',
    MAX_LABEL_LENGTH,
  );

export const shortText = () => z.string().min(1).max(MAX_SHORT_TEXT);
export const longText = (max = MAX_QUERY_LENGTH) => z.string().min(1).max(max);

/** A reference to another object of a known kind in the same namespace. */
export const localObjectReferenceSchema = z
  .object({ name: objectName().describe('Name of the referenced object, in the same namespace.') })
  .describe('A reference to an object in the same namespace.');

export const secretKeyReferenceSchema = z
  .object({
    name: objectName().describe('Name of the Secret, in the same namespace.'),
    key: identifier().describe('Key inside the Secret whose value is used.'),
  })
  .describe('A value read from a key of a Secret in the same namespace; secrets are never inlined.');

export const configMapKeyReferenceSchema = z
  .object({
    name: objectName().describe('Name of the ConfigMap, in the same namespace.'),
    key: identifier().describe('Key inside the ConfigMap.'),
  })
  .describe('A value read from a key of a ConfigMap in the same namespace.');

/** Go-style durations plus days and weeks, which review intervals and cooldowns need: `90s`, `1h30m`, `90d`. */
export const DURATION_PATTERN = /^([0-9]+(ms|s|m|h|d|w))+$/;
export const durationSchema = patternString(
  DURATION_PATTERN,
  'must be a duration such as 30s, 15m, 12h, 90d or 1h30m (units ms, s, m, h, d, w)',
  MAX_LABEL_LENGTH,
).describe('A duration such as 30s, 15m, 12h, 90d or 1h30m.');

const SEMVER_PRERELEASE = '(-[0-9A-Za-z-]+([.][0-9A-Za-z-]+)*)?';
const SEMVER_BUILD = '([+][0-9A-Za-z-]+([.][0-9A-Za-z-]+)*)?';
export const SEMVER_PATTERN = new RegExp(
  `^(0|[1-9][0-9]*)[.](0|[1-9][0-9]*)[.](0|[1-9][0-9]*)${SEMVER_PRERELEASE}${SEMVER_BUILD}$`,
);
export const semverSchema = patternString(
  SEMVER_PATTERN,
  'must be a semantic version such as 1.4.0 or 2.0.0-rc.1',
  MAX_SEMVER_LENGTH,
).describe('A semantic version (https://semver.org), e.g. 1.4.0.');

// npm-style ranges: comparators (^1.2, ~1.2.3, >=1.0.0 <2.0.0), hyphen ranges (1.0.0 - 1.4.0), x-ranges, `||`.
const PARTIAL = `[vV=]?(0|[1-9][0-9]*|[xX*])([.](0|[1-9][0-9]*|[xX*])){0,2}${SEMVER_PRERELEASE}${SEMVER_BUILD}`;
const COMPARATOR = `([~^]|[<>]=?|=)? *${PARTIAL}`;
const COMPARATOR_SET = `(${PARTIAL} +- +${PARTIAL}|${COMPARATOR}( +${COMPARATOR})*)`;
export const SEMVER_RANGE_PATTERN = new RegExp(`^ *${COMPARATOR_SET}( *[|][|] *${COMPARATOR_SET})* *$`);
export const semverRangeSchema = patternString(
  SEMVER_RANGE_PATTERN,
  'must be a semver range such as ^1.2.0, ~1.4, >=1.0.0 <2.0.0 or 1.x || 2.x',
  MAX_RANGE_LENGTH,
).describe('A semver range in npm syntax, e.g. ^1.2.0, >=1.0.0 <2.0.0 or 1.x || 2.x.');

const URI_PATTERN = /^(s3|gs|https?|file|pvc|az)[:][/][/][^ ]+$/;
export const uriSchema = patternString(
  URI_PATTERN,
  'must be a URI with scheme s3://, gs://, az://, https://, http://, pvc://<claim>/<path> or file://',
  MAX_URI_LENGTH,
).describe('Location of data or an artifact.');

export const dateSchema = z.iso.date().describe('A calendar date, YYYY-MM-DD.');
export const timestampSchema = z.iso
  .datetime()
  .describe('An RFC 3339 timestamp in UTC, e.g. 2026-01-31T12:00:00Z.');

export const DataFormat = { Csv: 'csv', Jsonl: 'jsonl', Parquet: 'parquet' } as const;

export const dataSourceSchema = withCel(
  z
    .object({
      uri: uriSchema.describe(
        'Where the data lives: s3://bucket/prefix, gs://, az://, https://, pvc://<claim>/<path> or file:// (inside the job image).',
      ),
      format: z
        .enum([DataFormat.Csv, DataFormat.Jsonl, DataFormat.Parquet])
        .describe('File format of the data: csv, jsonl or parquet.'),
      credentialsSecretRef: localObjectReferenceSchema
        .optional()
        .describe(
          'Secret whose keys are passed to the reading job as environment variables (e.g. AWS_ACCESS_KEY_ID). Omit for public data or workload identity.',
        ),
      timestampColumn: identifier()
        .optional()
        .describe('Column holding each row’s event time; required to apply a window.'),
      window: durationSchema
        .optional()
        .describe('Only rows newer than now minus this window are read, e.g. 24h. Requires timestampColumn.'),
    })
    .refine((source) => source.window === undefined || source.timestampColumn !== undefined, {
      message: 'timestampColumn is required with window',
      path: ['timestampColumn'],
    }),
  {
    rule: '!has(self.window) || has(self.timestampColumn)',
    message: 'timestampColumn is required with window',
    fieldPath: '.timestampColumn',
    reason: 'FieldValueRequired',
  },
).describe('A data set the check jobs read.');

export const promQlSchema = longText(MAX_QUERY_LENGTH).describe(
  'A PromQL instant query that returns exactly one sample; its value is compared with the bounds.',
);

const QUANTITY_PATTERN = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const quantitySchema = patternString(
  QUANTITY_PATTERN,
  'must be a Kubernetes quantity such as 500m, 2, 1Gi or 512Mi',
  MAX_LABEL_LENGTH,
).describe('A Kubernetes quantity such as 500m, 2 or 1Gi.');

/**
 * A string-keyed map with at most `maxProperties` entries; the bound keeps the API server's CEL cost estimate of
 * the values' rules finite (an unbounded map makes every rule inside it too expensive to admit).
 */
export function boundedRecord<V extends z.ZodType>(value: V, maxProperties: number) {
  return z
    .record(z.string().min(1).max(MAX_NAME_LENGTH), value)
    .refine((map) => Object.keys(map).length <= maxProperties, {
      message: `must have at most ${maxProperties} entries`,
    })
    .meta({ maxProperties });
}

const MAX_RESOURCE_NAMES = 16;

export const resourceRequirementsSchema = z
  .object({
    requests: boundedRecord(quantitySchema, MAX_RESOURCE_NAMES)
      .optional()
      .describe('Resources the scheduler reserves, by resource name (cpu, memory, nvidia.com/gpu).'),
    limits: boundedRecord(quantitySchema, MAX_RESOURCE_NAMES)
      .optional()
      .describe('Hard caps, by resource name (cpu, memory, nvidia.com/gpu).'),
  })
  .describe('Compute resources of a container, as in a Pod spec.');

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_ENV_VARS = 64;

const envVarSchema = withCel(
  z
    .object({
      name: patternString(
        ENV_NAME,
        'must be a C identifier: letters, digits and "_", not starting with a digit',
        MAX_SHORT_TEXT,
      ).describe('Environment variable name.'),
      value: z
        .string()
        .max(MAX_QUERY_LENGTH)
        .optional()
        .describe('Literal value; for non-secret settings only.'),
      secretKeyRef: secretKeyReferenceSchema
        .optional()
        .describe('Reads the value from a Secret key instead.'),
    })
    .refine((env) => (env.value === undefined) !== (env.secretKeyRef === undefined), {
      message: 'set exactly one of value or secretKeyRef',
    }),
  { rule: 'has(self.value) != has(self.secretKeyRef)', message: 'set exactly one of value or secretKeyRef' },
).describe('An environment variable of a container.');

export const envSchema = z
  .array(envVarSchema)
  .max(MAX_ENV_VARS)
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })
  .describe('Environment variables of the container; secrets are referenced, never inlined.');

const MAX_ARGS = 64;
export const argsSchema = z.array(z.string().max(MAX_QUERY_LENGTH).describe('One argument.')).max(MAX_ARGS);

export const IMAGE_PATTERN = /^[a-z0-9]+([._/:@-][A-Za-z0-9_.-]+)*$/;
export const imageSchema = patternString(
  IMAGE_PATTERN,
  'must be a container image reference such as ghcr.io/acme/fraud-scorer:1.4.0',
  MAX_URI_LENGTH,
).describe('Container image reference, ideally pinned by digest.');
