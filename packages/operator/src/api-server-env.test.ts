import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { inClusterApiServerEnv } from './api-server-env.ts';

function configFor(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: false }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kubeConfig;
}

const env = { KUBERNETES_SERVICE_HOST: '10.0.0.10', KUBERNETES_SERVICE_PORT: '6443' };

describe("the operator's API server address for the Pods it creates", () => {
  it('is KUBERNETES_SERVICE_HOST/PORT when the operator reaches the API server through them', () => {
    expect(inClusterApiServerEnv(configFor('https://10.0.0.10:6443'), env)).toEqual([
      { name: 'KUBERNETES_SERVICE_HOST', value: '10.0.0.10' },
      { name: 'KUBERNETES_SERVICE_PORT', value: '6443' },
    ]);
  });

  it('matches a default port and an IPv6 address as the in-cluster configuration writes them', () => {
    const v6 = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
    expect(inClusterApiServerEnv(configFor('https://[fd00::1]:443'), v6)).toHaveLength(2);
  });

  it('is nothing for an operator run with a kubeconfig naming another server', () => {
    expect(inClusterApiServerEnv(configFor('https://api.example.com:6443'), env)).toEqual([]);
  });

  it('is nothing when the variables are not set', () => {
    expect(inClusterApiServerEnv(configFor('https://10.0.0.10:6443'), {})).toEqual([]);
  });
});
