import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_DIRECTORY, helmIn, objectPath, releaseObjects, toolPath } from '../harness/chart.ts';
import { kubeRequest } from '../harness/crds.ts';
import { type ControlPlane, eventually, startControlPlane } from '../harness/index.ts';

// `helm install`, `helm upgrade` and `helm uninstall` of the chart against a real API server. The chart holds
// cluster-wide objects (the approval ValidatingAdmissionPolicy and its binding apply to every namespace), so this
// file starts a control plane of its own rather than changing the one the other files share. It has no node:
// the operator Pods stay Pending, so this proves what Helm does with the chart's objects (created, updated,
// removed all but the CRDs), not that the operator runs (chart-rbac.test.ts does).

const NAMESPACE = 'steward-system';
const RELEASE = 'steward';
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const STEWARD_KINDS = ['modeldeployments', 'outputcontracts', 'driftmonitors', 'retrainpipelines'];
// Deleting an object is immediate; an API server on 2 busy cores may take a few seconds to answer.
const GONE_TIMEOUT_MS = 30_000;

let helm: string;
let controlPlane: ControlPlane | undefined;

function cluster(): ControlPlane {
  if (!controlPlane) throw new Error('the control plane did not start');
  return controlPlane;
}

const helmRun = (...args: string[]) => helmIn(helm, cluster().kubeconfigPath, NAMESPACE)(...args);
const get = (path: string) => kubeRequest(cluster().kubeConfig(), 'GET', path);
const pathOf = (object: KubernetesObject) => objectPath(cluster().kubeConfig(), object);

// A private control plane needs the binaries; against an existing cluster this file would change it cluster-wide.
describe.skipIf(process.env.USE_EXISTING_CLUSTER === 'true')('helm install, upgrade and uninstall', () => {
  let installed: KubernetesObject[];

  beforeAll(async () => {
    helm = await toolPath('hack/helm/ensure.sh');
    // Nothing here needs garbage collection or Jobs: the API server and etcd are enough.
    // No CRDs yet: Helm installs them from the chart's crds/ folder.
    controlPlane = await startControlPlane({ controllerManager: false });
  });

  afterAll(async () => {
    await controlPlane?.stop();
  });

  it('installs the CRDs and every object of the chart', async () => {
    const install = await helmRun('install', RELEASE, CHART_DIRECTORY, '--create-namespace');
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain(`Steward 0.1.0 is installed in namespace ${NAMESPACE}.`);
    installed = await releaseObjects(helmRun, RELEASE, NAMESPACE);
    expect(installed.map((object) => object.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'Deployment',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'Service',
        'ServiceAccount',
        'ValidatingAdmissionPolicy',
        'ValidatingAdmissionPolicyBinding',
      ].sort(),
    );
    for (const object of installed) {
      const response = await get(await pathOf(object));
      expect(response.status, `${object.kind} ${object.metadata?.name}`).toBe(200);
    }
    for (const kind of STEWARD_KINDS) {
      expect((await get(`${CRD_PATH}/${kind}.mlops.steward.dev`)).status, kind).toBe(200);
    }
  });

  it('upgrades with new values', async () => {
    const upgrade = await helmRun(
      'upgrade',
      RELEASE,
      CHART_DIRECTORY,
      '--reuse-values',
      '--set',
      'replicaCount=3',
    );
    expect(upgrade.code, upgrade.stderr).toBe(0);
    const deployment = installed.find((object) => object.kind === 'Deployment');
    if (!deployment) throw new Error('the release has no Deployment');
    const live = JSON.parse((await get(await pathOf(deployment))).body) as { spec: { replicas: number } };
    expect(live.spec.replicas).toBe(3);
  });

  it('uninstalls everything but the CRDs', async () => {
    const uninstall = await helmRun('uninstall', RELEASE);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    for (const object of installed) {
      const path = await pathOf(object);
      await eventually(
        `${object.kind} ${object.metadata?.name} to be deleted`,
        async () => ((await get(path)).status === 404 ? true : undefined),
        GONE_TIMEOUT_MS,
      );
    }
    for (const kind of STEWARD_KINDS) {
      expect((await get(`${CRD_PATH}/${kind}.mlops.steward.dev`)).status, kind).toBe(200);
    }
  });
});
