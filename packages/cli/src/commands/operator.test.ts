import { describe, expect, it } from 'vitest';
import { run } from '../run.ts';
import { parseOperatorArgs } from './operator.ts';

async function steward(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('steward operator', () => {
  it('defaults to port 8080, every namespace and leader election on', () => {
    expect(parseOperatorArgs([])).toEqual({
      httpPort: 8080,
      httpHost: undefined,
      namespace: undefined,
      leaderElection: true,
      leaderElectionNamespace: undefined,
    });
  });

  it('reads the port, the namespace and --no-leader-elect', () => {
    expect(
      parseOperatorArgs(['--metrics-port', '0', '--namespace', 'ml', '--no-leader-elect']),
    ).toMatchObject({
      httpPort: 0,
      namespace: 'ml',
      leaderElection: false,
    });
  });

  it('prints its help with every flag and exits 0', async () => {
    const { code, stdout } = await steward('operator', '--help');
    expect(code).toBe(0);
    for (const flag of ['--metrics-port', '--namespace', '--leader-elect', '--no-leader-elect']) {
      expect(stdout).toContain(flag);
    }
  });

  it.each([
    ['a port that is not a number', ['--metrics-port', 'http'], '--metrics-port must be an integer'],
    ['a port above 65535', ['--metrics-port', '70000'], '--metrics-port must be an integer'],
    ['an unknown flag', ['--watch-everything'], "Unknown option '--watch-everything'"],
  ])('rejects %s with exit 2 before touching a cluster', async (_case, args, message) => {
    const { code, stderr } = await steward('operator', ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('is listed by steward help', async () => {
    expect((await steward('help')).stdout).toContain('operator');
  });
});
