import { parseArgs } from 'node:util';
import { DEFAULT_OPERATOR_HTTP_PORT } from '@steward/operator';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../command.ts';
import { run } from '../run.ts';
import { DEFAULT_METRICS_PORT, OPERATOR_OPTIONS, operatorArgs } from './operator.ts';

async function steward(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** The flags as defineCommand parses them. */
function parseOperatorArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: OPERATOR_OPTIONS,
    allowPositionals: true,
    allowNegative: true,
    strict: true,
  });
  return operatorArgs({ values, positionals });
}

describe('steward operator', () => {
  it('defaults to the operator port, every namespace and leader election on', () => {
    expect(DEFAULT_METRICS_PORT).toBe(DEFAULT_OPERATOR_HTTP_PORT);
    expect(parseOperatorArgs([])).toEqual({
      httpPort: DEFAULT_OPERATOR_HTTP_PORT,
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
    expect(code).toBe(ExitCode.ok);
    for (const flag of ['--metrics-port', '--namespace', '--leader-elect', '--no-leader-elect']) {
      expect(stdout).toContain(flag);
    }
  });

  it.each([
    ['a port that is not a number', ['--metrics-port', 'http'], '--metrics-port must be an integer'],
    ['a port above 65535', ['--metrics-port', '70000'], '--metrics-port must be an integer'],
    ['an unknown flag', ['--watch-everything'], "Unknown option '--watch-everything'"],
    ['an argument', ['now'], "takes no arguments, got 'now'"],
    ['-o, since the operator prints logs, not a result', ['-o', 'json'], "Unknown option '-o'"],
  ])('rejects %s with exit 2 before touching a cluster', async (_case, args, message) => {
    const { code, stderr } = await steward('operator', ...args);
    expect(code).toBe(ExitCode.usage);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: steward operator');
  });

  it('exits 5 with the reason when it cannot start', async () => {
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = '/nonexistent/steward-test-kubeconfig';
    try {
      const { code, stderr } = await steward('operator', '--no-leader-elect', '--metrics-port', '0');
      expect(code).toBe(ExitCode.failure);
      expect(stderr).toMatch(/^steward operator: /);
    } finally {
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
    }
  });

  it('is listed by steward help', async () => {
    expect((await steward('help')).stdout).toContain('operator');
  });
});
