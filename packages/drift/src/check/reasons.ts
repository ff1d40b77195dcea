/** Why a feature is Inconclusive; stable strings that status, metrics and docs use. */
export const InconclusiveReason = {
  MissingColumn: 'MissingColumn',
  NoValues: 'NoValues',
  InsufficientData: 'InsufficientData',
  MixedTypes: 'MixedTypes',
  WrongType: 'WrongType',
  TooManyCategories: 'TooManyCategories',
  MethodNotApplicable: 'MethodNotApplicable',
  TooFewCategories: 'TooFewCategories',
  /** Concept drift: too few labels found their prediction in the join (minMatchRate). */
  LowMatchRate: 'LowMatchRate',
} as const;
export type InconclusiveReason = (typeof InconclusiveReason)[keyof typeof InconclusiveReason];

/**
 * Why a feature's schema drifted: the baseline has it, the current data lost it (no such column),
 * lost every value of it (all empty, or all NaN/Infinity), or holds values of another type.
 */
export const SchemaDriftReason = {
  MissingColumn: 'MissingColumn',
  NoValues: 'NoValues',
  WrongType: 'WrongType',
} as const;
export type SchemaDriftReason = (typeof SchemaDriftReason)[keyof typeof SchemaDriftReason];

/**
 * The outcome of a feature and of a dataset. SchemaDrift is a data-quality breach (a vanished or
 * retyped feature), distinct from a statistical Drift and never hidden as Inconclusive.
 */
export const Verdict = {
  NoDrift: 'NoDrift',
  Drift: 'Drift',
  SchemaDrift: 'SchemaDrift',
  Inconclusive: 'Inconclusive',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/**
 * Whether an outcome breaches a bound: a statistical Drift or a SchemaDrift. It sets DriftDetected, `detected`
 * in the check Job's result and a Warning event; a retrain is asked for on Drift alone.
 */
export const isBreach = (outcome: string | undefined): boolean =>
  outcome === Verdict.Drift || outcome === Verdict.SchemaDrift;
