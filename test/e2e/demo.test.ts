import { accessSync, constants } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoSteps, runDemo } from '../demo-run.ts';

// A control plane, a node with the image imported, the operator and the scenario on 2 busy cores: steps 5
// and 6 each wait up to 4 minutes for their Pods (RETRAIN_RUN_TIMEOUT_MS); a quiet run takes a few minutes.
const demoTimeoutMs = 900_000;

// The demo starts its own cluster; against an existing one there is nothing of it to test.
describe.skipIf(process.env.USE_EXISTING_CLUSTER === 'true')('make demo with a node', () => {
  it(
    'plays every step of the scenario on a cluster with a Ready node and prints a kubectl line that names a real kubectl',
    async () => {
      const { code, output } = await runDemo(process.env);
      expect(output).toMatch(/node: +steward-node Ready \(kubelet, containerd, runc, bridge CNI\)/);
      for (const { step, shows } of demoSteps) expect(output, step).toMatch(shows);
      const kubectl = /try: (\S+) --kubeconfig/.exec(output)?.[1] ?? '';
      expect(() => accessSync(kubectl, constants.X_OK), output).not.toThrow();
      expect(output).not.toContain('node teardown:');
      expect(code, output).toBe(0);
    },
    demoTimeoutMs,
  );
});
