/** A non-2xx answer of the API server, with the fields of its `Status` body when it sent one. */
export class KubeApiError extends Error {
  readonly statusCode: number;
  readonly reason: string | undefined;
  readonly method: string;
  readonly path: string;

  constructor(method: string, path: string, statusCode: number, body: string) {
    const status = parseStatus(body);
    super(
      `${method} ${path}: ${statusCode} ${status.reason ?? ''} ${status.message ?? body.slice(0, 300)}`.trim(),
    );
    this.name = 'KubeApiError';
    this.statusCode = statusCode;
    this.reason = status.reason;
    this.method = method;
    this.path = path;
  }
}

/**
 * Thrown by a reconcile to say "retrying will not help" (invalid spec, missing permission the user must
 * grant): the controller logs and counts it, and waits for the object to change instead of backing off.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/**
 * The object changed since the reconcile read it from its cache (the cache lags behind a write): found by
 * reading it before a write that depends on it, the same answer the API server gives (409) to a write made
 * with a stale `resourceVersion`, so the controller logs and retries it as the conflict it is.
 */
export class StaleObjectError extends Error {
  readonly statusCode = 409;

  constructor(message: string) {
    super(message);
    this.name = 'StaleObjectError';
  }
}

export function statusCodeOf(error: unknown): number | undefined {
  if (error instanceof KubeApiError) return error.statusCode;
  if (typeof error === 'object' && error !== null) {
    // client-node's own ApiException and Watch errors carry the code under different names.
    const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
    if (typeof statusCode === 'number') return statusCode;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

// Causes wrap one another a few levels deep at most (fetch -> socket error); the bound only guards a cycle.
const MAX_CAUSES = 5;

/**
 * An error's message followed by its causes' (`fetch failed: connect ECONNREFUSED 10.96.0.1:443`): fetch reports
 * every network failure as "fetch failed" and says what happened (refused, timed out, a certificate that does not
 * name the address) only in `cause`, which is what an operator that cannot reach its API server must log.
 */
export function errorMessage(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < MAX_CAUSES; depth++) {
    const message = current instanceof Error ? current.message || current.name : String(current);
    if (!messages.includes(message)) messages.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages.join(': ');
}

/** 409: someone else wrote the object first (stale resourceVersion, failed `test` op) — retry. */
export const isConflict = (error: unknown): boolean => statusCodeOf(error) === 409;
export const isNotFound = (error: unknown): boolean => statusCodeOf(error) === 404;

function parseStatus(body: string): { reason?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { reason, message } = parsed as { reason?: unknown; message?: unknown };
    return {
      ...(typeof reason === 'string' ? { reason } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  } catch {
    return {};
  }
}
