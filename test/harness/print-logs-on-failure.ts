import { beforeEach, inject } from 'vitest';
import { logTails } from './processes.ts';

// Lines per component: enough to see the failing request and its neighbours.
const logLines = 40;
let printed = false;

/** Prints the control plane's recent logs once per test file, when its first test fails. */
beforeEach((context) => {
  context.onTestFailed(() => {
    const { logsDir } = inject('stewardControlPlane');
    if (printed || !logsDir) return;
    printed = true;
    console.error(
      `control-plane logs after the failure of "${context.task.name}":\n${logTails(logsDir, logLines)}`,
    );
  });
});
