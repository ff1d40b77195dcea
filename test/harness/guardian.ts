// The guardian: a detached process that kills the control plane's process groups when the
// process that started them dies without cleaning up (SIGKILL, a crash, an interrupted
// vitest), then runs any registered cleanup commands (a node's teardown). It learns both over
// an IPC channel; the channel closing means the parent is gone. Run as `node guardian.ts`,
// never imported by tests.

import { spawnSync } from 'node:child_process';
import { waitUntilGone } from './liveness.ts';

const groups = new Set<number>();
/** Cleanup commands (argv, keyed by their JSON) to run after the groups are gone. */
const cleanups = new Map<string, string[]>();

function killAll(): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone: exactly what we want.
    }
  }
  // A cleanup such as removing the control plane's folder must not race the dying processes' last writes.
  waitUntilGone(groups);
  groups.clear();
  for (const [command, ...args] of cleanups.values()) {
    if (command) spawnSync(command, args, { stdio: 'inherit' });
  }
  cleanups.clear();
}

interface GuardianMessage {
  watch?: number;
  release?: number;
  cleanup?: string[];
  releaseCleanup?: string[];
}

process.on('message', (message: GuardianMessage) => {
  if (typeof message.watch === 'number') groups.add(message.watch);
  if (typeof message.release === 'number') groups.delete(message.release);
  if (message.cleanup) cleanups.set(JSON.stringify(message.cleanup), message.cleanup);
  if (message.releaseCleanup) cleanups.delete(JSON.stringify(message.releaseCleanup));
});

process.on('disconnect', () => {
  killAll();
  process.exit(0);
});

// The guardian itself must survive the terminal's Ctrl-C long enough to clean up.
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
