/**
 * Where the runtime's jitter comes from. Injected like the clock, so tests that depend on a jittered
 * delay (informer restarts, leader-election retries) get the same delays on every run.
 */
export type Random = () => number;

export const systemRandom: Random = Math.random;

// mulberry32's constants (Tommy Ettinger's public-domain generator): small, fast and good enough for
// jitter, which only needs to spread replicas apart, not to be unpredictable.
const MULBERRY_INCREMENT = 0x6d2b79f5;
const UINT32_RANGE = 2 ** 32;

/** A deterministic source in [0, 1): the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + MULBERRY_INCREMENT) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32_RANGE;
  };
}
