// Small real invocations shared by the tests and the start-up bench, on the committed testdata.
import { fileURLToPath } from 'node:url';

export const testdata = (path: string) => fileURLToPath(new URL(`../../testdata/${path}`, import.meta.url));

/** Two versions of a small contract with breaking changes behind a major bump (exit 1). */
export const CONTRACT_DIFF = [
  'contract',
  'diff',
  testdata('contracts/fraud-v1.yaml'),
  testdata('contracts/fraud-v2.yaml'),
];

/** 400 vs 400 rows of 4 features that drifted (exit 1). */
export const DRIFT_CHECK = [
  'drift',
  'check',
  '--baseline',
  testdata('drift/baseline.csv'),
  '--current',
  testdata('drift/current-drift.csv'),
];
