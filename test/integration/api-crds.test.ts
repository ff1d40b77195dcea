import { describe, expect, it } from 'vitest';
import { installCrds, readCrds } from '../harness/crds.ts';
import { testKubeConfig } from '../harness/index.ts';

describe('the generated CRDs', () => {
  it('install on the real API server and become Established, with their names accepted', async () => {
    const installed = await installCrds(testKubeConfig());
    expect(installed.map((crd) => crd.metadata.name).sort()).toEqual([
      'driftmonitors.mlops.steward.dev',
      'modeldeployments.mlops.steward.dev',
      'outputcontracts.mlops.steward.dev',
      'retrainpipelines.mlops.steward.dev',
    ]);
    for (const crd of installed) {
      const conditions = crd.status?.conditions ?? [];
      expect(conditions.find((c) => c.type === 'NamesAccepted')?.status, crd.metadata.name).toBe('True');
      expect(
        conditions.find((c) => c.type === 'NonStructuralSchema'),
        crd.metadata.name,
      ).toBeUndefined();
    }
  });

  it('are stored exactly as committed: the API server dropped or rewrote nothing', async () => {
    const installed = await installCrds(testKubeConfig());
    for (const committed of readCrds()) {
      const live = installed.find((crd) => crd.metadata.name === committed.metadata.name);
      expect(live?.spec.versions, committed.metadata.name).toEqual(committed.spec.versions);
      expect(live?.spec.names, committed.metadata.name).toMatchObject(committed.spec.names);
    }
  });

  it('installing them again is a no-op, so every test file can call installCrds', async () => {
    const first = await installCrds(testKubeConfig());
    const again = await installCrds(testKubeConfig());
    expect(again.map((crd) => crd.spec)).toEqual(first.map((crd) => crd.spec));
  });
});
