import { type CheckResult, type DriftCheckJobResult, TERMINATION_MESSAGE_MAX_BYTES } from '@steward/api';
import { isBreach } from '@steward/drift';

/**
 * The termination message: detected, summary and the result, dropping features from the end (the
 * least severe: the job sorts breaches first) until it fits the kubelet's limit. The full list
 * travels in the report ConfigMap.
 */
export function terminationMessage(result: CheckResult, summary: string): string {
  const detected = isBreach(result.outcome);
  const message = (features: CheckResult['features']): string => {
    const trimmed: CheckResult = { ...result };
    if (features === undefined) delete trimmed.features;
    else trimmed.features = features;
    const document: DriftCheckJobResult = { detected, summary, result: trimmed };
    return JSON.stringify(document);
  };
  const features = result.features ?? [];
  let text = message(result.features);
  // Halve, then step: a 500-feature report fits in a few tries.
  let keep = features.length;
  while (Buffer.byteLength(text) > TERMINATION_MESSAGE_MAX_BYTES && keep > 0) {
    keep = keep > 16 ? Math.floor(keep / 2) : keep - 1;
    text = message(features.slice(0, keep));
  }
  if (Buffer.byteLength(text) > TERMINATION_MESSAGE_MAX_BYTES) {
    const bare: CheckResult = { outcome: result.outcome, startedAt: result.startedAt };
    if (result.completedAt !== undefined) bare.completedAt = result.completedAt;
    text = JSON.stringify({ detected, summary, result: bare } satisfies DriftCheckJobResult);
  }
  return text;
}
