import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_DIFF, DRIFT_CHECK } from './testing/invocations.ts';

const bin = fileURLToPath(new URL('../bin/steward.js', import.meta.url));

// Preloaded into the child: records the URL of every module it resolves, written out at exit.
const RECORD_IMPORTS = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const urls = [];
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); urls.push(r.url); return r; } });
process.on('exit', () => writeFileSync(process.env.STEWARD_IMPORTS_FILE, urls.join('\\n')));
`)}`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-startup-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the real steward binary in a fresh process and returns the modules it loaded. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const file = join(dir, `${args.join('-').replace(/\W+/g, '_')}.txt`);
  await promisify(execFile)(process.execPath, ['--import', RECORD_IMPORTS, bin, ...args], {
    env: { ...process.env, STEWARD_IMPORTS_FILE: file, NODE_DISABLE_COMPILE_CACHE: '1' },
  }).catch((error: { code?: number }) => {
    // A verdict (drift, breaking change) exits 1; anything else is a broken run.
    if (error.code !== 1) throw error;
  });
  return (await readFile(file, 'utf8')).split('\n');
}

const KUBERNETES_CLIENT = '/@kubernetes/client-node/';
const loaded = (urls: string[], fragment: string) => urls.some((url) => url.includes(fragment));

describe('steward loads only what the command needs', () => {
  it('version loads neither the Kubernetes client nor any Steward library', async () => {
    const urls = await modulesLoadedBy(['version']);
    expect(loaded(urls, '/commands/version.ts')).toBe(true);
    for (const fragment of [
      KUBERNETES_CLIENT,
      '/packages/operator/',
      '/packages/drift/',
      '/packages/contracts/',
    ]) {
      expect(loaded(urls, fragment), fragment).toBe(false);
    }
  });

  it('contract diff loads the contracts library, but not the Kubernetes client or the drift library', async () => {
    const urls = await modulesLoadedBy(CONTRACT_DIFF);
    expect(loaded(urls, '/packages/contracts/')).toBe(true);
    expect(loaded(urls, KUBERNETES_CLIENT)).toBe(false);
    expect(loaded(urls, '/packages/drift/')).toBe(false);
  });

  it('drift check loads the drift library, but not the Kubernetes client or the operator', async () => {
    const urls = await modulesLoadedBy(DRIFT_CHECK);
    expect(loaded(urls, '/packages/drift/')).toBe(true);
    expect(loaded(urls, KUBERNETES_CLIENT)).toBe(false);
    expect(loaded(urls, '/packages/operator/')).toBe(false);
  });
});
