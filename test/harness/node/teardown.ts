import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  cgroupHierarchies,
  hostPaths,
  iptablesRules,
  linkNames,
  linksOnBridge,
  mountPoints,
  processesMentioning,
  readSysctls,
} from './host.ts';

/**
 * The host's state before a node started, plus the names the node was given. Written to the
 * node's folder before anything starts, so a teardown after a crash (the guardian runs
 * `teardown-cli.ts` with this file) knows what to restore.
 */
export interface NodeRunRecord {
  dir: string;
  cgroupName: string;
  bridge: string;
  cniNetwork: string;
  sysctls: Record<string, string>;
  preexistingHostPaths: string[];
  mountsBefore: string[];
  linksBefore: string[];
  iptablesBefore: { v4: string[]; v6: string[] };
}

export function recordHostState(
  names: Pick<NodeRunRecord, 'dir' | 'cgroupName' | 'bridge' | 'cniNetwork'>,
): NodeRunRecord {
  const record: NodeRunRecord = {
    ...names,
    sysctls: readSysctls(),
    preexistingHostPaths: hostPaths.filter((path) => existsSync(path)),
    mountsBefore: mountPoints(),
    linksBefore: linkNames(),
    iptablesBefore: iptablesRules(),
  };
  writeFileSync(join(names.dir, 'run.json'), JSON.stringify(record, null, 2));
  return record;
}

// Killed processes leave within milliseconds; a loaded 2-core machine may take a few seconds.
const settleTimeoutMs = 15_000;
const settleStepMs = 50;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // Already gone, or never made: the end state is what counts, and it is checked below.
  }
}

/** Every cgroup folder of the node (its cgroupRoot and what kubelet made below it), deepest first. */
function nodeCgroups(record: NodeRunRecord): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
    }
    found.push(dir);
  };
  for (const hierarchy of cgroupHierarchies()) {
    const root = join(hierarchy, record.cgroupName);
    if (existsSync(root)) walk(root);
  }
  return found;
}

/** SIGKILLs the node's daemons (their command lines name its folder) and every process in its cgroups. */
function killEverything(record: NodeRunRecord): string[] {
  const deadline = Date.now() + settleTimeoutMs;
  for (;;) {
    const pids = new Set(processesMentioning(record.dir).map((line) => Number(line.split(' ')[0])));
    for (const cgroup of nodeCgroups(record)) {
      quietly(() => {
        for (const pid of readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean))
          pids.add(Number(pid));
      });
    }
    if (pids.size === 0) return [];
    if (Date.now() > deadline) return [`processes still alive: ${[...pids].join(', ')}`];
    for (const pid of pids) quietly(() => process.kill(pid, 'SIGKILL'));
    sleepSync(settleStepMs);
  }
}

function isNodeMount(record: NodeRunRecord, mountPoint: string): boolean {
  const under = (root: string) => mountPoint === root || mountPoint.startsWith(`${root}/`);
  return !record.mountsBefore.includes(mountPoint) && [record.dir, ...hostPaths].some(under);
}

/** Unmounts (lazily: a mount's users are gone, but the kernel may still be releasing it) deepest first. */
function unmountAll(record: NodeRunRecord): string[] {
  // Mounts stack (kubelet bind-mounts its root folder onto itself), so go round until none is left.
  for (let round = 0; round < 5; round++) {
    const mounts = mountPoints()
      .filter((mp) => isNodeMount(record, mp))
      .sort((a, b) => b.length - a.length);
    if (mounts.length === 0) return [];
    for (const mp of mounts) quietly(() => execFileSync('umount', ['-l', mp], { stdio: 'ignore' }));
  }
  const left = mountPoints().filter((mp) => isNodeMount(record, mp));
  return left.length === 0 ? [] : [`mounts left: ${left.join(', ')}`];
}

/** The Pods' veths (already gone once their network namespaces are), then the bridge. */
function removeNetwork(record: NodeRunRecord): string[] {
  const links = [...linksOnBridge(record.bridge), record.bridge];
  for (const link of links) quietly(() => execFileSync('ip', ['link', 'delete', link], { stdio: 'ignore' }));
  const left = linkNames().filter((name) => links.includes(name));
  return left.length === 0 ? [] : [`links left: ${left.join(', ')}`];
}

/**
 * Deletes the rules and chains the node added (kubelet's KUBE-* chains, the CNI plugins' CNI-*
 * ones, rules naming the node's bridge, such as its `kubernetes` Service rule) with `iptables-restore --noflush`, leaving every other
 * rule of the host alone.
 */
function removeIptables(record: NodeRunRecord): string[] {
  const problems: string[] = [];
  const isOurs = (line: string) => /\b(KUBE|CNI)-/.test(line) || line.includes(record.bridge);
  const now = iptablesRules();
  for (const [family, restore] of [
    ['v4', 'iptables-restore'],
    ['v6', 'ip6tables-restore'],
  ] as const) {
    const before = new Set(record.iptablesBefore[family]);
    const script: string[] = [];
    let table = '';
    let changes: string[] = [];
    const newChains: string[] = [];
    const flushTable = () => {
      if (table && changes.length + newChains.length > 0) {
        script.push(
          `*${table}`,
          ...changes,
          ...newChains.map((c) => `-F ${c}`),
          ...newChains.map((c) => `-X ${c}`),
        );
        script.push('COMMIT');
      }
      changes = [];
      newChains.length = 0;
    };
    for (const line of now[family]) {
      if (line.startsWith('*')) {
        flushTable();
        table = line.slice(1);
      } else if (line.startsWith(':') && !before.has(line) && isOurs(line)) {
        newChains.push(line.slice(1).split(' ')[0] ?? '');
      } else if (line.startsWith('-A ') && !before.has(line) && isOurs(line)) {
        changes.push(`-D ${line.slice(3)}`);
      }
    }
    flushTable();
    if (script.length === 0) continue;
    try {
      // -w: another node on this host may be changing the rules at the same moment.
      execFileSync(restore, ['-w', '--noflush'], {
        input: `${script.join('\n')}\n`,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
    } catch (err) {
      problems.push(`${restore} failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
    }
  }
  return problems;
}

function restoreSysctls(record: NodeRunRecord): void {
  const now = readSysctls();
  for (const [key, value] of Object.entries(record.sysctls)) {
    if (now[key] !== value) quietly(() => writeFileSync(`/proc/sys/${key}`, value));
  }
}

function removeCgroups(record: NodeRunRecord): string[] {
  const deadline = Date.now() + settleTimeoutMs;
  for (;;) {
    // A cgroup whose last process has just died can refuse rmdir (EBUSY) for a moment.
    for (const cgroup of nodeCgroups(record)) quietly(() => rmdirSync(cgroup));
    const left = nodeCgroups(record);
    if (left.length === 0) return [];
    if (Date.now() > deadline) return [`cgroups left: ${left.join(', ')}`];
    sleepSync(settleStepMs);
  }
}

/** Live unix socket paths, so a shared folder's stale sockets can be told from another daemon's. */
function listeningUnixSockets(): Set<string> {
  const lines = readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1);
  return new Set(lines.map((line) => line.trim().split(/\s+/)[7] ?? '').filter(Boolean));
}

/**
 * Host paths that did not exist before go entirely. In ones that did (another runtime on the
 * host), only what is provably the node's goes: links into its folder, files named after its
 * CNI network, and shim sockets no process listens on any more.
 */
function removeHostFiles(record: NodeRunRecord): void {
  for (const path of hostPaths) {
    if (!record.preexistingHostPaths.includes(path)) {
      quietly(() => rmSync(path, { recursive: true, force: true }));
    }
  }
  const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []);
  for (const link of entries('/var/log/containers')) {
    quietly(() => {
      if (lstatSync(link).isSymbolicLink() && readlinkSync(link).startsWith(record.dir)) rmSync(link);
    });
  }
  for (const file of [...entries('/var/lib/cni/results'), ...entries('/var/lib/cni/networks')]) {
    if (file.includes(record.cniNetwork)) quietly(() => rmSync(file, { recursive: true, force: true }));
  }
  const live = listeningUnixSockets();
  for (const socket of entries('/run/containerd/s')) {
    if (!live.has(socket)) quietly(() => rmSync(socket, { force: true }));
  }
}

/**
 * Removes everything a node made: processes (daemons, shims, containers), mounts (volumes,
 * snapshots, network namespaces), the bridge and veths, iptables rules, cgroups, files outside its folder, its folder;
 * and restores the kernel settings it changed. Synchronous, so it also runs from an exit hook.
 * Returns what could not be removed (empty when the host is back to where it was).
 */
export function teardownNode(record: NodeRunRecord): string[] {
  const problems = [...killEverything(record), ...unmountAll(record), ...removeNetwork(record)];
  problems.push(...removeIptables(record));
  restoreSysctls(record);
  problems.push(...removeCgroups(record));
  removeHostFiles(record);
  quietly(() => rmSync(record.dir, { recursive: true, force: true }));
  if (existsSync(record.dir)) problems.push(`folder left: ${record.dir}`);
  return problems;
}

export function readRunRecord(file: string): NodeRunRecord {
  return JSON.parse(readFileSync(file, 'utf8')) as NodeRunRecord;
}
