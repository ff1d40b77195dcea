// `make crds`: writes every generated file and removes generated CRDs no kind produces any more.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GROUP } from '../group.ts';
import { CRD_DIRECTORIES, generatedFiles, REPO_ROOT } from './files.ts';
import { StructuralSchemaError } from './structural.ts';

function generateOrExplain(): Map<string, string> {
  try {
    return generatedFiles();
  } catch (error) {
    // A schema that cannot become a CRD is a mistake in packages/api: say where, not how the stack looked.
    if (error instanceof StructuralSchemaError) {
      console.error(`crds: cannot generate a structural schema at ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

const files = generateOrExplain();
for (const directory of CRD_DIRECTORIES) {
  mkdirSync(join(REPO_ROOT, directory), { recursive: true });
  for (const name of readdirSync(join(REPO_ROOT, directory))) {
    const path = join(directory, name);
    if (name.startsWith(`${GROUP}_`) && !files.has(path)) rmSync(join(REPO_ROOT, path));
  }
}
for (const [path, content] of files) {
  mkdirSync(dirname(join(REPO_ROOT, path)), { recursive: true });
  writeFileSync(join(REPO_ROOT, path), content);
  console.log(`wrote ${path}`);
}
