/**
 * How the controller tells failures apart. In Go a bug panics and controller-runtime recovers it;
 * here a bug throws a TypeError, ReferenceError, RangeError or SyntaxError (or something that is not
 * an Error at all), which is counted as a panic, apart from the errors a reconcile reports on purpose.
 * One exception: fetch reports a network failure as a TypeError ("fetch failed", "terminated") with
 * the socket error as its `cause`; a bug's TypeError has no cause. So a TypeError with a cause is an
 * ordinary error (the API server was unreachable), not a panic.
 */

import { errorMessage } from '../client/errors.ts';

export class ReconcileTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`reconcile did not finish within its timeout of ${timeoutMs} ms; aborted`);
    this.name = 'ReconcileTimeoutError';
  }
}

/** `error`: a failure the reconcile reports; `panic`: a bug; `timeout`: outlived its timeout. */
export type FailureKind = 'error' | 'panic' | 'timeout';

const BUG_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError];

export function recoveredFailure(error: unknown): { kind: FailureKind; message: string; stack?: string } {
  if (error instanceof ReconcileTimeoutError) return { kind: 'timeout', message: error.message };
  if (!(error instanceof Error)) return { kind: 'panic', message: `non-Error thrown: ${String(error)}` };
  const networkFailure = error instanceof TypeError && error.cause !== undefined;
  const bug = !networkFailure && BUG_ERRORS.some((type) => error instanceof type);
  return {
    kind: bug ? 'panic' : 'error',
    // A network failure's message is only "fetch failed"; its cause says what failed.
    message: networkFailure ? errorMessage(error) : error.message,
    ...(bug && error.stack ? { stack: error.stack } : {}),
  };
}
