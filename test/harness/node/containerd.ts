import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../eventually.ts';
import { type ManagedProcess, startProcess } from '../processes.ts';
import type { NodeAssets } from './assets.ts';
import { type NodeLayout, nodeLayout, writeContainerdConfig } from './config.ts';

const execFileAsync = promisify(execFile);
const containerdReadyTimeoutMs = 30_000;
// containerd's two bolt databases: written in place, so each root needs its own copy (not a link).
const boltDatabases = [
  'io.containerd.metadata.v1.bolt/meta.db',
  'io.containerd.snapshotter.v1.overlayfs/metadata.db',
];

export interface RunningContainerd {
  process: ManagedProcess;
  /** Runs `ctr` against this containerd. */
  ctr(...args: string[]): Promise<{ stdout: string }>;
}

/** Starts containerd with the layout's configuration and waits until it answers. */
export async function startContainerd(
  layout: NodeLayout,
  assets: NodeAssets,
  logFile: string,
): Promise<RunningContainerd> {
  writeContainerdConfig(layout, assets.runtimeDir, assets.pauseImage, join(assets.runtimeDir, 'usr/lib/cni'));
  // containerd finds its shim, and the shim runc, on PATH.
  const path = `${join(assets.runtimeDir, 'usr/bin')}:${join(assets.runtimeDir, 'usr/sbin')}:${process.env.PATH}`;
  const env = { ...process.env, PATH: path };
  const containerd = join(assets.runtimeDir, 'usr/bin/containerd');
  const proc = startProcess('containerd', containerd, ['--config', layout.containerdConfig], logFile, env);
  const ctr = (...args: string[]) =>
    execFileAsync(join(assets.runtimeDir, 'usr/bin/ctr'), ['--address', layout.containerdSocket, ...args], {
      env,
    });
  try {
    await eventually(
      'containerd to answer',
      async () => (await ctr('version')) && true,
      containerdReadyTimeoutMs,
    );
  } catch (err) {
    await proc.kill('SIGKILL');
    throw err;
  }
  return { process: proc, ctr };
}

// Clones and worktrees share the cache, each with its own image: as many seeds as image.sh keeps images.
const seedsKept = 6;

/** Drops all but the most recently used seeds. */
function pruneSeeds(): void {
  const seeds = readdirSync(seedsDir())
    .filter((name) => /^containerd-seed-[0-9a-f]+$/.test(name))
    .map((name) => ({ path: join(seedsDir(), name), used: statSync(join(seedsDir(), name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { path } of seeds.slice(seedsKept)) rmSync(path, { recursive: true, force: true });
}

function seedsDir(): string {
  return join(process.env.STEWARD_CACHE || join(homedir(), '.cache/steward'), 'node');
}

/**
 * Imports the pause and Steward images into a fresh containerd root once, and keeps that root in
 * the cache, keyed by the archives (whose names carry their content hashes) and the containerd build.
 * Importing 230 MB takes 15-40 s on a busy 2-core machine; linking a kept root takes about a second.
 */
async function ensureSeed(assets: NodeAssets): Promise<string> {
  const key = createHash('sha256')
    .update(
      [assets.pauseArchive, assets.stewardArchive, assets.runtimeDir].map((p) => basename(p)).join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  const seed = join(seedsDir(), `containerd-seed-${key}`);
  if (existsSync(seed)) {
    // Marks it recently used, so pruning keeps it.
    utimesSync(seed, new Date(), new Date());
    return seed;
  }
  // Built in a short folder: containerd's socket path must fit a unix socket address (108 bytes).
  const partial = mkdtempSync('/tmp/steward-seed-');
  try {
    const layout = nodeLayout(partial);
    const containerd = await startContainerd(layout, assets, join(partial, 'containerd.log'));
    try {
      // The k8s.io namespace is where the CRI plugin (so kubelet) looks for images.
      for (const archive of [assets.pauseArchive, assets.stewardArchive]) {
        await containerd.ctr('--namespace', 'k8s.io', 'images', 'import', archive);
      }
    } finally {
      await containerd.process.kill('SIGTERM');
    }
    // Moved into the cache under a temporary name, then renamed: a seed is complete or absent.
    const incoming = mkdtempSync(`${seed}.incoming-`);
    execFileSync('mv', [join(partial, 'containerd/root'), join(incoming, 'root')]);
    try {
      renameSync(incoming, seed);
    } catch {
      // Another run made the same seed meanwhile: theirs is as good.
      rmSync(incoming, { recursive: true, force: true });
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  pruneSeeds();
  return seed;
}

/**
 * Gives the node's containerd a root that already holds the pause and Steward images: hard links
 * to the cached seed's files (image content and layers are never written in place), with private
 * copies of the databases.
 */
export async function seedContainerdRoot(layout: NodeLayout, assets: NodeAssets): Promise<void> {
  const seed = await ensureSeed(assets);
  const root = join(layout.dir, 'containerd/root');
  mkdirSync(join(layout.dir, 'containerd'), { recursive: true });
  try {
    execFileSync('cp', ['-a', '--link', join(seed, 'root'), root], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch {
    // The cache and the node's folder are on different filesystems: copy instead.
    rmSync(root, { recursive: true, force: true });
    execFileSync('cp', ['-a', join(seed, 'root'), root]);
  }
  for (const db of boltDatabases) {
    rmSync(join(root, db));
    execFileSync('cp', ['-a', join(seed, 'root', db), join(root, db)]);
  }
}
