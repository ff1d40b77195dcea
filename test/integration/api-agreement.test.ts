import { readFileSync } from 'node:fs';
import { API_VERSION, durationSchema, KIND_DEFINITIONS, semverRangeSchema, semverSchema } from '@steward/api';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCrds, kubeRequest } from '../harness/crds.ts';
import { testKubeConfig, useTestNamespace } from '../harness/index.ts';

// zod (JavaScript regular expressions) and the API server (CEL, RE2) check the same patterns. This proves they
// agree on values built from each grammar's own tokens, valid and invalid, instead of trusting that they do.
// Cron schedules and time zones have their own file (api-cron.test.ts), which also asks the CronJob API.

const namespace = useTestNamespace();
// Per grammar: enough samples to hit most token combinations, few enough for a 2-core machine.
const SAMPLES = 60;
// Fixed, so a failure reproduces.
const SEED = 20261125;

type Json = Record<string, unknown>;

interface Grammar {
  name: string;
  schema: { safeParse: (value: unknown) => { success: boolean } };
  /** Strings built from the grammar's own pieces, so both valid and near-miss values occur. */
  values: fc.Arbitrary<string>;
  kind: string;
  file: string;
  /** Puts the value into the example resource. */
  place: (resource: Json, value: string) => void;
}

const spec = (resource: Json) => resource.spec as Record<string, Json>;

const grammars: Grammar[] = [
  {
    name: 'durations',
    schema: durationSchema,
    values: tokens(['1', '0', '90', 'd', 'h', 'm', 's', 'ms', 'w', 'y', ' ', '.', '-']),
    kind: 'DriftMonitor',
    file: 'drift-monitor.yaml',
    place: (r, v) => {
      (spec(r).onDrift as Json).cooldown = v;
    },
  },
  {
    name: 'semantic versions',
    schema: semverSchema,
    values: slots([
      ['', '', '', 'v'],
      ['0', '1', '12', '01'],
      ['.', '.', '.', '..'],
      ['0', '3', '01'],
      ['.', '.', '.', '-'],
      ['0', '4', '00'],
      ['', '', '-rc.1', '-', '+build.5', '-01', '+', '-a_b'],
    ]),
    kind: 'ModelDeployment',
    file: 'model-deployment.yaml',
    place: (r, v) => {
      (spec(r).model as Json).version = v;
    },
  },
  {
    name: 'semver ranges',
    schema: semverRangeSchema,
    values: tokens([
      '1',
      '0',
      '.',
      '2.0.0',
      'x',
      '*',
      '^',
      '~',
      '>=',
      '<',
      '=',
      ' ',
      ' - ',
      '||',
      '-rc.1',
      'v',
    ]),
    kind: 'ModelDeployment',
    file: 'model-deployment.yaml',
    place: (r, v) => {
      (spec(r).outputContract as Json).versionRange = v;
    },
  },
];

/** Any sequence of tokens. */
function tokens(list: string[]): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...list), { minLength: 1, maxLength: 7 }).map((t) => t.join(''));
}

/** One choice per slot, in order: a value's shape with a mistake in some slots. */
function slots(choices: string[][]): fc.Arbitrary<string> {
  return fc.tuple(...choices.map((choice) => fc.constantFrom(...choice))).map((parts) => parts.join(''));
}

function samples(values: fc.Arbitrary<string>): string[] {
  return [...new Set(fc.sample(values, { numRuns: SAMPLES, seed: SEED }))];
}

async function serverAccepts(grammar: Grammar, value: string, index: number): Promise<boolean> {
  const url = new URL(`../../examples/fraud-scoring/${grammar.file}`, import.meta.url);
  const resource = load(readFileSync(url, 'utf8')) as Json;
  (resource.metadata as Json).name = `agreement-${index}`;
  grammar.place(resource, value);
  const plural = KIND_DEFINITIONS.find((d) => d.names.kind === grammar.kind)?.names.plural;
  const response = await kubeRequest(
    testKubeConfig(),
    'POST',
    `/apis/${API_VERSION}/namespaces/${namespace.name}/${plural}?dryRun=All`,
    { body: resource },
  );
  if (response.status !== 201 && response.status !== 422)
    throw new Error(`HTTP ${response.status}: ${response.body}`);
  return response.status === 201;
}

beforeAll(async () => {
  await installCrds(testKubeConfig());
});

describe('zod and the API server agree on syntax', () => {
  for (const grammar of grammars) {
    it(`on ${grammar.name}, for valid and invalid values alike`, async () => {
      const values = samples(grammar.values);
      const verdicts = await Promise.all(
        values.map(async (value, index) => ({
          value,
          zod: grammar.schema.safeParse(value).success,
          server: await serverAccepts(grammar, value, index),
        })),
      );
      expect(verdicts.filter((v) => v.zod !== v.server)).toEqual([]);
      // Both outcomes occur, so the comparison is not vacuous.
      expect(verdicts.some((v) => v.server)).toBe(true);
      expect(verdicts.some((v) => !v.server)).toBe(true);
    });
  }
});
