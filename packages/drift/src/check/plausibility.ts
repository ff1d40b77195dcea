import type { DriftCheckConfig, DriftMethod } from '../config.ts';

/**
 * The largest threshold of each method that a real change can still cross. For p-value methods
 * (drift when p < threshold) a threshold above 0.2 fires by chance alone in more than one check in
 * five when nothing changed. For distances it is the score of shifting a normal feature by three of
 * its standard deviations (10 reference-quantile bins for psi and jensenshannon; plausibility.test.ts
 * recomputes these), a drastic change: a threshold above it would hardly ever fire. Jensen-Shannon
 * can never exceed sqrt(ln 2) ~ 0.83 at all.
 */
export const PLAUSIBLE_MAX_THRESHOLD: Readonly<Record<DriftMethod, number>> = {
  ks: 0.2,
  chisquare: 0.2,
  ztest: 0.2,
  psi: 6,
  jensenshannon: 0.68,
  wasserstein: 3,
};

const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set(['ks', 'chisquare', 'ztest']);

/** A warning when `threshold` lies outside the plausible range of `method`, else undefined. */
export function thresholdWarning(
  feature: string,
  method: DriftMethod,
  threshold: number,
): string | undefined {
  const max = PLAUSIBLE_MAX_THRESHOLD[method];
  if (threshold <= max) return undefined;
  const why = P_VALUE_METHODS.has(method)
    ? 'a p-value threshold that high fires by chance in more than one check in five when nothing changed'
    : `${method} scores about ${max} when the feature shifts by three standard deviations, so this threshold would hardly ever fire`;
  return `${feature}: ${method} threshold ${threshold} is above the plausible maximum ${max}; ${why}`;
}

/** Warnings for the thresholds a configuration sets with an explicit method (known before any data). */
export function configThresholdWarnings(config: Pick<DriftCheckConfig, 'features'>): string[] {
  return (config.features ?? []).flatMap((f) =>
    f.method !== undefined && f.threshold !== undefined
      ? (thresholdWarning(f.name, f.method, f.threshold) ?? [])
      : [],
  );
}
