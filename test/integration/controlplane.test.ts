import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubernetesObject,
  RbacAuthorizationV1Api,
  type V1CustomResourceDefinition,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  kubeConfigForServiceAccount,
  sharedControlPlaneInfo,
  testKubeConfig,
  useTestNamespace,
} from '../harness/index.ts';

// A throwaway kind, so this suite proves the control plane without depending on Steward's CRDs.
const group = 'harness.steward.dev';
const version = 'v1';
const plural = 'widgets';
const crd: V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: version,
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: { size: { type: 'integer', minimum: 1 } },
                required: ['size'],
              },
            },
          },
        },
      },
    ],
  },
};

interface Widget extends KubernetesObject {
  spec: { size: number };
}

const ns = useTestNamespace();
const kc = testKubeConfig();
const custom = kc.makeApiClient(CustomObjectsApi);

// The bookmark that ends a watch's initial events (sendInitialEvents): from then on it is established.
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/**
 * Opens a watch and resolves once the API server says it is established: the watch asks for its
 * initial events, which end with a bookmark. A watch the server refuses (429 while the watch cache of
 * a kind whose CRD has just become Established is still initialising) ends instead and is opened again.
 */
async function startWatch(
  path: string,
  onEvent: (phase: string, obj: Widget) => void,
): Promise<AbortController> {
  const watch = new Watch(kc);
  return eventually(`a watch on ${path}`, async () => {
    let established = false;
    let ended: unknown;
    const request = await watch.watch(
      path,
      { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
      (phase: string, obj: Widget) => {
        if (phase === 'BOOKMARK') established ||= obj.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true';
        else onEvent(phase, obj);
      },
      (err: unknown) => {
        ended = err ?? new Error('the watch ended');
      },
    );
    await eventually('the end of the initial events, or a refusal', async () =>
      established || ended !== undefined ? true : undefined,
    );
    if (ended === undefined) return request;
    request.abort();
    throw ended;
  });
}

beforeAll(async () => {
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  await ext.createCustomResourceDefinition({ body: crd }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await eventually(
    'the Widget CRD to become Established',
    async () => {
      const current = await ext.readCustomResourceDefinition({ name: crd.metadata?.name ?? '' });
      return (
        current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') || undefined
      );
    },
    30_000,
  );
});

afterAll(async () => {
  await kc
    .makeApiClient(ApiextensionsV1Api)
    .deleteCustomResourceDefinition({ name: crd.metadata?.name ?? '' })
    .catch(() => undefined);
});

describe('the test control plane', () => {
  it('creates, reads, updates, watches and deletes a custom resource', async () => {
    const seen: string[] = [];
    const request = await startWatch(
      `/apis/${group}/${version}/namespaces/${ns.name}/${plural}`,
      (phase, obj) => seen.push(`${phase} ${obj.metadata?.name} size=${obj.spec.size}`),
    );
    try {
      const body: Widget = {
        apiVersion: `${group}/${version}`,
        kind: 'Widget',
        metadata: { name: 'first' },
        spec: { size: 1 },
      };
      await custom.createNamespacedCustomObject({ group, version, namespace: ns.name, plural, body });
      const read = (await custom.getNamespacedCustomObject({
        group,
        version,
        namespace: ns.name,
        plural,
        name: 'first',
      })) as Widget;
      expect(read.spec.size).toBe(1);

      await custom.replaceNamespacedCustomObject({
        group,
        version,
        namespace: ns.name,
        plural,
        name: 'first',
        body: { ...read, spec: { size: 2 } },
      });
      await custom.deleteNamespacedCustomObject({
        group,
        version,
        namespace: ns.name,
        plural,
        name: 'first',
      });

      await eventually(
        () => `the watch to deliver all three events (got ${JSON.stringify(seen)})`,
        async () => (seen.length >= 3 ? true : undefined),
        10_000,
      );
      expect(seen).toEqual(['ADDED first size=1', 'MODIFIED first size=2', 'DELETED first size=2']);
    } finally {
      request.abort();
    }
  });

  it('rejects a custom resource that breaks the CRD schema', async () => {
    const body = {
      apiVersion: `${group}/${version}`,
      kind: 'Widget',
      metadata: { name: 'bad' },
      spec: { size: 0 },
    };
    await expect(
      custom.createNamespacedCustomObject({ group, version, namespace: ns.name, plural, body }),
    ).rejects.toMatchObject({ code: 422, body: expect.stringContaining('spec.size') });
  });

  it('garbage-collects a Deployment whose owner custom resource is deleted', async (context) => {
    if (!sharedControlPlaneInfo().hasControllerManager) {
      context.skip('no kube-controller-manager in KUBEBUILDER_ASSETS: garbage collection does not run');
    }
    const owner = (await custom.createNamespacedCustomObject({
      group,
      version,
      namespace: ns.name,
      plural,
      body: {
        apiVersion: `${group}/${version}`,
        kind: 'Widget',
        metadata: { name: 'owner' },
        spec: { size: 1 },
      },
    })) as Widget;
    const apps = kc.makeApiClient(AppsV1Api);
    const labels = { app: 'owned' };
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: {
        metadata: {
          name: 'owned',
          ownerReferences: [
            {
              apiVersion: `${group}/${version}`,
              kind: 'Widget',
              name: 'owner',
              uid: owner.metadata?.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] },
          },
        },
      },
    });
    // The Deployment controller acting on it proves kube-controller-manager is really running.
    await eventually(
      'the Deployment controller to create a ReplicaSet',
      async () => {
        const sets = await apps.listNamespacedReplicaSet({ namespace: ns.name });
        return sets.items.length > 0 || undefined;
      },
      30_000,
    );

    await custom.deleteNamespacedCustomObject({ group, version, namespace: ns.name, plural, name: 'owner' });
    // The garbage collector rediscovers new resource types every 30 s, so allow a few cycles.
    await eventually(
      'the garbage collector to delete the owned Deployment',
      async () => {
        const deployments = await apps.listNamespacedDeployment({ namespace: ns.name });
        return deployments.items.some((d) => d.metadata?.name === 'owned') ? undefined : true;
      },
      90_000,
    );
  }, 150_000);

  it('enforces RBAC for a ServiceAccount kubeconfig: forbidden until a RoleBinding grants access', async () => {
    const asReader = (await kubeConfigForServiceAccount(kc, ns.name, 'reader')).makeApiClient(CoreV1Api);
    await expect(asReader.listNamespacedConfigMap({ namespace: ns.name })).rejects.toMatchObject({
      code: 403,
    });

    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: ns.name,
      body: {
        metadata: { name: 'configmap-reader' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns.name,
      body: {
        metadata: { name: 'reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns.name }],
      },
    });
    // RBAC changes reach the authorizer through an informer: allow it a moment.
    await eventually(
      'the RoleBinding to take effect',
      () =>
        asReader.listNamespacedConfigMap({ namespace: ns.name }).then(
          () => true,
          () => undefined,
        ),
      10_000,
    );
    await expect(asReader.listNamespacedSecret({ namespace: ns.name })).rejects.toMatchObject({ code: 403 });
  });
});
