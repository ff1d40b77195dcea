import { beforeEach, inject } from 'vitest';
import { logTails } from './processes.ts';

// Lines per component: enough to see the failing request and its neighbours.
const logLines = 40;
let printed = false;

/** Prints the cluster's recent logs (control plane, and the node in the e2e tier) once per test file, when its first test fails. */
beforeEach((context) => {
  context.onTestFailed(() => {
    const logsDirs = [inject('stewardControlPlane').logsDir, inject('stewardNode')?.logsDir].filter(Boolean);
    if (printed || logsDirs.length === 0) return;
    printed = true;
    const tails = logsDirs.map((dir) => logTails(dir ?? '', logLines)).join('\n');
    console.error(`cluster logs after the failure of "${context.task.name}":\n${tails}`);
  });
});
