import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreV1Api } from '@kubernetes/client-node';
import { eventually } from './eventually.ts';
import { type ManagedProcess, startProcess } from './processes.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;
const exampleDataDir = join(repoRoot, 'examples/fraud-scoring/data');

/** The bucket and key prefix the examples' s3:// URIs name (examples/fraud-scoring/*.yaml). */
export const EXAMPLE_BUCKET = 'ml-data';
export const EXAMPLE_PREFIX = 'fraud-scoring/';
/** The credentials Secret the examples reference (credentialsSecretRef, secretKeyRef). */
export const EXAMPLE_CREDENTIALS_SECRET = 'ml-bucket';
// The server prints its URL right after binding; a busy 2-core machine may take a while to start it.
const START_TIMEOUT_MS = 30_000;

export interface ObjectStore {
  /** http://HOST:PORT, the same for this process and for Pods (the server listens on HOST). */
  endpoint: string;
  bucket: string;
  /** The s3:// URI of a key in the bucket, e.g. uri('fraud-scoring/reference.csv'). */
  uri(key: string): string;
  /** Writes (or overwrites) one object. */
  put(key: string, body: string | Uint8Array): Promise<void>;
  /**
   * Makes a Secret in the namespace whose keys are the environment variables Steward's readers take
   * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION): what a DriftMonitor
   * source's credentialsSecretRef passes to the check Pod, or a Job's env takes key by key.
   */
  createCredentialsSecret(core: CoreV1Api, namespace: string, name?: string): Promise<string>;
  /** The environment those keys give a local process (the CLI run as a child process). */
  clientEnv: Record<string, string>;
  stop(): Promise<void>;
}

export interface ObjectStoreOptions {
  /**
   * The address to listen on: 127.0.0.1 for this machine only; the node's host address (the e2e
   * tier's `inject('stewardNode').hostIp`) for Pods, which reach it through the node's bridge.
   */
  host?: string;
  bucket?: string;
  /** Upload examples/fraud-scoring/data/* under EXAMPLE_PREFIX (default true). */
  exampleData?: boolean;
}

/** The S3-compatible server hack/s3 builds (gofakes3, in memory), built once and cached. */
function serverBinary(): string {
  return execFileSync(join(repoRoot, 'hack/s3/ensure.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

async function httpPut(url: string, body: string | Uint8Array): Promise<void> {
  const response = await fetch(url, { method: 'PUT', body });
  if (!response.ok) throw new Error(`PUT ${url}: HTTP ${response.status} ${await response.text()}`);
}

/**
 * Starts the S3-compatible store in its own process group (registered with the harness's guardian, so
 * it never outlives the test run), creates the bucket and uploads the example data. The store checks
 * no signatures: any credentials do, and the Secret carries placeholder ones.
 */
export async function startObjectStore(options: ObjectStoreOptions = {}): Promise<ObjectStore> {
  const host = options.host ?? '127.0.0.1';
  const bucket = options.bucket ?? EXAMPLE_BUCKET;
  const dir = mkdtempSync(join(tmpdir(), 'steward-s3-'));
  const logFile = join(dir, 's3server.log');
  let server: ManagedProcess | undefined;
  const stop = async () => {
    await server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    server = startProcess('s3server', serverBinary(), ['-addr', `${host}:0`], logFile);
    let exit: string | undefined;
    void server.exited.then((how) => {
      exit = how;
    });
    // The server's first line of output is its URL (port 0 lets the kernel pick a free port).
    const endpoint = await eventually(
      () => `the S3 server on ${host} to print its URL (log: ${readFileSync(logFile, 'utf8').trim()})`,
      async () => {
        if (exit !== undefined) throw new Error(`s3server ended (${exit})`);
        return /^http:\/\/\S+/m.exec(readFileSync(logFile, 'utf8'))?.[0];
      },
      START_TIMEOUT_MS,
    );
    const put = (key: string, body: string | Uint8Array) => httpPut(`${endpoint}/${bucket}/${key}`, body);
    await httpPut(`${endpoint}/${bucket}`, '');
    if (options.exampleData ?? true) {
      for (const file of readdirSync(exampleDataDir).sort()) {
        await put(`${EXAMPLE_PREFIX}${file}`, readFileSync(join(exampleDataDir, file)));
      }
    }
    const clientEnv = {
      AWS_ACCESS_KEY_ID: 'steward-example',
      AWS_SECRET_ACCESS_KEY: 'steward-example',
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
    };
    return {
      endpoint,
      bucket,
      uri: (key) => `s3://${bucket}/${key}`,
      put,
      clientEnv,
      async createCredentialsSecret(core, namespace, name = EXAMPLE_CREDENTIALS_SECRET) {
        await core.createNamespacedSecret({ namespace, body: { metadata: { name }, stringData: clientEnv } });
        return name;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
