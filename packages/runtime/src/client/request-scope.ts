import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The signal of the reconcile a request is made from. The controller runs each reconcile inside
 * `withRequestSignal`, and KubeClient adds the signal to every request it sends, so a reconcile that
 * timed out can no longer write — whichever helper (act, events, finalizers) makes the request,
 * and without every function having to pass the signal along.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

export function withRequestSignal<T>(signal: AbortSignal, run: () => T): T {
  return scope.run(signal, run);
}

/** The signal of the reconcile running now, if any. */
export function currentRequestSignal(): AbortSignal | undefined {
  return scope.getStore();
}
