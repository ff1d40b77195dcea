import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { locateBinaries } from './binaries.ts';
import { eventually } from './eventually.ts';
import { httpsRequest } from './http.ts';
import { loadKubeConfig, writeKubeconfig } from './kubeconfig.ts';
import { freePort } from './ports.ts';
import { logTails, type ManagedProcess, registerCleanup, startProcess } from './processes.ts';

/** What the API server needs to talk to kubelets (logs, exec) and to authorize them as nodes. */
export interface KubeletAccess {
  /** The client certificate and key the API server presents to kubelets. */
  clientCertFile: string;
  clientKeyFile: string;
  /** The CA that signed the kubelets' serving certificates. */
  caFile: string;
}

/** A token identity the control plane accepts, e.g. a kubelet (`system:node:<name>` in `system:nodes`). */
export interface TokenIdentity {
  user: string;
  groups: string[];
}

export interface ControlPlaneOptions {
  /** Start kube-controller-manager (garbage collection, Jobs, namespaces). Default: when the binary exists. */
  controllerManager?: boolean;
  /** Set when a node joins (the end-to-end tier): kubelet access, Node authorizer, NodeRestriction. */
  kubeletAccess?: KubeletAccess;
  /** Identities beyond the admin, each with a kubeconfig from `ControlPlane.kubeconfigFor`. */
  identities?: TokenIdentity[];
  /**
   * The IPv4 address kube-apiserver listens on and advertises; its self-signed serving certificate names it.
   * Default 127.0.0.1: this machine only. A node's cluster gives the host's address, which its Pods reach.
   */
  address?: string;
}

export interface ControlPlane {
  server: string;
  /** Admin kubeconfig (a system:masters token) on disk, for kubectl and child processes. */
  kubeconfigPath: string;
  kubeConfig(): KubeConfig;
  /** The kubeconfig of one of `ControlPlaneOptions.identities`. */
  kubeconfigFor(user: string): string;
  hasControllerManager: boolean;
  /** The run's folder under the system's temp dir (etcd data, certificates, kubeconfigs, logs). */
  dir: string;
  logsDir: string;
  /** PIDs of every process this control plane runs now, for leak checks. */
  pids(): number[];
  /** The last lines of each component's log. */
  logs(lines?: number): string;
  /** SIGKILLs kube-apiserver, keeps it down `downMs`, starts it on the same port and waits until ready. */
  restartApiServer(opts?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

// Start-up deadlines: generous because a cold 2-core CI machine also builds and type-checks meanwhile.
const etcdReadyTimeoutMs = 30_000;
const apiServerReadyTimeoutMs = 90_000;
// One /readyz probe; a server still starting may accept the connection and answer late.
const readyzRequestTimeoutMs = 5_000;
const serviceClusterIpRange = '10.96.0.0/16';

function lastPemBlock(pem: string): string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const last = blocks.at(-1);
  if (!last) throw new Error('the API server wrote no certificate');
  return `${last}\n`;
}

function nodeAccessArgs(access: KubeletAccess): string[] {
  return [
    '--authorization-mode=Node,RBAC',
    '--enable-admission-plugins=NodeRestriction',
    `--kubelet-client-certificate=${access.clientCertFile}`,
    `--kubelet-client-key=${access.clientKeyFile}`,
    `--kubelet-certificate-authority=${access.caFile}`,
    // The node registers its host name, which nothing resolves; its address is in the certificate.
    '--kubelet-preferred-address-types=InternalIP',
  ];
}

interface Files {
  dir: string;
  pki: string;
  tokens: string;
  saKey: string;
  saPub: string;
  adminToken: string;
  kcmToken: string;
  identityTokens: Map<string, string>;
}

function prepareFiles(identities: TokenIdentity[]): Files {
  const dir = mkdtempSync(join(tmpdir(), 'steward-controlplane-'));
  const pki = join(dir, 'pki');
  mkdirSync(pki);
  mkdirSync(join(dir, 'logs'));
  // Service-account token signing keys, fresh per control plane.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const saKey = join(pki, 'sa.key');
  const saPub = join(pki, 'sa.pub');
  writeFileSync(saKey, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
  // Static bearer tokens: the admin (system:masters) and the controller manager's identity.
  const adminToken = randomBytes(24).toString('hex');
  const kcmToken = randomBytes(24).toString('hex');
  const identityTokens = new Map(identities.map((i) => [i.user, randomBytes(24).toString('hex')]));
  const identityLines = identities.map(
    (i) => `${identityTokens.get(i.user)},${i.user},${i.user}-uid,"${i.groups.join(',')}"\n`,
  );
  const tokens = join(pki, 'tokens.csv');
  writeFileSync(
    tokens,
    `${adminToken},admin,admin-uid,"system:masters"\n${kcmToken},kube-controller-manager,kcm-uid,"system:masters"\n${identityLines.join('')}`,
    { mode: 0o600 },
  );
  return { dir, pki, tokens, saKey, saPub, adminToken, kcmToken, identityTokens };
}

/**
 * Starts etcd, kube-apiserver (RBAC on, token and service-account authentication) and, unless
 * disabled, kube-controller-manager on free ports (etcd on loopback, the API server on `address`). The API server generates its own
 * serving certificate into the run's folder; the CA that issued it is the kubeconfig's CA.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const bins = locateBinaries();
  const withKcm = options.controllerManager ?? bins.kubeControllerManager !== undefined;
  if (withKcm && !bins.kubeControllerManager) {
    throw new Error(`kube-controller-manager requested but not found in ${bins.dir}`);
  }
  const files = prepareFiles(options.identities ?? []);
  const logsDir = join(files.dir, 'logs');
  const running: ManagedProcess[] = [];
  // The folder holds ~120 MB (mostly etcd's data): it goes with the processes even when this process
  // never reaches stop() (killed outright, an interrupted vitest): then the exit hook or the guardian
  // removes it, after the processes are gone.
  const releaseRemoval = registerCleanup(['rm', '-rf', files.dir]);
  const stopAndRemove = async () => {
    await Promise.all(running.map((p) => p.kill('SIGKILL')));
    running.length = 0;
    rmSync(files.dir, { recursive: true, force: true });
    releaseRemoval();
  };

  try {
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcd = startProcess(
      'etcd',
      bins.etcd,
      [
        `--data-dir=${join(files.dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        // Test data is disposable: skipping fsync makes every write several times faster.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      join(logsDir, 'etcd.log'),
    );
    running.push(etcd);
    await eventually(
      'etcd to report healthy',
      async () => {
        const res = await fetch(`${etcdUrl}/health`, { signal: AbortSignal.timeout(2_000) });
        return (res.ok && ((await res.json()) as { health?: string }).health === 'true') || undefined;
      },
      etcdReadyTimeoutMs,
    );

    const address = options.address ?? '127.0.0.1';
    const server = `https://${address}:${apiPort}`;
    const apiServerArgs = [
      `--etcd-servers=${etcdUrl}`,
      `--cert-dir=${files.pki}`,
      `--secure-port=${apiPort}`,
      // The certificate the API server makes for itself names the bind and advertise addresses (and the
      // `kubernetes` Service's ClusterIP and DNS names), so clients verify it on this address.
      `--bind-address=${address}`,
      `--advertise-address=${address}`,
      // The endpoint reconciler refuses loopback addresses, and nothing uses the `kubernetes` Service's
      // endpoints: there is no kube-proxy; a node routes the Service's ClusterIP with its own iptables rule.
      '--endpoint-reconciler-type=none',
      // A kubelet may read only what its own Pods use: the Node authorizer and NodeRestriction.
      ...(options.kubeletAccess ? nodeAccessArgs(options.kubeletAccess) : ['--authorization-mode=RBAC']),
      `--token-auth-file=${files.tokens}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${files.saPub}`,
      `--service-account-signing-key-file=${files.saKey}`,
      `--service-cluster-ip-range=${serviceClusterIpRange}`,
      '--allow-privileged=true',
      // Flow control queues requests per priority level; tests that create thousands of objects
      // would measure the queueing rather than Steward.
      '--enable-priority-and-fairness=false',
      '--v=1',
    ];
    const startApiServer = () => {
      const p = startProcess(
        'kube-apiserver',
        bins.kubeApiServer,
        apiServerArgs,
        join(logsDir, 'kube-apiserver.log'),
      );
      running.push(p);
      return p;
    };
    let apiServer = startApiServer();
    const caPath = join(files.pki, 'apiserver.crt');
    const waitForApiServer = () =>
      eventually(
        'kube-apiserver /readyz',
        async () => {
          const res = await httpsRequest(
            `${server}/readyz`,
            { ca: readFileSync(caPath, 'utf8'), headers: { authorization: `Bearer ${files.adminToken}` } },
            { timeoutMs: readyzRequestTimeoutMs },
          );
          return res.status === 200 || undefined;
        },
        apiServerReadyTimeoutMs,
      );
    await waitForApiServer();
    // apiserver.crt holds the serving certificate followed by the self-signed CA that issued it;
    // clients and the controller manager's root-ca publisher need the CA alone.
    const ca = lastPemBlock(readFileSync(caPath, 'utf8'));
    const caFile = join(files.pki, 'ca.crt');
    writeFileSync(caFile, ca);

    const kubeconfigPath = join(files.dir, 'admin.kubeconfig');
    writeKubeconfig(kubeconfigPath, server, ca, 'admin', files.adminToken);
    const identityKubeconfigs = new Map<string, string>();
    for (const [user, token] of files.identityTokens) {
      const path = join(files.dir, `${user.replaceAll(':', '_')}.kubeconfig`);
      writeKubeconfig(path, server, ca, user, token);
      identityKubeconfigs.set(user, path);
    }

    if (withKcm && bins.kubeControllerManager) {
      const kcmKubeconfig = join(files.dir, 'kube-controller-manager.kubeconfig');
      writeKubeconfig(kcmKubeconfig, server, ca, 'kube-controller-manager', files.kcmToken);
      running.push(
        startProcess(
          'kube-controller-manager',
          bins.kubeControllerManager,
          [
            `--kubeconfig=${kcmKubeconfig}`,
            '--leader-elect=false',
            // No serving endpoint: nothing scrapes it, and it would need another port and cert.
            '--secure-port=0',
            `--service-account-private-key-file=${files.saKey}`,
            `--root-ca-file=${caFile}`,
            `--service-cluster-ip-range=${serviceClusterIpRange}`,
            '--v=1',
          ],
          join(logsDir, 'kube-controller-manager.log'),
        ),
      );
    }

    return {
      server,
      kubeconfigPath,
      kubeConfig: () => loadKubeConfig(kubeconfigPath),
      kubeconfigFor(user) {
        const path = identityKubeconfigs.get(user);
        if (!path) throw new Error(`the control plane was started without the identity ${user}`);
        return path;
      },
      hasControllerManager: withKcm,
      dir: files.dir,
      logsDir,
      pids: () => running.map((p) => p.pid),
      logs: (lines = 60) => logTails(logsDir, lines),
      async restartApiServer({ downMs = 0 } = {}) {
        await apiServer.kill('SIGKILL');
        running.splice(running.indexOf(apiServer), 1);
        if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
        apiServer = startApiServer();
        await waitForApiServer();
      },
      stop: stopAndRemove,
    };
  } catch (err) {
    const detail = logTails(logsDir, 40);
    await stopAndRemove();
    throw new Error(`control plane failed to start: ${(err as Error).message}\n${detail}`);
  }
}
