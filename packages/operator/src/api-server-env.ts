import type { KubeConfig } from '@kubernetes/client-node';

/** An environment variable with a literal value, as a container's `env` lists it. */
export interface LiteralEnvVar {
  name: string;
  value: string;
}

const HOST = 'KUBERNETES_SERVICE_HOST';
const PORT = 'KUBERNETES_SERVICE_PORT';

/**
 * KUBERNETES_SERVICE_HOST/PORT as the operator has them, for the Pods it creates that call the API
 * server (the drift check writing its report ConfigMap). Only when the operator itself reaches the API
 * server through them (its configuration is the in-cluster one, server https://HOST:PORT): on a cluster
 * without kube-proxy, where they are set on the operator to an address Pods reach (docs/install.md), its
 * Pods need the same address; elsewhere they equal what the kubelet gives every Pod. An operator run with a
 * kubeconfig passes nothing on.
 */
export function inClusterApiServerEnv(
  kubeConfig: KubeConfig,
  env: NodeJS.ProcessEnv = process.env,
): LiteralEnvVar[] {
  const host = env[HOST];
  const port = env[PORT];
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!host || !port || !server || !URL.canParse(server)) return [];
  const url = new URL(server);
  // URL keeps IPv6 brackets in hostname and leaves out a scheme's default port.
  const serverHost = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const serverPort = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (serverHost !== host || serverPort !== port) return [];
  return [
    { name: HOST, value: host },
    { name: PORT, value: port },
  ];
}
