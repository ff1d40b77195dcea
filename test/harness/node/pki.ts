import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NodePki {
  caFile: string;
  /** The kubelet's serving certificate: the node's IP and host name, signed by the CA. */
  kubeletCertFile: string;
  kubeletKeyFile: string;
  /** The API server's client certificate for kubelets (`system:masters`, so logs and exec are allowed). */
  apiServerClientCertFile: string;
  apiServerClientKeyFile: string;
}

// Long enough for any test run, short enough that a leaked key is soon worthless.
const validityDays = '2';

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Signs a fresh key's certificate with the CA; `extensions` is an openssl extension section. */
function issue(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `[ext]\n${extensions}\n`);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', subject, '-out', csr]);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(dir, 'ca.crt'),
      '-CAkey',
      join(dir, 'ca.key'),
      '-CAcreateserial',
    ].concat(['-days', validityDays, '-extfile', ext, '-extensions', 'ext', '-out', cert]),
  );
  return { cert, key };
}

/**
 * The node's certificates, made with the openssl command (Node's crypto cannot issue X.509
 * certificates): a CA, the kubelet's serving certificate and the API server's client certificate.
 */
export function createNodePki(dir: string, nodeIp: string, hostName: string): NodePki {
  mkdirSync(dir, { recursive: true });
  openssl(
    ['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key')].concat([
      '-subj',
      '/CN=steward-e2e-node-ca',
      '-days',
      validityDays,
      '-out',
      join(dir, 'ca.crt'),
    ]),
  );
  const kubelet = issue(
    dir,
    'kubelet',
    `/CN=system:node:${hostName}/O=system:nodes`,
    `subjectAltName=IP:${nodeIp},DNS:${hostName}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment`,
  );
  const client = issue(
    dir,
    'apiserver-kubelet-client',
    '/CN=kube-apiserver-kubelet-client/O=system:masters',
    'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment',
  );
  return {
    caFile: join(dir, 'ca.crt'),
    kubeletCertFile: kubelet.cert,
    kubeletKeyFile: kubelet.key,
    apiServerClientCertFile: client.cert,
    apiServerClientKeyFile: client.key,
  };
}
