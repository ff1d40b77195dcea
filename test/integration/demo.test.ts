import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const demo = new URL('../demo.ts', import.meta.url).pathname;

describe('make demo', () => {
  it('plays the fraud-scoring scenario end to end without a terminal and exits 0', async () => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', demo], {
      // The integration tier runs no node; test/e2e/demo.test.ts plays the demo with one.
      env: { ...process.env, STEWARD_DEMO_NODE: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toContain('OutputContract fraud-score 2.1.0: Ready');
    expect(output).toContain('BreakingChangeWithoutMajorBump');
    expect(output).toContain('breaking: model_version field-removed');
    expect(output).toContain('Outcome: Steward flagged the breaking change');
    expect(code, output).toBe(0);
  }, 180_000);
});
