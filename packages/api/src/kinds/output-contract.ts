import { outputContractSpecSchema } from '@steward/contracts';
import { z } from 'zod';
import { identifier, longText, shortText, timestampSchema } from '../common.ts';
import { conditionsSchema, observedGenerationSchema } from '../conditions.ts';

// Enough versions to audit a contract's evolution; older ones are dropped first.
export const MAX_PUBLISHED_VERSIONS = 50;
const MAX_CHANGES = 100;

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

export const outputContractStatusSchema = z
  .object({
    observedGeneration: observedGenerationSchema.optional(),
    conditions: conditionsSchema.optional(),
    latestVersion: shortText().optional().describe('The newest published version.'),
    consumers: z.int().min(0).optional().describe('Number of declared consumers.'),
    incompatibleConsumers: z
      .array(identifier().describe('A consumer name.'))
      .max(MAX_CHANGES)
      .optional()
      .describe('Consumers whose accepted range excludes the current version.'),
    publishedVersions: z
      .array(publishedVersionSchema)
      .max(MAX_PUBLISHED_VERSIONS)
      .optional()
      .describe('Every published version with its change classification, oldest first.'),
  })
  .describe('Observed state of the OutputContract.');
export type OutputContractStatus = z.infer<typeof outputContractStatusSchema>;
