// The guardian: a detached process that kills the control plane's process groups when the
// process that started them dies without cleaning up (SIGKILL, a crash, an interrupted
// vitest). It learns the groups over an IPC channel; the channel closing means the parent
// is gone. Run as `node guardian.ts`, never imported by tests.

const groups = new Set<number>();

function killAll(): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone: exactly what we want.
    }
  }
  groups.clear();
}

process.on('message', (message: { watch?: number; release?: number }) => {
  if (typeof message.watch === 'number') groups.add(message.watch);
  if (typeof message.release === 'number') groups.delete(message.release);
});

process.on('disconnect', () => {
  killAll();
  process.exit(0);
});

// The guardian itself must survive the terminal's Ctrl-C long enough to clean up.
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
