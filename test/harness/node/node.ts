import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane, type TokenIdentity } from '../controlplane.ts';
import { eventually } from '../eventually.ts';
import { freePort } from '../ports.ts';
import { logTails, type ManagedProcess, registerCleanup, startProcess } from '../processes.ts';
import type { NodeAssets } from './assets.ts';
import { nodeLayout, writeCniConfig, writeKubeletConfig } from './config.ts';
import { seedContainerdRoot, startContainerd } from './containerd.ts';
import { cgroupHierarchies } from './host.ts';
import {
  type KubernetesService,
  readKubernetesService,
  routeKubernetesService,
} from './kubernetes-service.ts';
import { createNodePki } from './pki.ts';
import { type NodeRunRecord, recordHostState, teardownNode } from './teardown.ts';

export const nodeName = 'steward-node';
// Pod subnets are /24s of this range: away from the service range (10.96.0.0/16) and the usual
// docker/podman bridges.
const podRangePrefix = '10.244';
// Registration, then the first status with a ready runtime and network; slow on a busy 2-core machine.
const nodeReadyTimeoutMs = 120_000;

export interface ClusterWithNode {
  controlPlane: ControlPlane;
  nodeName: string;
  nodeIp: string;
  /**
   * The `kubernetes` Service, which in-cluster clients dial (KUBERNETES_SERVICE_HOST/PORT). There is no
   * kube-proxy; the node routes this one Service to the API server itself (./kubernetes-service.ts).
   */
  kubernetesService: KubernetesService;
  /** The Steward image as the node knows it (imported into containerd). */
  stewardImage: string;
  /** kubelet, kube-scheduler, kubectl. */
  binDir: string;
  /** Milliseconds from start to Node Ready, split by phase, for the benchmarks. */
  timings: Record<string, number>;
  logsDir: string;
  /** The host's state before the node started and the names the node was given. */
  record: NodeRunRecord;
  pids(): number[];
  logs(lines?: number): string;
  /** Stops everything and undoes every host change; resolves with what could not be undone. */
  stop(): Promise<string[]>;
}

/**
 * The address the node registers and its Pods reach this machine on: the source address of the
 * default route (not a bridge of another node), else the first non-loopback IPv4 address.
 */
function hostIp(): string {
  try {
    const route = execFileSync('ip', ['-4', 'route', 'get', '1.1.1.1'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const src = /\bsrc (\S+)/.exec(route)?.[1];
    if (src) return src;
  } catch {
    // No default route (an offline machine): fall back to the interfaces.
  }
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (
        address.family === 'IPv4' &&
        !address.internal &&
        !address.address.startsWith(`${podRangePrefix}.`)
      ) {
        return address.address;
      }
    }
  }
  throw new Error(
    'the node needs a non-loopback IPv4 address (kubelet refuses loopback), and this machine has none',
  );
}

/**
 * A /24 for this node's Pods that no route of the host uses (a second node on the same host, e.g.
 * `make demo` during a test run, has its own bridge). Starts at a random one so two nodes starting
 * at once, before either bridge exists, rarely pick the same.
 */
function freePodSubnet(): string {
  const routes = execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' });
  const start = randomBytes(1)[0] ?? 0;
  for (let step = 0; step < 256; step++) {
    const third = (start + step) % 256;
    if (!routes.includes(`${podRangePrefix}.${third}.`)) return `${podRangePrefix}.${third}.0/24`;
  }
  throw new Error(
    `every /24 of ${podRangePrefix}.0.0/16 is routed already; no subnet left for the node's Pods`,
  );
}

/** kubelet checks that its cgroupRoot exists in every hierarchy; cpuset children start with no CPUs. */
function createCgroupRoot(name: string): void {
  for (const hierarchy of cgroupHierarchies()) {
    const dir = join(hierarchy, name);
    mkdirSync(dir, { recursive: true });
    for (const file of ['cpuset.cpus', 'cpuset.mems']) {
      if (existsSync(join(dir, file))) copyFileSync(join(hierarchy, file), join(dir, file));
    }
  }
}

export interface ClusterWithNodeOptions {
  /** Token identities beyond the admin, the kubelet and the scheduler (e.g. a model's approver). */
  identities?: TokenIdentity[];
}

/**
 * Starts a control plane and one node beside it, the way Kubernetes' hack/local-up-cluster.sh
 * does: kube-scheduler, containerd with runc and the bridge CNI plugin, and kubelet as host
 * processes; the pause and Steward images imported from archives. The API server listens on the
 * host's address, where Pods reach it through the node's bridge, directly or through the `kubernetes`
 * Service's ClusterIP (one iptables rule, in place of kube-proxy). Resolves once the Node is Ready.
 */
export async function startClusterWithNode(
  assets: NodeAssets,
  options: ClusterWithNodeOptions = {},
): Promise<ClusterWithNode> {
  const timings: Record<string, number> = {};
  const started = Date.now();
  const dir = mkdtempSync('/tmp/steward-node-');
  const id = randomBytes(3).toString('hex');
  const record: NodeRunRecord = recordHostState({
    dir,
    cgroupName: `steward-node-${id}`,
    bridge: `stw-${id}`,
    cniNetwork: `steward-${id}`,
  });
  const releaseCleanup = registerCleanup([
    process.execPath,
    '--disable-warning=ExperimentalWarning',
    new URL('./teardown-cli.ts', import.meta.url).pathname,
    join(dir, 'run.json'),
  ]);
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir);
  const running: ManagedProcess[] = [];
  let controlPlane: ControlPlane | undefined;
  const stop = async () => {
    await Promise.all(running.map((p) => p.kill('SIGKILL')));
    running.length = 0;
    const problems = teardownNode(record);
    releaseCleanup();
    await controlPlane?.stop();
    return problems;
  };

  try {
    const nodeIp = hostIp();
    const pki = createNodePki(join(dir, 'pki'), nodeIp, nodeName);
    const kubeletUser = `system:node:${nodeName}`;
    controlPlane = await startControlPlane({
      address: nodeIp,
      kubeletAccess: {
        clientCertFile: pki.apiServerClientCertFile,
        clientKeyFile: pki.apiServerClientKeyFile,
        caFile: pki.caFile,
      },
      identities: [
        { user: kubeletUser, groups: ['system:nodes'] },
        { user: 'system:kube-scheduler', groups: [] },
        ...(options.identities ?? []),
      ],
    });
    timings.controlPlaneMs = Date.now() - started;
    const core = controlPlane.kubeConfig().makeApiClient(CoreV1Api);
    // Before any Pod starts: a Pod's first call to the API server goes to the Service's ClusterIP.
    const kubernetesService = await readKubernetesService(core);
    routeKubernetesService(record.bridge, kubernetesService, {
      host: nodeIp,
      port: Number(new URL(controlPlane.server).port),
    });

    const layout = nodeLayout(dir);
    writeCniConfig(layout, record.cniNetwork, record.bridge, freePodSubnet());
    createCgroupRoot(record.cgroupName);
    const imagesStarted = Date.now();
    await seedContainerdRoot(layout, assets);
    timings.imagesMs = Date.now() - imagesStarted;
    const containerdStarted = Date.now();
    running.push((await startContainerd(layout, assets, join(logsDir, 'containerd.log'))).process);
    timings.containerdMs = Date.now() - containerdStarted;

    const schedulerKubeconfig = controlPlane.kubeconfigFor('system:kube-scheduler');
    running.push(
      startProcess(
        'kube-scheduler',
        join(assets.binDir, 'kube-scheduler'),
        [
          `--kubeconfig=${schedulerKubeconfig}`,
          `--authentication-kubeconfig=${schedulerKubeconfig}`,
          `--authorization-kubeconfig=${schedulerKubeconfig}`,
          '--leader-elect=false',
          // No serving endpoint: nothing scrapes it, and it would need a port and a certificate.
          '--secure-port=0',
          '--v=1',
        ],
        join(logsDir, 'kube-scheduler.log'),
      ),
    );

    const kubeletStarted = Date.now();
    writeKubeletConfig(layout, { nodeIp, port: await freePort(), cgroupRoot: `/${record.cgroupName}`, pki });
    running.push(
      startProcess(
        'kubelet',
        join(assets.binDir, 'kubelet'),
        [
          `--config=${layout.kubeletConfig}`,
          `--kubeconfig=${controlPlane.kubeconfigFor(kubeletUser)}`,
          `--root-dir=${layout.kubeletRootDir}`,
          `--cert-dir=${join(dir, 'kubelet/pki')}`,
          `--hostname-override=${nodeName}`,
          `--node-ip=${nodeIp}`,
          '--v=1',
        ],
        join(logsDir, 'kubelet.log'),
      ),
    );
    await eventually(
      `Node ${nodeName} to become Ready`,
      async () => {
        const node = await core.readNode({ name: nodeName });
        return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') || undefined;
      },
      nodeReadyTimeoutMs,
    );
    timings.kubeletToReadyMs = Date.now() - kubeletStarted;
    timings.totalMs = Date.now() - started;

    const cp = controlPlane;
    return {
      controlPlane: cp,
      nodeName,
      nodeIp,
      kubernetesService,
      stewardImage: assets.stewardImage,
      binDir: assets.binDir,
      timings,
      logsDir,
      record,
      pids: () => [...cp.pids(), ...running.map((p) => p.pid)],
      logs: (lines = 60) => `${cp.logs(lines)}\n${logTails(logsDir, lines)}`,
      stop,
    };
  } catch (err) {
    const detail = existsSync(logsDir) ? logTails(logsDir, 40) : '';
    const problems = await stop();
    throw new Error(
      `the node failed to start: ${(err as Error).message}\n${detail}${problems.length ? `\nteardown: ${problems.join('; ')}` : ''}`,
    );
  }
}
