import { describe, expect, it } from 'vitest';
import { demoSteps, runDemo } from '../demo-run.ts';

describe('make demo', () => {
  it('plays every step a cluster without a node can show, says which need the node, and exits 0', async () => {
    // The integration tier runs no node; test/e2e/demo.test.ts plays the demo with one.
    const { code, output } = await runDemo({ ...process.env, STEWARD_DEMO_NODE: 'false' });
    for (const { step, shows } of demoSteps.filter((s) => !s.needsNode)) expect(output, step).toMatch(shows);
    expect(output).toContain(
      '5. and 6. need a node (the drift check, train and validate Jobs run as Pods): skipped',
    );
    expect(code, output).toBe(0);
  }, 180_000);
});
