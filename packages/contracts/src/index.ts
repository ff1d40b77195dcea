export { type ConsumerStatus, type ConsumerVerdict, consumerStatus } from './checks/consumers.ts';
export { checkDeclaredOutput, type DeclaredOutputVerdict } from './checks/declared-output.ts';
export { type DiffOptions, diffContracts } from './diff/diff.ts';
export {
  Change,
  type ChangeKind,
  type Direction,
  type Finding,
  type FindingSummary,
  SEVERITIES,
  type Severity,
  summarizeFindings,
} from './diff/findings.ts';
export {
  type ContractDocument,
  ContractInputError,
  OUTPUT_CONTRACT_API_VERSION,
  OUTPUT_CONTRACT_KIND,
  parseContractDocument,
} from './document.ts';
export {
  checkFieldTree,
  type FieldNode,
  type FieldTreeProblem,
  flattenFields,
} from './field-tree.ts';
export {
  type ContractReview,
  type ContractVersion,
  type ReviewOptions,
  reviewContractVersion,
} from './review.ts';
export {
  COMPATIBILITY_MODES,
  type CompatibilityMode,
  type Consumer,
  type ContractSchema,
  compatibilityModeSchema,
  consumerSchema,
  contractSchemaSchema,
  FIELD_PATH_PATTERN,
  FIELD_TYPES,
  type Field,
  type FieldType,
  fieldSchema,
  fieldTypeSchema,
  type Items,
  itemsSchema,
  type OutputContractSpec,
  type OutputContractSpecInput,
  outputContractSpecSchema,
  SEMVER_PATTERN,
  versionSchema,
} from './schema.ts';
export {
  compareVersions,
  isPrerelease,
  isValidRange,
  isValidVersion,
  satisfies,
  type VersionBump,
  versionBump,
} from './semver.ts';
export {
  compileValidator,
  type ValidatorOptions,
  type Violation,
  ViolationKind,
} from './validate/compile.ts';
export {
  DEFAULT_MAX_EXAMPLES,
  LineProblem,
  type ValidationExample,
  type ValidationOptions,
  type ValidationReport,
  validatePredictions,
} from './validate/stream.ts';
export { type BumpLevel, checkVersionBump, type VersionBumpVerdict } from './version-bump.ts';
