import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import type { NodePki } from './pki.ts';

// The node's configuration files, all inside its own folder. Each setting that departs from a
// default says why; most exist so the node writes nowhere else, or because this machine kind (a VM
// sandbox: cgroup v1, no swap accounting, no CAP_SYS_RESOURCE) needs it.

export interface NodeLayout {
  dir: string;
  containerdSocket: string;
  containerdConfig: string;
  cniConfDir: string;
  kubeletConfig: string;
  kubeletRootDir: string;
}

export function nodeLayout(dir: string): NodeLayout {
  return {
    dir,
    containerdSocket: join(dir, 'containerd/containerd.sock'),
    containerdConfig: join(dir, 'containerd/config.toml'),
    cniConfDir: join(dir, 'cni/net.d'),
    kubeletConfig: join(dir, 'kubelet/config.yaml'),
    kubeletRootDir: join(dir, 'kubelet/root'),
  };
}

export function writeContainerdConfig(
  layout: NodeLayout,
  runtimeDir: string,
  pauseImage: string,
  cniBinDir: string,
): void {
  const state = join(layout.dir, 'containerd/state');
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  const toml = `version = 2
root = "${join(layout.dir, 'containerd/root')}"
state = "${state}"
# Storage back ends this node never uses; skipping them keeps start-up quiet and fast.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]

[grpc]
  address = "${layout.containerdSocket}"

[plugins."io.containerd.internal.v1.opt"]
  path = "${join(layout.dir, 'containerd/opt')}"

[${cri}]
  # Imported from a local archive: no registry is reachable.
  sandbox_image = "${pauseImage}"
  # The sandbox drops CAP_SYS_RESOURCE: a negative OOM score adjustment makes runc fail with
  # "can't get final child's PID from pipe: EOF". Containers keep their score instead.
  restrict_oom_score_adj = true
  # Network namespaces under the node's own state folder instead of /run/netns.
  netns_mounts_under_state_dir = true
  [${cri}.cni]
    bin_dir = "${cniBinDir}"
    conf_dir = "${layout.cniConfDir}"
  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
  [${cri}.containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
  [${cri}.containerd.runtimes.runc.options]
    # kubelet uses the cgroupfs driver (no systemd on this machine).
    SystemdCgroup = false
    BinaryName = "${join(runtimeDir, 'usr/sbin/runc')}"
    Root = "${join(state, 'runc')}"
`;
  mkdirSync(join(layout.dir, 'containerd'), { recursive: true });
  writeFileSync(layout.containerdConfig, toml);
}

/**
 * The pod network: one bridge with host-local addresses; no masquerading, so the CNI plugins add no iptables
 * rules (the node's one rule routes the `kubernetes` Service: ./kubernetes-service.ts).
 */
export function writeCniConfig(layout: NodeLayout, network: string, bridge: string, podSubnet: string): void {
  mkdirSync(layout.cniConfDir, { recursive: true });
  const conflist = {
    cniVersion: '1.0.0',
    name: network,
    plugins: [
      {
        type: 'bridge',
        bridge,
        // The bridge is the pods' gateway, and the way they reach the host's own addresses.
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: podSubnet }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: join(layout.dir, 'cni/ipam'),
        },
      },
    ],
  };
  writeFileSync(join(layout.cniConfDir, '10-steward.conflist'), JSON.stringify(conflist, null, 2));
}

export interface KubeletSettings {
  nodeIp: string;
  port: number;
  cgroupRoot: string;
  pki: NodePki;
}

export function writeKubeletConfig(layout: NodeLayout, settings: KubeletSettings): void {
  const config = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: settings.nodeIp,
    port: settings.port,
    readOnlyPort: 0,
    // No health endpoint: the harness watches the Node's Ready condition instead.
    healthzPort: 0,
    tlsCertFile: settings.pki.kubeletCertFile,
    tlsPrivateKeyFile: settings.pki.kubeletKeyFile,
    // The API server proves itself with its client certificate; everyone else is asked about.
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: settings.pki.caFile },
    },
    authorization: { mode: 'Webhook' },
    containerRuntimeEndpoint: `unix://${layout.containerdSocket}`,
    cgroupDriver: 'cgroupfs',
    // Every pod cgroup under one folder per run, so teardown finds them all.
    cgroupRoot: settings.cgroupRoot,
    // This machine has cgroup v1 only; kubelet would refuse it otherwise (it then warns).
    failCgroupV1: false,
    failSwapOn: false,
    podLogsDir: join(layout.dir, 'pod-logs'),
    // The KUBE-IPTABLES-HINT chain only informs kube-proxy-like components; this node has none,
    // so kubelet leaves the host's iptables alone.
    makeIPTablesUtilChains: false,
    // No cluster DNS on this node: Pods use the host's resolver.
    resolvConf: '/etc/resolv.conf',
    clusterDomain: 'cluster.local',
    // Evict only when the machine is nearly out of memory or disk: test Pods are small and short,
    // and a busy CI disk (the default threshold is 10% free) must not turn a test into an eviction.
    evictionHard: {
      'memory.available': '100Mi',
      'nodefs.available': '1%',
      'imagefs.available': '1%',
      'nodefs.inodesFree': '1%',
    },
    // Images are imported, not pulled: never garbage-collect them.
    imageGCHighThresholdPercent: 100,
    // Report Pod and node changes promptly; the tests wait on them.
    nodeStatusUpdateFrequency: '4s',
    syncFrequency: '10s',
    registerNode: true,
    rotateCertificates: false,
  };
  mkdirSync(join(layout.dir, 'kubelet'), { recursive: true });
  writeFileSync(layout.kubeletConfig, dump(config));
}
