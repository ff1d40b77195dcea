import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface ProbeServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** /readyz answers 200 only while this is true (caches synced, not shutting down). */
  isReady: () => boolean;
  /** /healthz answers 200 while this is true (the process can still do its work). */
  isHealthy: () => boolean;
}

/** Serves /metrics, /healthz and /readyz on one port. */
export class ProbeServer {
  readonly #options: ProbeServerOptions;
  readonly #server: Server;

  constructor(options: ProbeServerOptions) {
    this.#options = options;
    this.#server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      const reply = (status: number, body: string, contentType = 'text/plain; charset=utf-8') => {
        response.writeHead(status, { 'content-type': contentType }).end(body);
      };
      if (path === '/healthz') {
        reply(this.#options.isHealthy() ? 200 : 503, this.#options.isHealthy() ? 'ok' : 'unhealthy');
      } else if (path === '/readyz') {
        reply(this.#options.isReady() ? 200 : 503, this.#options.isReady() ? 'ok' : 'caches not synced');
      } else if (path === '/metrics') {
        this.#options.registry.metrics().then(
          (text) => reply(200, text, this.#options.registry.contentType),
          (error: unknown) => reply(500, error instanceof Error ? error.message : String(error)),
        );
      } else {
        reply(404, 'not found: try /metrics, /healthz or /readyz');
      }
    });
  }

  /** Resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port, this.#options.host ?? '0.0.0.0', () => {
        this.#server.off('error', reject);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
