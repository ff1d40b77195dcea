/** How often `eventually` probes: quick enough for tests, slow enough to leave the 2 cores to the system under test. */
const probeIntervalMs = 250;

/**
 * Polls `probe` until it returns a value other than undefined and resolves with it. On timeout the
 * error names what was awaited; `what` may be a function so the message shows the final state.
 */
export async function eventually<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, probeIntervalMs));
  }
}
