export { type Binned, binBoth, DEFAULT_BINS, quantileEdges } from './binned.ts';
export {
  type ChiSquareResult,
  chiSquare,
  DEFAULT_PSI_EPSILON,
  jensenShannon,
  MIN_EXPECTED_COUNT,
  psi,
  type ZTestResult,
  zTestProportions,
} from './categorical.ts';
export { quantile, type StepDistribution, sampleDistribution } from './distribution.ts';
export { KS_EXACT_MAX_N, type KsResult, ksExactPValue, ksStatistic, ksTest } from './ks.ts';
export { kolmogorovSmirnovSf } from './kstwo.ts';
export {
  orderStatistics,
  type SampleBins,
  sampleBinCounts,
  sampleQuantileBins,
  sampleQuantileEdges,
} from './select.ts';
export { sortedCopy } from './sort.ts';
export { chiSquareSf, normalSf } from './special.ts';
export { MIN_NORMALISING_STD, normalisedWasserstein, wasserstein } from './wasserstein.ts';
