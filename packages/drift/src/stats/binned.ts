import { binWeights, quantile, type StepDistribution } from './distribution.ts';

/** Common practice (Evidently, NannyML): ten reference-quantile bins. */
export const DEFAULT_BINS = 10;

/**
 * Inner edges at the reference's 1/bins, 2/bins, ... quantiles. Ties in the reference can repeat an
 * edge; repeats are dropped, so a heavily tied feature gets fewer, non-empty bins.
 */
export function quantileEdges(reference: StepDistribution, bins: number): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantile(reference, k / bins);
    if (edges.length === 0 || edge > (edges[edges.length - 1] ?? 0)) edges.push(edge);
  }
  return edges;
}

export interface Binned {
  edges: number[];
  reference: number[];
  current: number[];
}

/** Bins both sides on fixed `edges`, or on the reference's quantiles when no edges are given. */
export function binBoth(
  reference: StepDistribution,
  current: StepDistribution,
  options: { bins?: number; edges?: readonly number[] } = {},
): Binned {
  const edges = options.edges
    ? [...new Set(options.edges)].sort((x, y) => x - y)
    : quantileEdges(reference, options.bins ?? DEFAULT_BINS);
  return { edges, reference: binWeights(reference, edges), current: binWeights(current, edges) };
}
