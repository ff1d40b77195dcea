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
} as const;
export type InconclusiveReason = (typeof InconclusiveReason)[keyof typeof InconclusiveReason];

export const Verdict = { NoDrift: 'NoDrift', Drift: 'Drift', Inconclusive: 'Inconclusive' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];
