import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { eventually } from './eventually.ts';
import { type HttpsResponse, httpsRequest } from './http.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;
/** The committed, generated CRDs: the files users install, so the tests prove exactly those. */
export const CRD_DIRECTORY = join(repoRoot, 'crds');
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
// One field manager for every test file, so concurrent files applying the same CRDs never conflict.
const FIELD_MANAGER = 'steward-test-crds';
// Establishing a CRD takes the API server well under a second; 2-core CI machines need headroom.
const ESTABLISHED_TIMEOUT_MS = 30_000;

/**
 * A CRD as JSON, with the API's own field names (`x-kubernetes-validations`, ...). The typed client's classes
 * rename those, so the tests compare raw documents instead.
 */
export interface CrdDocument {
  metadata: { name: string };
  spec: {
    names: { kind: string; plural: string; shortNames?: string[]; categories?: string[] };
    versions: {
      name: string;
      schema: { openAPIV3Schema: Record<string, unknown> };
      additionalPrinterColumns?: unknown[];
    }[];
  };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** Every CRD in crds/*.yaml, parsed. */
export function readCrds(directory = CRD_DIRECTORY): CrdDocument[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => load(readFileSync(join(directory, name), 'utf8')) as CrdDocument);
}

function isEstablished(crd: CrdDocument): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/**
 * Installs the Steward CRDs with server-side apply and waits until each is Established. Idempotent and safe
 * to call from several test files of one run: re-applying the same content is a no-op.
 */
export async function installCrds(kc: KubeConfig): Promise<CrdDocument[]> {
  const crds = readCrds();
  for (const crd of crds) {
    // Raw request on purpose: client-node's typed serializer silently drops keys such as x-kubernetes-validations.
    const response = await kubeRequest(
      kc,
      'PATCH',
      `${CRD_PATH}/${crd.metadata.name}?fieldManager=${FIELD_MANAGER}&force=true`,
      { body: crd, contentType: 'application/apply-patch+yaml' },
    );
    if (response.status >= 300) {
      throw new Error(`applying CRD ${crd.metadata.name}: HTTP ${response.status} ${response.body}`);
    }
  }
  const installed: CrdDocument[] = [];
  for (const crd of crds) {
    const name = crd.metadata.name;
    await eventually(
      `CRD ${name} to become Established`,
      async () => {
        const response = await kubeRequest(kc, 'GET', `${CRD_PATH}/${name}`);
        if (response.status !== 200)
          throw new Error(`GET CRD ${name}: HTTP ${response.status} ${response.body}`);
        const current = JSON.parse(response.body) as CrdDocument;
        if (!isEstablished(current)) return undefined;
        installed.push(current);
        return true;
      },
      ESTABLISHED_TIMEOUT_MS,
    );
  }
  return installed;
}

/**
 * A raw request to the API server with the kubeconfig's credentials, for what the typed client hides: the
 * exact Status of a rejected request, the Table API (printer columns), the OpenAPI v3 documents.
 */
export async function kubeRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  options: { body?: unknown; accept?: string; contentType?: string } = {},
): Promise<HttpsResponse> {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('kubeconfig has no current cluster');
  const requestOptions: Parameters<typeof kc.applyToHTTPSOptions>[0] = {
    method,
    headers: {
      accept: options.accept ?? 'application/json',
      'content-type': options.contentType ?? 'application/json',
    },
  };
  await kc.applyToHTTPSOptions(requestOptions);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return httpsRequest(new URL(path, server), requestOptions, { payload });
}
