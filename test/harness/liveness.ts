// Process liveness, without side effects, so the guardian (a plain `node guardian.ts`) can use it too.

import { readFileSync } from 'node:fs';

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z is a zombie, which has already exited.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

// A SIGKILLed process is gone within milliseconds; this bounds the wait should one hang in the kernel
// (uninterruptible I/O), so a cleanup still runs, late rather than never.
const KILLED_GONE_TIMEOUT_MS = 5_000;
const POLL_MS = 20;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks (synchronously: it also runs in exit hooks) until none of `pids` runs any more. A kill only
 * sends the signal, and a cleanup such as removing the folder an etcd writes to must not race the
 * process's last writes ("directory not empty").
 */
export function waitUntilGone(pids: Iterable<number>): void {
  const deadline = Date.now() + KILLED_GONE_TIMEOUT_MS;
  let alive = [...pids].filter(isRunning);
  while (alive.length > 0 && Date.now() < deadline) {
    Atomics.wait(sleeper, 0, 0, POLL_MS);
    alive = alive.filter(isRunning);
  }
}
