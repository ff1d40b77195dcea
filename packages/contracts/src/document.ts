import { loadAll } from 'js-yaml';
import type { z } from 'zod';
import {
  type CompatibilityMode,
  type Consumer,
  type ContractSchema,
  contractSchemaSchema,
  outputContractSpecSchema,
} from './schema.ts';

// The CLI reads the same files users apply, so a CI job can diff the contract in a pull request
// against the one on the main branch without a cluster. Recognising a manifest's shape is plain data
// handling; nothing here talks to Kubernetes.

export const OUTPUT_CONTRACT_API_VERSION = 'mlops.steward.dev/v1alpha1';
export const OUTPUT_CONTRACT_KIND = 'OutputContract';

/** A contract read from a file, whichever form it had. */
export interface ContractDocument {
  source: string;
  /** manifest: a full OutputContract; spec: its bare spec; schema: a bare `{fields: [...]}`. */
  form: 'manifest' | 'spec' | 'schema';
  name?: string;
  /** Absent for a bare schema, which has no version. */
  version?: string;
  compatibility?: CompatibilityMode;
  consumers: Consumer[];
  schema: ContractSchema;
}

/** Bad input, with the file name in the message: the CLI prints it as is (exit code 2). */
export class ContractInputError extends Error {
  override name = 'ContractInputError';
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** Keys the user wrote that the schema does not know: zod drops them, a typo must not vanish. */
function unknownKeys(input: unknown, parsed: unknown, path: PropertyKey[]): string[] {
  if (Array.isArray(input) && Array.isArray(parsed)) {
    return input.flatMap((item, i) => unknownKeys(item, parsed[i], [...path, i]));
  }
  if (!isRecord(input) || !isRecord(parsed)) return [];
  return Object.keys(input).flatMap((key) =>
    key in parsed ? unknownKeys(input[key], parsed[key], [...path, key]) : [formatPath([...path, key])],
  );
}

function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  prefix: string[],
  source: string,
): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const where = formatPath([...prefix, ...issue.path]);
      return `  ${where === '' ? '(top level)' : where}: ${issue.message}`;
    });
    throw new ContractInputError(`${source}: invalid contract:\n${problems.join('\n')}`);
  }
  const unknown = unknownKeys(input, result.data, prefix);
  if (unknown.length > 0) {
    throw new ContractInputError(`${source}: unknown keys (typo?): ${unknown.join(', ')}`);
  }
  return result.data;
}

function fromManifest(manifest: Json, source: string): ContractDocument {
  if (manifest.apiVersion !== OUTPUT_CONTRACT_API_VERSION) {
    throw new ContractInputError(
      `${source}: apiVersion ${JSON.stringify(manifest.apiVersion)} is not supported; expected ${OUTPUT_CONTRACT_API_VERSION}`,
    );
  }
  const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
  const spec = parseWith(outputContractSpecSchema, manifest.spec, ['spec'], source);
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  return { source, form: 'manifest', ...(name === undefined ? {} : { name }), ...spec };
}

function fromDocument(document: Json, source: string): ContractDocument {
  if ('kind' in document) return fromManifest(document, source);
  if ('fields' in document) {
    return {
      source,
      form: 'schema',
      consumers: [],
      schema: parseWith(contractSchemaSchema, document, [], source),
    };
  }
  if ('schema' in document) {
    return { source, form: 'spec', ...parseWith(outputContractSpecSchema, document, [], source) };
  }
  throw new ContractInputError(
    `${source}: not a contract: expected an ${OUTPUT_CONTRACT_KIND} manifest, its spec (version, schema, ...) or a bare schema (fields: [...])`,
  );
}

/**
 * Reads a contract from YAML or JSON text: an OutputContract manifest (also one among several
 * documents, as in a kustomize bundle), a bare spec or a bare schema.
 */
export function parseContractDocument(text: string, source: string): ContractDocument {
  let documents: unknown[];
  try {
    documents = loadAll(text, { filename: source }).filter((d) => d !== null && d !== undefined);
  } catch (error) {
    throw new ContractInputError(`${source}: malformed YAML/JSON: ${(error as Error).message}`);
  }
  if (documents.length === 0) throw new ContractInputError(`${source}: the file is empty`);
  const candidates =
    documents.length === 1
      ? documents
      : documents.filter((d) => isRecord(d) && d.kind === OUTPUT_CONTRACT_KIND);
  if (candidates.length !== 1) {
    throw new ContractInputError(
      `${source}: expected one ${OUTPUT_CONTRACT_KIND} among ${documents.length} documents, found ${candidates.length}`,
    );
  }
  const [document] = candidates;
  if (!isRecord(document)) {
    throw new ContractInputError(`${source}: expected a YAML/JSON object at the top level`);
  }
  if ('kind' in document && document.kind !== OUTPUT_CONTRACT_KIND) {
    throw new ContractInputError(
      `${source}: kind ${JSON.stringify(document.kind)} is not ${OUTPUT_CONTRACT_KIND}`,
    );
  }
  return fromDocument(document, source);
}
