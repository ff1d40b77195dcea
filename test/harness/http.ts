import { type RequestOptions, request } from 'node:https';

export interface HttpsResponse {
  status: number;
  body: string;
}

/**
 * One HTTPS request, resolving with the status and the whole body whatever the status. The
 * harness talks to the API server this way where client-node does not fit: before a kubeconfig
 * exists (readiness), and where its typed client would reshape the payload.
 */
export function httpsRequest(
  url: string | URL,
  options: RequestOptions,
  { payload, timeoutMs }: { payload?: string; timeoutMs?: number } = {},
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    if (timeoutMs !== undefined) {
      req.on('timeout', () =>
        req.destroy(new Error(`${options.method ?? 'GET'} ${url} timed out after ${timeoutMs} ms`)),
      );
    }
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
