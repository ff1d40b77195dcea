import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// What a node changes on its host outside its own folder, and how to read each of those now.
// The teardown undoes exactly these; the teardown test compares them before and after a run.

/**
 * Paths the kubelet, containerd and the CNI plugins write to whatever they are told: kubelet's
 * device-plugin socket and /var/log/containers links, containerd's shim sockets, libcni's cache,
 * the network namespaces' bind mounts, containerd's `opt` folder.
 */
export const hostPaths = [
  '/var/lib/kubelet',
  '/var/log/containers',
  '/var/log/pods',
  '/run/containerd',
  '/var/lib/cni',
  '/run/netns',
  '/opt/containerd',
] as const;

/**
 * Kernel settings a node changes: the bridge plugin turns on forwarding; kubelet sets its
 * "kernel defaults" (overcommit, panic on oops, key quotas) unless told to only check them.
 */
export const nodeSysctls = [
  'net/ipv4/ip_forward',
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
] as const;

export const cgroupRoot = '/sys/fs/cgroup';

export function readSysctls(): Record<string, string> {
  return Object.fromEntries(nodeSysctls.map((key) => [key, readFileSync(`/proc/sys/${key}`, 'utf8').trim()]));
}

/** Mount points, from this process's mount table (the host's: the harness runs in the host namespace). */
export function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '));
}

export function linkNames(): string[] {
  const out = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => (line.split(': ')[1] ?? '').split('@')[0] ?? '');
}

/** The interfaces enslaved to a bridge (a node's Pod veths). */
export function linksOnBridge(bridge: string): string[] {
  try {
    return execFileSync('ip', ['-o', 'link', 'show', 'master', bridge], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter(Boolean)
      .map((line) => (line.split(': ')[1] ?? '').split('@')[0] ?? '');
  } catch {
    return []; // no such bridge
  }
}

/** `iptables-save` of IPv4 and IPv6, one array each; comment and counter lines dropped. */
export function iptablesRules(): { v4: string[]; v6: string[] } {
  const save = (command: string) => {
    try {
      return execFileSync(command, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.replace(/ \[\d+:\d+\]$/, ''));
    } catch {
      return []; // no iptables on this machine: nothing to compare or undo
    }
  };
  return { v4: save('iptables-save'), v6: save('ip6tables-save') };
}

/** The cgroup hierarchies mounted under /sys/fs/cgroup (v1: one per controller; v2: the root itself). */
export function cgroupHierarchies(): string[] {
  if (existsSync(join(cgroupRoot, 'cgroup.controllers'))) return [cgroupRoot];
  return readdirSync(cgroupRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(cgroupRoot, entry.name))
    .filter((dir) => existsSync(join(dir, 'cgroup.procs')));
}

/** Processes whose command line mentions `needle`, as "pid command". */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const zombie = stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
      if (!zombie && cmdline.includes(needle) && Number(pid) !== process.pid) found.push(`${pid} ${cmdline}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
