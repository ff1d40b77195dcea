import { spawn } from 'node:child_process';

const demo = new URL('./demo.ts', import.meta.url).pathname;

/** Runs `make demo`'s script without a terminal (so it exits after the scenario); resolves with its exit code and output. */
export async function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', demo], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

/**
 * What the demo's output shows at each step of the scenario, in the order it plays; the demo tests
 * of both tiers check every one.
 */
export const demoSteps: { step: string; shows: RegExp }[] = [
  { step: 'the contract is published', shows: /OutputContract fraud-score 2\.1\.0: Ready/ },
  {
    step: '1. no owner, no rollout',
    shows:
      /fraud-scorer 2\.3\.1: RolloutBlocked=True, admitted none\n.*blocked: OwnerMissing.*\n.*Deployment fraud-scorer: none/,
  },
  {
    step: '2. the owner is named: admitted and serving',
    shows:
      /fraud-scorer 2\.3\.1: RolloutBlocked=False, admitted 2\.3\.1\n.*Deployment fraud-scorer: serving \S+:2\.3\.1/,
  },
  {
    step: '3. a version breaking the contract is blocked, naming the field, while v1 keeps serving',
    shows:
      /fraud-scorer 2\.4\.0: RolloutBlocked=True, admitted 2\.3\.1\n.*blocked: ContractBreaking — .*'decision'.*\n.*Deployment fraud-scorer: still serving \S+:2\.3\.1/,
  },
  {
    step: '4. a breaking contract change without a major bump is flagged, naming the field',
    shows: /BreakingChangeWithoutMajorBump[^\n]*\n.*breaking: model_version field-removed/,
  },
];
