import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntilGone } from './liveness.ts';

export { isRunning } from './liveness.ts';

let guardian: ChildProcess | undefined;
/** Process groups alive now; killed synchronously if this process exits without stopping them. */
const liveGroups = new Set<number>();
/** Cleanup commands (argv) that must run if this process exits before its harness tore down. */
const pendingCleanups = new Set<string[]>();

process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // The cleanups (e.g. removing a control plane's folder) must not race the dying processes' last writes.
  if (pendingCleanups.size > 0) waitUntilGone(liveGroups);
  for (const [command, ...args] of pendingCleanups) {
    if (command) spawnSync(command, args, { stdio: 'inherit' });
  }
});

/** Starts (once per process) the guardian that reaps our children if this process dies. */
function ensureGuardian(): ChildProcess {
  if (guardian?.connected) return guardian;
  guardian = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', new URL('./guardian.ts', import.meta.url).pathname],
    { detached: true, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  // Neither the guardian nor its channel may keep this process alive.
  guardian.unref();
  guardian.channel?.unref();
  return guardian;
}

/**
 * Makes sure `argv` runs if this process ends before calling the returned release function: from
 * the exit hook, or from the guardian when this process is killed outright. For state that killing
 * processes does not undo (mounts, network devices, cgroups of a node).
 */
export function registerCleanup(argv: string[]): () => void {
  const g = ensureGuardian();
  pendingCleanups.add(argv);
  g.send({ cleanup: argv });
  return () => {
    pendingCleanups.delete(argv);
    if (g.connected) g.send({ releaseCleanup: argv });
  };
}

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<string>;
}

/**
 * Spawns a control-plane binary in its own process group, with stdout and stderr appended to
 * a log file, registered with the guardian so it never outlives the test run.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): ManagedProcess {
  // The child writes straight to the file: no pipe through this process that could fill up or break.
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  const g = ensureGuardian();
  g.send({ watch: pid });
  liveGroups.add(pid);
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      liveGroups.delete(pid);
      if (g.connected) g.send({ release: pid });
      resolve(signal ?? `exit code ${code}`);
    });
    child.on('error', (err) => resolve(`spawn error: ${err.message}`));
  });
  // A running control plane must not keep the test process alive on its own.
  child.unref();
  return {
    name,
    pid,
    logFile,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      // Waiting for the exit must hold the event loop open, or a plain script would quit first.
      child.ref();
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is already gone.
      }
      return exited;
    },
  };
}

/** The last lines of a log file, for printing when something fails. */
function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch (err) {
    return `(no log: ${(err as Error).message})`;
  }
}

/** The last `lines` of every component log in a control plane's logs folder, one block each. */
export function logTails(logsDir: string, lines: number): string {
  return readdirSync(logsDir)
    .filter((file) => file.endsWith('.log'))
    .sort()
    .map((file) => `----- ${file} (last ${lines} lines) -----\n${tail(join(logsDir, file), lines)}`)
    .join('\n');
}

/**
 * Calls `onObject` for every line of a child's stdout that parses as a JSON object; other lines
 * (plain log output) are skipped. Child processes in the tests report what they did this way.
 */
export function onJsonLines(child: ChildProcess, onObject: (object: Record<string, unknown>) => void): void {
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // a log line, not a report
      }
      if (typeof parsed === 'object' && parsed !== null) onObject(parsed as Record<string, unknown>);
    }
  });
}
