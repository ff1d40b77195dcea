import { execFileSync } from 'node:child_process';
import type { CoreV1Api } from '@kubernetes/client-node';
import { eventually } from '../eventually.ts';

// The node has no kube-proxy. For the one Service every in-cluster client uses, `kubernetes` in
// `default`, it does what kube-proxy would: a DNAT rule from the Service's ClusterIP and port to the
// API server's address, so a Pod's in-cluster configuration (KUBERNETES_SERVICE_HOST/PORT, which the
// kubelet sets to that ClusterIP) reaches the API server as on a real cluster.

/** The `kubernetes` Service as the API describes it: what in-cluster clients dial. */
export interface KubernetesService {
  clusterIp: string;
  port: number;
}

// The API server's bootstrap controller creates the Service moments after /readyz; give a busy machine time.
const serviceTimeoutMs = 30_000;

/** Reads the ClusterIP and port of `default/kubernetes` (the first IP of the service range; never hard-coded). */
export function readKubernetesService(core: CoreV1Api): Promise<KubernetesService> {
  return eventually(
    'the API server to create the default/kubernetes Service',
    async () => {
      const service = await core.readNamespacedService({ namespace: 'default', name: 'kubernetes' });
      const clusterIp = service.spec?.clusterIP;
      const port = service.spec?.ports?.find((p) => p.name === 'https')?.port;
      return clusterIp && port ? { clusterIp, port } : undefined;
    },
    serviceTimeoutMs,
  );
}

/**
 * Adds the iptables rule (nat table, PREROUTING) sending what the node's Pods (traffic entering from its
 * bridge) send to the Service to the API server. It names the bridge, so the node's teardown removes it
 * with the rest of its rules, and a second node on the same host (its own bridge and API server) has its own.
 * Host processes are not redirected: they use the API server's address from their kubeconfig.
 */
export function routeKubernetesService(
  bridge: string,
  service: KubernetesService,
  apiServer: { host: string; port: number },
): void {
  const rule = [
    '-t',
    'nat',
    // Inserted first, as kube-proxy does with its own chain: a broader DNAT rule of the host must not win.
    '-I',
    'PREROUTING',
    '-i',
    bridge,
    '-d',
    `${service.clusterIp}/32`,
    '-p',
    'tcp',
    '--dport',
    String(service.port),
    '-m',
    'comment',
    '--comment',
    `steward node ${bridge}: the kubernetes Service`,
    '-j',
    'DNAT',
    '--to-destination',
    `${apiServer.host}:${apiServer.port}`,
  ];
  try {
    // -w: another node on this host may be changing the rules at the same moment.
    execFileSync('iptables', ['-w', ...rule], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(
      `could not route the kubernetes Service ${service.clusterIp}:${service.port} to the API server with iptables: ${stderr || (err as Error).message}`,
    );
  }
}
