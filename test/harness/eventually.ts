// How often `eventually` probes: fast enough to time convergence to a tenth of a second, slow
// enough not to load the API server under test.
const probeIntervalMs = 100;

/**
 * Polls `probe` until it returns a value other than undefined and resolves with it. A probe that
 * throws counts as "not yet" (the object may not exist yet); on timeout the error names what was
 * awaited and the last error seen. `what` may be a function so the message shows the final state.
 */
export async function eventually<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  // Clients may unref their sockets while a request is pending; this timer keeps a plain script
  // (the demo, a benchmark: no test runner holding the event loop open) from exiting mid-wait.
  const keepAlive = setInterval(() => {}, 1_000);
  try {
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() > deadline) {
        const description = typeof what === 'string' ? what : what();
        const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
      }
      await new Promise((resolve) => setTimeout(resolve, probeIntervalMs));
    }
  } finally {
    clearInterval(keepAlive);
  }
}
