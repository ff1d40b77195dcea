import { describe, expect, it } from 'vitest';
import { runDemo } from '../demo-run.ts';

describe('make demo', () => {
  it('plays the fraud-scoring scenario end to end without a terminal and exits 0', async () => {
    // The integration tier runs no node; test/e2e/demo.test.ts plays the demo with one.
    const { code, output } = await runDemo({ ...process.env, STEWARD_DEMO_NODE: 'false' });
    expect(output).toContain('OutputContract fraud-score 2.1.0: Ready');
    expect(output).toContain('BreakingChangeWithoutMajorBump');
    expect(output).toContain('breaking: model_version field-removed');
    expect(output).toContain('Outcome: Steward flagged the breaking change');
    expect(code, output).toBe(0);
  }, 180_000);
});
