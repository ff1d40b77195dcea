import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ObjectStore, startObjectStore } from '../harness/object-store.ts';

// `steward drift` reading from a real S3-compatible server (gofakes3, built from hack/s3) and a
// real HTTP server, run as the job runs it: the CLI binary in a child process.

const repo = fileURLToPath(new URL('../../', import.meta.url));
const testdata = join(repo, 'packages/cli/testdata/drift');

let s3: ObjectStore;
let http: Server;
let httpUrl: string;
let dir: string;

async function steward(args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', 'packages/cli/bin/steward.js', 'drift', ...args],
    {
      cwd: repo,
      env: { ...process.env, ...s3.clientEnv, ...env },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-drift-sources-'));
  s3 = await startObjectStore({ bucket: 'drift', exampleData: false });
  const baseline = await readFile(join(testdata, 'baseline.csv'));
  const drifted = (await readFile(join(testdata, 'current-drift.csv'), 'utf8')).split('\n');
  const header = drifted[0] ?? '';
  await s3.put('baseline.csv', baseline);
  await s3.put('baseline.parquet', await readFile(join(testdata, 'baseline.parquet')));
  // The current window as two part files under one prefix, as a batch job would write it.
  await s3.put('current/part-0.csv', drifted.slice(0, 151).join('\n'));
  await s3.put('current/part-1.csv', [header, ...drifted.slice(151)].join('\n'));

  http = createServer(async (request, response) => {
    try {
      response.end(await readFile(join(testdata, (request.url ?? '/').slice(1))));
    } catch {
      response.writeHead(404).end('not found');
    }
  }).listen(0, '127.0.0.1');
  await once(http, 'listening');
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await s3?.stop();
  http?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('steward drift on object storage and http', () => {
  it('checks an S3 object against every part file under an S3 prefix', async () => {
    const { code, stdout, stderr } = await steward([
      'check',
      '--baseline',
      's3://drift/baseline.csv',
      '--current',
      's3://drift/current/',
      '--output',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { verdict: string; referenceRows: number; currentRows: number };
    expect(report).toMatchObject({ verdict: 'Drift', referenceRows: 400, currentRows: 300 });
  });

  it('reads a Parquet object from S3', async () => {
    const { code, stdout } = await steward([
      'check',
      '--baseline',
      's3://drift/baseline.parquet',
      '--current',
      's3://drift/current/',
      '--output',
      'json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: 'Drift', referenceRows: 400, currentRows: 300 });
  });

  it('profiles an S3 object and checks data served over http against that profile', async () => {
    const profile = join(dir, 'baseline.json');
    expect((await steward(['profile', 's3://drift/baseline.csv', '--out', profile])).code).toBe(0);
    const same = await steward(['check', '--baseline', profile, '--current', `${httpUrl}/current-same.csv`]);
    expect(same.stdout).toContain('dataset: NoDrift');
    expect(same.code).toBe(0);
    const drifted = await steward([
      'check',
      '--baseline',
      profile,
      '--current',
      `${httpUrl}/current-drift.csv`,
    ]);
    expect(drifted.code).toBe(1);
  });

  it('exits 2 naming a missing S3 object, a missing http file and an unreachable endpoint', async () => {
    const missing = await steward([
      'check',
      '--baseline',
      's3://drift/nope.csv',
      '--current',
      's3://drift/baseline.csv',
    ]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('s3://drift/nope.csv: no such object');

    const notFound = await steward([
      'check',
      '--baseline',
      `${httpUrl}/nope.csv`,
      '--current',
      's3://drift/baseline.csv',
    ]);
    expect(notFound).toMatchObject({ code: 2 });
    expect(notFound.stderr).toContain(`${httpUrl}/nope.csv: HTTP 404`);

    const down = await steward(['profile', 's3://drift/baseline.csv'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    expect(down).toMatchObject({ code: 2 });
    expect(down.stderr).toMatch(/s3:\/\/drift\/baseline\.csv: unreachable/);
  });
});
