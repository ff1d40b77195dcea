import { describe, expect, it } from 'vitest';
import { ExitCode } from './command.ts';
import { run } from './run.ts';

async function capture(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('steward command line', () => {
  it('prints the package version', async () => {
    const { code, out } = await capture(['version']);
    expect(code).toBe(ExitCode.ok);
    expect(out).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects an unknown command with exit code 2 and names it', async () => {
    const { code, err } = await capture(['frobnicate']);
    expect(code).toBe(ExitCode.usage);
    expect(err).toContain("unknown command 'frobnicate'");
    expect(err).toContain('usage: steward');
  });

  it('treats a missing command as a usage error', async () => {
    const { code, err } = await capture([]);
    expect(code).toBe(ExitCode.usage);
    expect(err).toContain('usage: steward');
  });
});
