import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './crd/files.ts';
import { resourceSchemas } from './resources.ts';

const EXAMPLES = join(REPO_ROOT, 'examples/fraud-scoring');
const files = readdirSync(EXAMPLES).filter((name) => name.endsWith('.yaml'));

describe('the fraud-scoring example', () => {
  it('has one resource of each kind', () => {
    const kinds = files.map(
      (name) => (load(readFileSync(join(EXAMPLES, name), 'utf8')) as { kind: string }).kind,
    );
    expect(kinds.sort()).toEqual(['DriftMonitor', 'ModelDeployment', 'OutputContract', 'RetrainPipeline']);
  });

  for (const name of files) {
    it(`${name} parses with its kind's zod schema`, () => {
      const resource = load(readFileSync(join(EXAMPLES, name), 'utf8')) as {
        kind: keyof typeof resourceSchemas;
      };
      const result = resourceSchemas[resource.kind].safeParse(resource);
      expect(result.error?.issues ?? []).toEqual([]);
    });
  }
});
