import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import type { JobManifest } from './jobs.ts';
import { jobAccountName } from './names.ts';
import { baseSpec, manual, observed, PIPELINE, pipeline, servingDeployment } from './test-support.ts';

type PodSpec = { serviceAccountName?: string; automountServiceAccountToken?: boolean };
const podSpecOf = (manifest: JobManifest | undefined) =>
  (manifest?.spec as { template: { spec: PodSpec } } | undefined)?.template.spec;

describe('RetrainPipeline Jobs run as an account of their own, not the namespace default', () => {
  it('a Job whose template names no account runs as the pipeline account, without a token', () => {
    const plan = decide(observed({ pipeline: pipeline(baseSpec, {}, manual('r1')) }));
    expect(podSpecOf(plan.jobs[0])).toMatchObject({
      serviceAccountName: `${PIPELINE}-jobs`,
      automountServiceAccountToken: false,
    });
    expect(plan.serviceAccounts).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: `${PIPELINE}-jobs`,
          namespace: 'fraud',
          labels: {
            'app.kubernetes.io/managed-by': 'steward',
            'mlops.steward.dev/retrain-pipeline': PIPELINE,
          },
        },
        automountServiceAccountToken: false,
      },
    ]);
  });

  it('a template that names an account keeps it and its token setting, and no account is made', () => {
    const spec = {
      ...baseSpec,
      train: { ...baseSpec.train, serviceAccountName: 'fraud-trainer' },
      validate: { ...baseSpec.validate, serviceAccountName: 'fraud-trainer' },
    };
    const plan = decide(observed({ pipeline: pipeline(spec, {}, manual('r1')) }));
    const podSpec = podSpecOf(plan.jobs[0]);
    expect(podSpec?.serviceAccountName).toBe('fraud-trainer');
    expect(podSpec).not.toHaveProperty('automountServiceAccountToken');
    expect(plan.serviceAccounts).toEqual([]);
  });

  it('a reconcile that creates no Job applies no account (nothing caches ServiceAccounts)', () => {
    const plan = decide(observed({ pipeline: pipeline(baseSpec) }));
    expect(plan.jobs).toEqual([]);
    expect(plan.serviceAccounts).toEqual([]);
  });

  it('a pipeline name of the longest kind still gives a valid account name', () => {
    const name = jobAccountName('p'.repeat(253));
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(name.endsWith('-jobs')).toBe(true);
  });
});

describe('RetrainPipeline metrics name the model and its owner', () => {
  const owned = {
    ...servingDeployment,
    spec: { ...servingDeployment.spec, owner: { name: 'Amara Okafor', email: 'amara.okafor@example.com' } },
  };

  it("the labels are the ModelDeployment's name and its owner's e-mail", () => {
    const plan = decide(observed({ modelDeployment: owned }));
    expect(plan.metrics).toMatchObject({ model: 'fraud-scorer', owner: 'amara.okafor@example.com' });
  });

  it('an owner without an e-mail is named; no ModelDeployment leaves the owner empty (the platform owner gets the alert)', () => {
    const named = { ...owned, spec: { ...owned.spec, owner: { name: 'Amara Okafor' } } };
    expect(decide(observed({ modelDeployment: named })).metrics?.owner).toBe('Amara Okafor');
    expect(decide(observed({ modelDeployment: undefined })).metrics).toMatchObject({
      model: 'fraud-scorer',
      owner: '',
    });
  });
});
