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
