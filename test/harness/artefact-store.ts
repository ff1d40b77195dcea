import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface ArtefactStore {
  /** The port it listens on, on every address of the host (Pods reach it at the node's host address). */
  port: number;
  close(): void;
}

/**
 * Serves `folder` read-only over HTTP: the artefact store a model server Pod loads `model.json` from
 * (the example server reads http(s):// and file:// URIs, and a ModelDeployment mounts no volume).
 */
export async function startArtefactStore(folder: string): Promise<ArtefactStore> {
  const server = createServer((request, response) => {
    const path = normalize(
      join(folder, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)),
    );
    if (!path.startsWith(folder)) return response.writeHead(403).end();
    readFile(path).then(
      (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}
