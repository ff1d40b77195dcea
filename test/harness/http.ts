import { request } from 'node:https';

export interface HttpsTarget {
  ca: string;
  token: string;
}

/** A GET with the control plane's CA and a bearer token; resolves with status and body. */
export function httpsGet(
  url: string,
  target: HttpsTarget,
  timeoutMs = 5_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        ca: target.ca,
        headers: { authorization: `Bearer ${target.token}` },
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Polls until `check` returns true or the deadline passes; the error names what was awaited. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  // Clients may unref their sockets while a request is pending; this timer keeps a plain script
  // (no test runner holding the event loop open) from exiting in the middle of the wait.
  const keepAlive = setInterval(() => {}, 1_000);
  try {
    while (Date.now() < deadline) {
      try {
        if (await check()) return;
      } catch (err) {
        lastError = (err as Error).message;
      }
      // Short enough to notice readiness promptly, long enough not to burn a core on 2-core machines.
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    clearInterval(keepAlive);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`,
  );
}
