/**
 * Steward manifests read from files, as a GitOps repository holds them: YAML (several documents per
 * file) or JSON, checked against the kinds' zod schemas. Documents of other kinds are skipped.
 */
import { readFile } from 'node:fs/promises';
import {
  type ModelDeployment,
  modelDeploymentSchema,
  type OutputContract,
  outputContractSchema,
  type RetrainPipeline,
  retrainPipelineSchema,
} from '@steward/api';
import { loadAll } from 'js-yaml';
import { InputError } from '../command.ts';
import { describeFsError } from './contract-io.ts';

export interface Manifests {
  models: Array<{ source: string; model: ModelDeployment }>;
  contracts: OutputContract[];
  pipelines: RetrainPipeline[];
  /** Documents of other kinds, by `source: Kind/name`. */
  skipped: string[];
}

const SCHEMAS = {
  ModelDeployment: modelDeploymentSchema,
  OutputContract: outputContractSchema,
  RetrainPipeline: retrainPipelineSchema,
} as const;

export async function readManifests(paths: readonly string[]): Promise<Manifests> {
  const manifests: Manifests = { models: [], contracts: [], pipelines: [], skipped: [] };
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new InputError(describeFsError(path, error));
    }
    let documents: unknown[];
    try {
      documents = loadAll(text, { filename: path }).filter((d) => d !== null && d !== undefined);
    } catch (error) {
      throw new InputError(`${path}: malformed YAML/JSON: ${(error as Error).message}`);
    }
    documents.forEach((document, index) => {
      const source = documents.length > 1 ? `${path}#${index + 1}` : path;
      const kind = (document as { kind?: unknown }).kind;
      if (kind === 'ModelDeployment')
        manifests.models.push({ source, model: parse(SCHEMAS.ModelDeployment, document, source) });
      else if (kind === 'OutputContract')
        manifests.contracts.push(parse(SCHEMAS.OutputContract, document, source));
      else if (kind === 'RetrainPipeline')
        manifests.pipelines.push(parse(SCHEMAS.RetrainPipeline, document, source));
      else
        manifests.skipped.push(
          `${source}: ${String(kind)}/${String((document as { metadata?: { name?: unknown } }).metadata?.name)}`,
        );
    });
  }
  return manifests;
}

/** What `parse` needs of a zod schema (the CLI does not depend on zod itself). */
interface Schema<T> {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

function parse<T>(schema: Schema<T>, document: unknown, source: string): T {
  const parsed = schema.safeParse(document);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.map(String).join('.') || '(document)'}: ${issue.message}`,
  );
  throw new InputError(`${source}: invalid ${(document as { kind?: string }).kind}: ${issues.join('; ')}`);
}

/** The object of `items` named `name` in the namespace of `model` (a manifest without one matches any). */
export function sameNamespace<T extends { metadata: { name: string; namespace?: string | undefined } }>(
  items: readonly T[],
  model: ModelDeployment,
  name: string | undefined,
): T | undefined {
  if (name === undefined) return undefined;
  const namespace = model.metadata.namespace;
  return items.find(
    (item) =>
      item.metadata.name === name &&
      (namespace === undefined ||
        item.metadata.namespace === undefined ||
        item.metadata.namespace === namespace),
  );
}

/** `--now`: a date or timestamp the gates judge time against (reproducible CI); default the clock. */
export function nowOf(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time))
    throw new InputError(`--now must be a date (YYYY-MM-DD) or an RFC 3339 time, got '${value}'`);
  return new Date(time);
}
