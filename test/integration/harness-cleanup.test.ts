import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually, isRunning } from '../harness/index.ts';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'steward-cleanup-'));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function waitUntilAllExited(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isRunning);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    alive = alive.filter(isRunning);
  }
  return alive;
}

/** What a run's control plane left: the PIDs that still run and whether its folder is still there. */
async function leftBehind({
  pids,
  dir,
}: ControlPlaneRecord): Promise<{ running: number[]; folder: boolean }> {
  const running = await waitUntilAllExited(pids, 15_000);
  // The folder goes right after the processes (stop(), the exit hook or the guardian): allow as long.
  const deadline = Date.now() + 15_000;
  while (existsSync(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return { running, folder: existsSync(dir) };
}

/** What a nested run's global setup (or the fixture) reports about the control plane it started. */
interface ControlPlaneRecord {
  pids: number[];
  dir: string;
}
const NOTHING_LEFT = { running: [], folder: false };

/** Runs a nested vitest on one fixture file; the global setup records the control plane's PIDs. */
function nestedRun(
  file: string,
  { controllerManager }: { controllerManager: boolean },
): { child: ChildProcess; pidsFile: string; exit: Promise<number | null> } {
  const pidsFile = join(scratch, `${file}.pids.json`);
  const child = spawn(
    process.execPath,
    [vitestBin, 'run', '--config', join(fixtures, 'nested-run/vitest.config.ts'), file],
    {
      env: {
        ...process.env,
        STEWARD_PIDS_FILE: pidsFile,
        STEWARD_CONTROLLER_MANAGER: String(controllerManager),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  // Drain output so a full pipe never blocks the nested run.
  child.stdout?.resume();
  child.stderr?.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, pidsFile, exit };
}

describe('a test run leaves no control-plane process and no control-plane folder behind', () => {
  it('when every test passes', async () => {
    const run = nestedRun('passing.nested.ts', { controllerManager: false });
    expect(await run.exit).toBe(0);
    const record = JSON.parse(readFileSync(run.pidsFile, 'utf8')) as ControlPlaneRecord;
    expect(record.pids.length).toBeGreaterThanOrEqual(2);
    expect(await leftBehind(record)).toEqual(NOTHING_LEFT);
  });

  it('when a test fails', async () => {
    const run = nestedRun('failing.nested.ts', { controllerManager: false });
    expect(await run.exit).toBe(1);
    const record = JSON.parse(readFileSync(run.pidsFile, 'utf8')) as ControlPlaneRecord;
    expect(await leftBehind(record)).toEqual(NOTHING_LEFT);
  });

  it('when the run is interrupted with SIGINT', async () => {
    const run = nestedRun('interrupted.nested.ts', { controllerManager: true });
    const record = JSON.parse(
      await eventually(`${run.pidsFile} to appear`, async () => readFileSync(run.pidsFile, 'utf8'), 120_000),
    ) as ControlPlaneRecord;
    expect(record.pids.length).toBe(3);
    expect(record.pids.every(isRunning)).toBe(true);
    expect(existsSync(record.dir)).toBe(true);
    run.child.kill('SIGINT');
    await run.exit;
    expect(await leftBehind(record)).toEqual(NOTHING_LEFT);
  });

  it('when the process that started them is killed with SIGKILL', async () => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', join(fixtures, 'start-control-plane.ts')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    let record: ControlPlaneRecord = { pids: [], dir: '' };
    for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
      record = JSON.parse(line) as ControlPlaneRecord;
      break;
    }
    expect(record.pids.length).toBeGreaterThanOrEqual(2);
    expect(record.pids.every(isRunning)).toBe(true);
    expect(existsSync(record.dir)).toBe(true);
    // No handler runs on SIGKILL: only the guardian process can clean up.
    child.kill('SIGKILL');
    expect(await leftBehind(record)).toEqual(NOTHING_LEFT);
  });
});
