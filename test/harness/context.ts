import { basename } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { loadKubeConfig } from './kubeconfig.ts';
import type { SharedControlPlane } from './shared.ts';

export function sharedControlPlaneInfo(): SharedControlPlane {
  return inject('stewardControlPlane');
}

/** An admin KubeConfig for the run's shared control plane. */
export function testKubeConfig(): KubeConfig {
  return loadKubeConfig(sharedControlPlaneInfo().kubeconfigPath);
}

/** A DNS-1123 label unique to this file and run, e.g. `t-runtime-restart-4f2a`. */
function namespaceNameFor(testFile: string): string {
  const stem = basename(testFile)
    .replace(/\.test\.ts$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const suffix = Math.random().toString(16).slice(2, 8);
  return `t-${stem.slice(0, 50)}-${suffix}`;
}

/**
 * Gives the calling test file a namespace of its own: created before its tests, deleted after
 * them (the namespace controller then removes everything in it).
 */
export function useTestNamespace(): { readonly name: string } {
  const handle = { name: '' };
  beforeAll(async () => {
    const file = expect.getState().testPath ?? 'suite';
    handle.name = namespaceNameFor(file);
    const core = testKubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({
      body: { metadata: { name: handle.name, labels: { 'steward.dev/test': 'true' } } },
    });
  });
  afterAll(async () => {
    if (!handle.name) return;
    const core = testKubeConfig().makeApiClient(CoreV1Api);
    await core.deleteNamespace({ name: handle.name }).catch(() => undefined);
  });
  return handle;
}
