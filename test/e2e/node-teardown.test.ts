import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, isRunning } from '../harness/index.ts';
import {
  cgroupHierarchies,
  iptablesRules,
  linkNames,
  mountPoints,
  processesMentioning,
  readSysctls,
} from '../harness/node/host.ts';
import type { KubernetesService } from '../harness/node/kubernetes-service.ts';
import type { NodeRunRecord } from '../harness/node/teardown.ts';

// A second node beside the suite's own: each has its own folder, cgroup root, bridge and CNI
// network, so what this one leaves behind can be told from the other's work.
const lifecycle = new URL('./fixtures/node-lifecycle.ts', import.meta.url).pathname;
// Starting a control plane and a node, then a Pod, on a loaded 2-core machine.
const startTimeoutMs = 240_000;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

interface Started {
  record: NodeRunRecord;
  veths: string[];
  pids: number[];
  kubernetesService: KubernetesService;
  /** The API server's URL. */
  apiServer: string;
}

async function startNodeWithPod(): Promise<{
  child: ChildProcess;
  started: Started;
  lines: AsyncIterator<string>;
}> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', lifecycle], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the node lifecycle fixture exited before its node was up');
  return { child, started: JSON.parse(first.value) as Started, lines };
}

interface Leftovers {
  processes: string[];
  mounts: string[];
  links: string[];
  cgroups: string[];
  iptables: string[];
  sysctls: string[];
  files: string[];
}

/** Everything of the node still on the host, by kind; each list is empty when teardown was complete. */
function leftovers({ record, veths, pids }: Started): Leftovers {
  const under = (path: string) => path === record.dir || path.startsWith(`${record.dir}/`);
  const now = iptablesRules();
  return {
    processes: [...pids.filter(isRunning).map(String), ...processesMentioning(record.dir)],
    mounts: mountPoints().filter(under),
    links: linkNames().filter((name) => name === record.bridge || veths.includes(name)),
    cgroups: cgroupHierarchies()
      .map((h) => join(h, record.cgroupName))
      .filter(existsSync),
    iptables: [
      ...now.v4.filter((rule) => !record.iptablesBefore.v4.includes(rule)),
      ...now.v6.filter((rule) => !record.iptablesBefore.v6.includes(rule)),
    ],
    sysctls: Object.entries(readSysctls())
      .filter(([key, value]) => record.sysctls[key] !== value)
      .map(([key, value]) => `${key}=${value} (was ${record.sysctls[key]})`),
    files: [
      ...(existsSync(record.dir) ? [record.dir] : []),
      ...(existsSync('/var/log/containers') ? readdirSync('/var/log/containers') : [])
        .map((name) => join('/var/log/containers', name))
        .filter((link) => under(readlinkSync(link))),
      ...['results', 'networks'].flatMap((sub) =>
        (existsSync(`/var/lib/cni/${sub}`) ? readdirSync(`/var/lib/cni/${sub}`) : []).filter((name) =>
          name.includes(record.cniNetwork),
        ),
      ),
    ],
  };
}

/** The node's one iptables rule, its `kubernetes` Service route, in iptables-save's form. */
function serviceRule({ record, kubernetesService, apiServer }: Started): string {
  const { hostname, port } = new URL(apiServer);
  return (
    `-A PREROUTING -d ${kubernetesService.clusterIp}/32 -i ${record.bridge} -p tcp -m tcp --dport ${kubernetesService.port} ` +
    `-m comment --comment "steward node ${record.bridge}: the kubernetes Service" -j DNAT --to-destination ${hostname}:${port}`
  );
}

const nothingLeft: Leftovers = {
  processes: [],
  mounts: [],
  links: [],
  cgroups: [],
  iptables: [],
  sysctls: [],
  files: [],
};

// Against an existing cluster there is no local node to stop.
describe.skipIf(process.env.USE_EXISTING_CLUSTER === 'true')('stopping a node leaves nothing behind', () => {
  it(
    'after a normal stop, with a container still running: processes, mounts, links, rules, cgroups, settings, files',
    async () => {
      const { child, started, lines } = await startNodeWithPod();
      // The node really made what teardown must remove.
      expect(leftovers(started).mounts.length).toBeGreaterThan(0);
      expect(leftovers(started).links).toContain(started.record.bridge);
      expect(started.veths.length).toBe(1);
      expect(leftovers(started).iptables).toEqual([serviceRule(started)]);
      child.stdin?.write('stop\n');
      const last = await lines.next();
      const { problems } = JSON.parse(last.value ?? '{}') as { problems: string[] };
      expect(problems).toEqual([]);
      expect(leftovers(started)).toEqual(nothingLeft);
    },
    startTimeoutMs,
  );

  it(
    'when the process that started it is killed outright (the guardian tears down)',
    async () => {
      const { child, started } = await startNodeWithPod();
      expect(leftovers(started).processes.length).toBeGreaterThan(0);
      expect(leftovers(started).iptables).toEqual([serviceRule(started)]);
      // No handler runs on SIGKILL: only the guardian can clean up.
      child.kill('SIGKILL');
      const left = await eventually(
        () => `the guardian to tear the node down (left: ${JSON.stringify(leftovers(started))})`,
        async () => {
          const now = leftovers(started);
          return JSON.stringify(now) === JSON.stringify(nothingLeft) ? now : undefined;
        },
        60_000,
      );
      expect(left).toEqual(nothingLeft);
    },
    startTimeoutMs,
  );
});
