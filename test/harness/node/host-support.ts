import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupHierarchies } from './host.ts';

/**
 * Why this machine cannot host the end-to-end node, or undefined when it can. The node's
 * processes mount filesystems, create network namespaces and cgroups: root on Linux, with the
 * cgroup controllers kubelet requires and overlayfs for containerd's snapshots.
 */
export function whyNodeCannotRun(): string | undefined {
  if (process.platform !== 'linux')
    return `kubelet and containerd run as Linux host processes; this is ${process.platform}`;
  if (process.getuid?.() !== 0) {
    return 'the node needs root (mounts, network namespaces, cgroups); run as root, or run the suite against kind with USE_EXISTING_CLUSTER=true';
  }
  const hierarchies = cgroupHierarchies();
  const v2 = hierarchies.length === 1 && existsSync(join(hierarchies[0] ?? '', 'cgroup.controllers'));
  const controllers = v2
    ? readFileSync(join(hierarchies[0] ?? '', 'cgroup.controllers'), 'utf8').split(/\s+/)
    : hierarchies.flatMap((h) => (h.split('/').pop() ?? '').split(','));
  const missing = ['cpu', 'memory', 'pids'].filter((c) => !controllers.includes(c));
  if (missing.length > 0)
    return `kubelet needs the cgroup controllers ${missing.join(', ')}, which /sys/fs/cgroup lacks`;
  if (!/\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'))) {
    return 'containerd needs the overlay filesystem, which this kernel does not offer (/proc/filesystems)';
  }
  return undefined;
}
