import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isExecutable } from '../harness/binaries.ts';

const ensureScript = new URL('../../hack/controlplane/ensure.sh', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'steward-ensure-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs ensure.sh with an empty binary cache, as on a fresh machine. */
function runEnsure(env: Record<string, string>) {
  const pathWithoutGo = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !isExecutable(join(dir, 'go')));
  const result = spawnSync('/bin/bash', [ensureScript], {
    env: {
      PATH: pathWithoutGo.join(delimiter),
      HOME: scratch,
      STEWARD_CACHE: join(scratch, 'cache'),
      ...env,
    },
    encoding: 'utf8',
  });
  return { code: result.status, stderr: result.stderr };
}

describe('hack/controlplane/ensure.sh', () => {
  it('without Go and without KUBEBUILDER_ASSETS stops with one message naming both fixes', () => {
    const { code, stderr } = runEnsure({});
    expect(code).toBe(1);
    expect(stderr).toContain('neither Go nor KUBEBUILDER_ASSETS is available');
    expect(stderr).toContain('install Go');
    expect(stderr).toContain('set KUBEBUILDER_ASSETS');
  });

  it('rejects a KUBEBUILDER_ASSETS folder that lacks kube-apiserver', () => {
    const assets = join(scratch, 'partial-assets');
    mkdirSync(assets, { recursive: true });
    writeFileSync(join(assets, 'etcd'), '#!/bin/sh\n', { mode: 0o755 });
    const { code, stderr } = runEnsure({ KUBEBUILDER_ASSETS: assets });
    expect(code).toBe(1);
    expect(stderr).toContain('has no executable kube-apiserver');
  });

  it('accepts envtest assets without kube-controller-manager and says what is skipped', () => {
    const assets = join(scratch, 'envtest-assets');
    mkdirSync(assets, { recursive: true });
    for (const bin of ['etcd', 'kube-apiserver'])
      writeFileSync(join(assets, bin), '#!/bin/sh\n', { mode: 0o755 });
    const { code, stderr } = runEnsure({ KUBEBUILDER_ASSETS: assets });
    expect(code).toBe(0);
    expect(stderr).toContain('no kube-controller-manager');
  });
});
