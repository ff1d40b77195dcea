import { describe, expect, it } from 'vitest';
import { runDemo } from '../demo-run.ts';

describe('make demo', () => {
  it('plays the fraud-scoring scenario step by step without a terminal and exits 0', async () => {
    // The integration tier runs no node; test/e2e/demo.test.ts plays the demo with one.
    const { code, output } = await runDemo({ ...process.env, STEWARD_DEMO_NODE: 'false' });
    expect(output).toContain('OutputContract fraud-score 2.1.0: Ready');
    // 1. no owner, no rollout
    expect(output).toMatch(/ModelDeployment fraud-scorer 2\.3\.1: RolloutBlocked=True, admitted none/);
    expect(output).toContain('blocked: OwnerMissing');
    expect(output).toContain('Deployment fraud-scorer: none (nothing rolled out)');
    // 2. owner named: admitted and serving
    expect(output).toMatch(/ModelDeployment fraud-scorer 2\.3\.1: RolloutBlocked=False, admitted 2\.3\.1/);
    expect(output).toContain('Deployment fraud-scorer: serving ghcr.io/example/fraud-scorer-server:2.3.1');
    // 3. a version that breaks the contract is blocked, naming the field; v1 keeps serving
    expect(output).toMatch(/ModelDeployment fraud-scorer 2\.4\.0: RolloutBlocked=True, admitted 2\.3\.1/);
    expect(output).toMatch(/blocked: ContractBreaking — .*'decision'/);
    expect(output).toContain(
      'Deployment fraud-scorer: still serving ghcr.io/example/fraud-scorer-server:2.3.1',
    );
    // 4. a breaking contract change without a major bump is flagged
    expect(output).toContain('BreakingChangeWithoutMajorBump');
    expect(output).toContain('breaking: model_version field-removed');
    expect(output).toContain('Outcome: no owner, no rollout');
    expect(code, output).toBe(0);
  }, 180_000);
});
