import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { type CommandEntry, ExitCode, InputError } from './command.ts';
import { commands } from './commands/index.ts';
import { defineCommand } from './options.ts';
import { run } from './run.ts';
import { CONTRACT_DIFF, DRIFT_CHECK, testdata } from './testing/invocations.ts';

async function capture(argv: string[], table?: readonly CommandEntry[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) }, table);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A DriftMonitor whose baseline is the drift test data, by absolute file:// URI (for a drill check). */
function drillMonitor(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'steward-run-')), 'monitor.yaml');
  const baseline = pathToFileURL(testdata('drift/baseline.csv')).href;
  writeFileSync(
    path,
    `kind: DriftMonitor\nspec:\n  target: { name: m }\n  schedule: "@daily"\n  baseline: { source: { uri: "${baseline}", format: csv } }\n  current: { uri: "${baseline}", format: csv }\n  dataDrift: {}\n`,
  );
  return path;
}

/** A DriftMonitor whose data drift reads the CLI test data (a job's data paths are absolute). */
const jobMonitor = join(mkdtempSync(join(tmpdir(), 'steward-run-')), 'monitor.yaml');
writeFileSync(
  jobMonitor,
  `kind: DriftMonitor
spec:
  target: { name: churn }
  schedule: "@daily"
  baseline: { source: { uri: "file://${testdata('drift/baseline.csv')}", format: csv } }
  current: { uri: "file://${testdata('drift/current-drift.csv')}", format: csv }
  dataDrift: {}
`,
);

/** The same document apart from when it was measured (a check's startedAt and completedAt). */
const untimed = (document: unknown): unknown =>
  JSON.parse(
    JSON.stringify(document, (key, value) =>
      key === 'startedAt' || key === 'completedAt' ? undefined : value,
    ),
  );

/** For every command that prints a result: arguments that make it print one. */
const EXAMPLE_MANIFESTS = ['model-deployment.yaml', 'output-contract.yaml'].map((file) =>
  fileURLToPath(new URL(`../../../examples/fraud-scoring/${file}`, import.meta.url)),
);
const RESULT_ARGS: Record<string, string[]> = {
  version: [],
  'contract diff': CONTRACT_DIFF.slice(2),
  'contract validate': [testdata('contracts/fraud-v1.yaml'), testdata('contracts/predictions-bad.jsonl')],
  'drift profile': [testdata('drift/baseline.csv')],
  'drift check': DRIFT_CHECK.slice(2),
  'job drill-check': [
    '--monitor',
    drillMonitor(),
    '--injection',
    '{"features":["income"],"kind":"scale","magnitude":3}',
  ],

  'job drift-check': ['--monitor', jobMonitor],
  check: [...EXAMPLE_MANIFESTS, '--now', '2026-11-25'],
  'card render': [...EXAMPLE_MANIFESTS, '--now', '2026-11-25T10:00:00Z'],
};

describe('steward command line', () => {
  it('prints the package version, also for --version, as JSON and as YAML', async () => {
    const human = await capture(['version']);
    expect(human.code).toBe(ExitCode.ok);
    expect(human.out).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await capture(['--version'])).out).toBe(human.out);
    expect(JSON.parse((await capture(['version', '-o', 'json'])).out)).toEqual({ version: human.out });
    expect((await capture(['version', '--output', 'yaml'])).out).toBe(`version: ${human.out}`);
  });

  it('lists every command with --help and exits 0', async () => {
    const { code, out } = await capture(['--help']);
    expect(code).toBe(ExitCode.ok);
    for (const command of commands) expect(out).toContain(`${command.name}  `);
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

  it('lists a group with --help, and rejects it without a subcommand', async () => {
    const help = await capture(['contract', '--help']);
    expect(help.code).toBe(ExitCode.ok);
    expect(help.out).toMatch(/contract diff .*\n.*contract validate/);
    const missing = await capture(['drift']);
    expect(missing.code).toBe(ExitCode.usage);
    expect(missing.err).toContain('steward drift: missing subcommand');
    expect(missing.err).toContain('drift check');
  });
});

describe.each(commands.map((c) => [c.name, c] as const))('steward %s', (name, entry) => {
  it('explains its usage, options and exit codes with --help', async () => {
    const { code, out } = await capture([...name.split(' '), '--help']);
    expect(code).toBe(ExitCode.ok);
    expect(out).toContain(`usage: steward ${name}`);
    expect(out).toContain('exit codes: 0');
  });

  it('rejects an unknown --output value with exit code 2, or takes no -o at all', async () => {
    const { command } = await entry.load();
    const { code, err } = await capture([...name.split(' '), '-o', 'xml']);
    expect(code).toBe(ExitCode.usage);
    if (command.usage.includes('[-o human|json|yaml]')) {
      expect(err).toContain(`steward ${name}: --output must be one of human, json, yaml, got 'xml'`);
      expect(Object.keys(RESULT_ARGS)).toContain(name);
    } else {
      expect(err).toContain("Unknown option '-o'");
    }
  });

  it.runIf(name in RESULT_ARGS)('prints the same document with -o json and -o yaml', async () => {
    const args = [...name.split(' '), ...(RESULT_ARGS[name] ?? [])];
    const json = await capture([...args, '-o', 'json']);
    const yaml = await capture([...args, '-o', 'yaml']);
    const human = await capture(args);
    expect(json.code, json.err).toBeLessThan(ExitCode.usage);
    expect([yaml.code, human.code]).toEqual([json.code, json.code]);
    expect(untimed(load(yaml.out))).toEqual(untimed(JSON.parse(json.out)));
    expect(human.out).not.toBe(json.out);
  });
});

describe('errors that are not the user input', () => {
  const throwing = (error: Error): CommandEntry => ({
    name: 'explode',
    summary: 'fails',
    load: async () => ({
      command: defineCommand({
        usage: 'usage: steward explode',
        help: 'exit codes: 0',
        options: {},
        inputErrors: [RangeError],
        run: async () => {
          throw error;
        },
      }),
    }),
  });

  it('exit 5 with the stack when a command fails unexpectedly', async () => {
    const { code, err } = await capture(['explode'], [throwing(new Error('boom'))]);
    expect(code).toBe(ExitCode.failure);
    expect(err).toContain('steward explode: unexpected error: Error: boom');
    expect(err).toMatch(/\n\s+at /);
  });

  it('exit 5 when a command cannot even be loaded', async () => {
    const broken: CommandEntry = {
      name: 'broken',
      summary: 'cannot load',
      load: () => Promise.reject(new Error('Cannot find module')),
    };
    const { code, err } = await capture(['broken'], [broken]);
    expect(code).toBe(ExitCode.failure);
    expect(err).toContain('Cannot find module');
  });

  it('exit 2 with one line for bad input, the command’s own input errors included', async () => {
    for (const error of [new InputError('data.csv: empty file'), new RangeError('data.csv: empty file')]) {
      const { code, err } = await capture(['explode'], [throwing(error)]);
      expect(code).toBe(ExitCode.usage);
      expect(err).toBe('steward explode: data.csv: empty file');
    }
  });
});
