import { outputContractSpecSchema } from '@steward/contracts';
import { z } from 'zod';
import { longText, shortText, timestampSchema } from '../common.ts';
import { conditionsSchema, observedGenerationSchema } from '../conditions.ts';

// Enough versions to audit a contract's evolution; older ones are dropped first.
export const MAX_PUBLISHED_VERSIONS = 50;
const MAX_CHANGES = 100;
// The spec allows at most 200 consumers (@steward/contracts).
const MAX_CONSUMERS = 200;
// The history archive's bound (base64 characters). Contract versions repeat each other, so gzip packs even the
// full 768 KiB history map into far less; the bound keeps the status well below etcd's 1.5 MiB object limit.
export const MAX_HISTORY_ARCHIVE_CHARS = 256 * 1024;
export const HistoryArchiveEncoding = { GzipBase64: 'gzip+base64' } as const;

export type { OutputContractSpec } from '@steward/contracts';
/** The OutputContract spec is owned by @steward/contracts, so the CRD and the diff engine read the same shape. */
export { outputContractSpecSchema };

export const ChangeClass = {
  Initial: 'initial',
  Breaking: 'breaking',
  Additive: 'additive',
  Cosmetic: 'cosmetic',
  None: 'none',
} as const;
const changeClassSchema = z
  .enum([
    ChangeClass.Initial,
    ChangeClass.Breaking,
    ChangeClass.Additive,
    ChangeClass.Cosmetic,
    ChangeClass.None,
  ])
  .describe('Strongest change against the previous version: initial, breaking, additive, cosmetic or none.');

const publishedVersionSchema = z
  .object({
    version: shortText().describe('The published contract version.'),
    publishedAt: timestampSchema.describe('When the controller first saw this version.'),
    changeClass: changeClassSchema,
    changes: z
      .array(longText(1024).describe('One change, e.g. "breaking: field fraud.score removed".'))
      .max(MAX_CHANGES)
      .optional()
      .describe('Field-level changes against the previous version.'),
  })
  .describe('One version of the contract as it was published.');

const findingSchema = z
  .object({
    path: shortText().describe('Field path in the previous version (in the new one for additions).'),
    change: shortText().describe('Kind of change, e.g. field-removed, type-changed, enum-value-added.'),
    severity: z
      .enum([ChangeClass.Breaking, ChangeClass.Additive, ChangeClass.Cosmetic])
      .describe('breaking, additive or cosmetic under the compatibility mode.'),
    reason: longText(1024).describe('Why the change has this severity.'),
  })
  .describe('One field-level change between two versions.');

const lastDiffSchema = z
  .object({
    previousVersion: shortText().describe('The version diffed against.'),
    version: shortText().describe('The version that was diffed.'),
    observedGeneration: observedGenerationSchema.describe('The .metadata.generation that published version.'),
    changeClass: changeClassSchema,
    versionBumpSufficient: z.boolean().describe('Whether the version bump announces the changes.'),
    message: longText(1024).describe(
      'The version-bump verdict, e.g. "breaking changes need a major version bump".',
    ),
    findings: z
      .array(findingSchema)
      .max(MAX_CHANGES)
      .optional()
      .describe('Field-level changes, breaking first; at most 100.'),
  })
  .describe('The diff of the current version against the version published before it.');

const consumerStatusSchema = z
  .object({
    name: shortText().describe('The consumer name.'),
    accepts: shortText().describe('The semver range the consumer accepts.'),
    inRange: z.boolean().describe('Whether the range includes the current contract version.'),
    message: longText(1024).describe('Why, naming the range and, when excluded, the contact.'),
  })
  .describe('Whether one consumer accepts the current contract version.');

const historyArchiveSchema = z
  .object({
    encoding: z
      .enum([HistoryArchiveEncoding.GzipBase64])
      .describe('How data is encoded: a JSON array of history entries, gzip-compressed, then base64.'),
    versions: z.int().min(0).max(MAX_PUBLISHED_VERSIONS).describe('How many versions data holds.'),
    oldestVersion: shortText().optional().describe('The oldest version data holds.'),
    data: z
      .string()
      .max(MAX_HISTORY_ARCHIVE_CHARS)
      .describe('The entries of the history ConfigMap, oldest first, in the encoding above.'),
  })
  .describe(
    'The durable copy of the history ConfigMap (every version with its full schema and diff), from which the controller writes a deleted or damaged map back. Oldest versions that do not fit the bound are kept only in the map.',
  );

export const outputContractStatusSchema = z
  .object({
    observedGeneration: observedGenerationSchema.optional(),
    conditions: conditionsSchema.optional(),
    latestVersion: shortText().optional().describe('The newest published version.'),
    consumers: z.int().min(0).optional().describe('Number of declared consumers.'),
    incompatibleConsumers: z
      .array(shortText().describe('A consumer name.'))
      .max(MAX_CHANGES)
      .optional()
      .describe('Consumers whose accepted range excludes the current version.'),
    publishedVersions: z
      .array(publishedVersionSchema)
      .max(MAX_PUBLISHED_VERSIONS)
      .optional()
      .describe('Every published version with its change classification, oldest first.'),
    consumerStatuses: z
      .array(consumerStatusSchema)
      .max(MAX_CONSUMERS)
      .optional()
      .describe('Per consumer: whether its accepted range includes the current version.'),
    lastDiff: lastDiffSchema.optional(),
    historyArchive: historyArchiveSchema.optional(),
  })
  .describe('Observed state of the OutputContract.');
export type OutputContractStatus = z.infer<typeof outputContractStatusSchema>;
