/**
 * The validation gates, pure: the validate Job's reported values against spec.validate. Every check is
 * reported with its values, so a rejected candidate says exactly which gate failed and by how much.
 */
import type { RetrainPipelineSpec, ValidateResult } from '@steward/api';

type Validate = RetrainPipelineSpec['validate'];
type Gate = NonNullable<Validate['gates']>[number];

/** What the serving version is known to score, for "no worse than serving by more than X". */
export interface ServingReference {
  version: string | undefined;
  /** The ModelDeployment's spec.governance.evaluation of the serving version (slice `overall`). */
  evaluation: Readonly<Record<string, number>>;
}

export interface GateVerdict {
  passed: boolean;
  /** One line per failed check, with the values. */
  failures: string[];
}

const OVERALL_SLICE = 'overall';

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function boundFailures(
  label: string,
  value: number,
  min: number | undefined,
  max: number | undefined,
): string[] {
  const failures: string[] = [];
  if (min !== undefined && value < min) failures.push(`${label} ${format(value)} < min ${format(min)}`);
  if (max !== undefined && value > max) failures.push(`${label} ${format(value)} > max ${format(max)}`);
  return failures;
}

function regressionFailure(gate: Gate, value: number, result: ValidateResult, serving: ServingReference) {
  if (gate.maxRegression === undefined || serving.version === undefined) return [];
  const reference = result.servingMetrics?.[gate.name] ?? serving.evaluation[gate.name];
  if (reference === undefined) {
    return [
      `${gate.name}: no value of serving version ${serving.version} to compare with (the validate job reported no servingMetrics, the ModelDeployment's evaluation has no ${gate.name} on slice ${OVERALL_SLICE})`,
    ];
  }
  // A gate with a lower bound is a higher-is-better metric; one with only an upper bound, lower-is-better.
  const higherIsBetter = gate.min !== undefined;
  const worseBy = higherIsBetter ? reference - value : value - reference;
  if (worseBy <= gate.maxRegression) return [];
  return [
    `${gate.name} ${format(value)} is ${format(worseBy)} worse than serving version ${serving.version} (${format(reference)}); at most ${format(gate.maxRegression)} allowed`,
  ];
}

export function evaluateGates(
  validate: Validate,
  result: ValidateResult,
  serving: ServingReference,
): GateVerdict {
  const failures: string[] = [];
  for (const gate of validate.gates ?? []) {
    const value = result.metrics[gate.name];
    if (value === undefined) {
      failures.push(`${gate.name}: not reported by the validate job`);
      continue;
    }
    failures.push(...boundFailures(gate.name, value, gate.min, gate.max));
    failures.push(...regressionFailure(gate, value, result, serving));
  }
  if (validate.requireFairness) {
    for (const f of result.fairness ?? []) {
      failures.push(...boundFailures(`fairness ${f.metric}(${f.attribute})`, f.value, f.min, f.max));
    }
  }
  return { passed: failures.length === 0, failures };
}

/** The serving version's overall evaluation from a ModelDeployment spec (as loosely as the cache holds it). */
export function overallEvaluation(
  evaluation: readonly { name?: unknown; slice?: unknown; value?: unknown }[] | undefined,
) {
  const metrics: Record<string, number> = {};
  for (const e of evaluation ?? []) {
    const slice = e.slice ?? OVERALL_SLICE;
    if (typeof e.name === 'string' && typeof e.value === 'number' && slice === OVERALL_SLICE)
      metrics[e.name] = e.value;
  }
  return metrics;
}
