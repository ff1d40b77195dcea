import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles, REPO_ROOT } from './files.ts';

function committed(path: string): string | undefined {
  try {
    return readFileSync(join(REPO_ROOT, path), 'utf8');
  } catch {
    return undefined;
  }
}

describe('the committed generated files', () => {
  for (const [path, expected] of generatedFiles()) {
    it(`${path} matches the zod schemas (if not: run make crds)`, () => {
      const actual = committed(path);
      expect(actual, `${path} is missing: run make crds`).toBeDefined();
      // A plain equality check first, so the failure message is the instruction, not a 1000-line diff.
      if (actual !== expected) expect.fail(`${path} is stale: run make crds and commit the result`);
    });
  }
});
