/** A seeded uniform source (mulberry32): the example data is the same on every machine. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Box-Muller on a uniform source. */
export function normal(uniform: () => number, mean: number, sd: number): number {
  const u = Math.max(uniform(), Number.MIN_VALUE);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

export function pick<T>(uniform: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let target = uniform() * total;
  for (const [value, weight] of choices) {
    target -= weight;
    if (target <= 0) return value;
  }
  const last = choices[choices.length - 1];
  if (last === undefined) throw new Error('pick needs at least one choice');
  return last[0];
}
