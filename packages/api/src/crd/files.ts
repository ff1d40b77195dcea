import { join, resolve } from 'node:path';
import { APPROVAL_POLICY_FILE, renderApprovalPolicy } from '../admission/approval-policy.ts';
import { KIND_DEFINITIONS } from './definitions.ts';
import { renderApiDoc } from './docs.ts';
import { crdFileName, renderCrd } from './generate.ts';
import { namesInRunningCode } from './usage.ts';

/** The repository root, from this file's place in packages/api/src/crd. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

/**
 * Where the generated CRDs go: `crds/` for kubectl and GitOps users, and the chart's `crds/` folder, which Helm
 * installs before the templates. Two real copies (a symlink breaks `helm package`), kept equal by the freshness test.
 */
export const CRD_DIRECTORIES = ['crds', 'charts/steward/crds'] as const;

/**
 * Where the approval admission policy goes: beside the CRDs (a folder of its own, so tools that read
 * crds/*.yaml as CRDs never see it) and among the chart's templates (Helm's crds/ folder is for CRDs).
 */
export const POLICY_PATHS = [
  `crds/policies/${APPROVAL_POLICY_FILE}`,
  'charts/steward/templates/modeldeployment-approvals.yaml',
] as const;

/** The API reference, generated so it can never disagree with the CRDs. */
export const API_DOC = 'docs/api.md';

/** Every generated file by repository-relative path. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const definition of KIND_DEFINITIONS) {
    const content = renderCrd(definition);
    for (const directory of CRD_DIRECTORIES) files.set(join(directory, crdFileName(definition)), content);
  }
  for (const path of POLICY_PATHS) files.set(path, renderApprovalPolicy());
  files.set(API_DOC, renderApiDoc(KIND_DEFINITIONS, namesInRunningCode(REPO_ROOT)));
  return files;
}
