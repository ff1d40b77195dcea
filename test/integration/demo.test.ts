import { describe, expect, it } from 'vitest';
import { demoSteps, runDemo } from '../demo-run.ts';

describe('make demo', () => {
  it('plays every step of the fraud-scoring scenario without a terminal and exits 0', async () => {
    // The integration tier runs no node; test/e2e/demo.test.ts plays the demo with one.
    const { code, output } = await runDemo({ ...process.env, STEWARD_DEMO_NODE: 'false' });
    for (const { step, shows } of demoSteps) expect(output, step).toMatch(shows);
    expect(code, output).toBe(0);
  }, 180_000);
});
