import { writeFileSync } from 'node:fs';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1PolicyRule } from '@kubernetes/client-node';
import { dump } from 'js-yaml';

/** A kubeconfig with one cluster, one token user and one context, as a YAML document. */
function kubeconfigYaml(server: string, caPem: string, user: string, token: string): string {
  return dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'steward-test',
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: 'steward-test', user } }],
    'current-context': user,
  });
}

export function writeKubeconfig(
  path: string,
  server: string,
  caPem: string,
  user: string,
  token: string,
): void {
  // The file holds a credential: readable by its owner only.
  writeFileSync(path, kubeconfigYaml(server, caPem, user, token), { mode: 0o600 });
}

export function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** How long minted ServiceAccount tokens live; longer than any test run. */
const serviceAccountTokenSeconds = 3600;

/**
 * Mints a kubeconfig that authenticates as a ServiceAccount (creating the account if needed), so
 * tests can prove that an RBAC Role grants exactly what a component needs.
 */
export async function kubeConfigForServiceAccount(
  admin: KubeConfig,
  namespace: string,
  serviceAccount: string,
): Promise<KubeConfig> {
  const core = admin.makeApiClient(CoreV1Api);
  try {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: serviceAccount } } });
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
  }
  const tokenRequest = await core.createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: serviceAccountTokenSeconds } },
  });
  const token = tokenRequest.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${serviceAccount} returned no token`);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('admin kubeconfig has no current cluster');
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: cluster.name, user }],
    currentContext: user,
  });
  return kc;
}

/**
 * ServiceAccounts of `namespace`, each bound to one Role with `rules`, and a kubeconfig for each: real,
 * distinct identities (`system:serviceaccount:<namespace>:<name>`) for tests of who may do what.
 */
export async function identitiesWithRole(
  admin: KubeConfig,
  namespace: string,
  role: { name: string; rules: V1PolicyRule[] },
  accounts: readonly string[],
): Promise<KubeConfig[]> {
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({ namespace, body: { metadata: { name: role.name }, rules: role.rules } });
  const configs: KubeConfig[] = [];
  for (const account of accounts) {
    configs.push(await kubeConfigForServiceAccount(admin, namespace, account));
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: account },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
        subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
      },
    });
  }
  return configs;
}
