import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { dump, loadAll } from 'js-yaml';
import { kubeRequest } from './crds.ts';

const execFileAsync = promisify(execFile);
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHART_DIRECTORY = join(REPO_ROOT, 'charts/steward');
// Rendered charts and tool output are small, but a rendered dashboard ConfigMap is ~40 KB; leave room.
const MAX_TOOL_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program and returns its exit code and output instead of throwing on a non-zero exit. */
export async function runTool(file: string, args: string[], cwd = REPO_ROOT): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, maxBuffer: MAX_TOOL_OUTPUT_BYTES });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/**
 * The path a hack/ script prints: the pinned tool it built or found (hack/helm/ensure.sh, hack/promtool/ensure.sh,
 * hack/lua/ensure.sh). `make test` builds them before the suites start, so here they answer at once.
 */
export async function toolPath(script: string): Promise<string> {
  const result = await runTool(join(REPO_ROOT, script), []);
  if (result.code !== 0) throw new Error(`${script} failed (exit ${result.code}): ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

export interface RenderOptions {
  release?: string;
  namespace: string;
  values?: Record<string, unknown>;
  /** Also render crds/ (Helm installs them before the templates). */
  includeCrds?: boolean;
}

/** Runs helm against one cluster and release namespace: `run('install', ...)` appends both. */
export function helmIn(helm: string, kubeconfigPath: string, namespace: string) {
  return (...args: string[]) =>
    runTool(helm, [...args, '--namespace', namespace, '--kubeconfig', kubeconfigPath]);
}

/**
 * The objects of an installed release (`helm get manifest`). Helm leaves out the release namespace of
 * namespaced objects; each gets it here, so its API path can be built (objectPath).
 */
export async function releaseObjects(
  helm: ReturnType<typeof helmIn>,
  release: string,
  namespace: string,
): Promise<KubernetesObject[]> {
  const manifest = await helm('get', 'manifest', release);
  if (manifest.code !== 0) throw new Error(`helm get manifest ${release} failed: ${manifest.stderr}`);
  return loadAll(manifest.stdout)
    .filter((doc): doc is KubernetesObject => typeof doc === 'object' && doc !== null)
    .map((object) => ({
      ...object,
      metadata: { ...object.metadata, namespace: object.metadata?.namespace ?? namespace },
    }));
}

/** `helm template` of charts/steward with the given values; resolves to the exit code and output. */
export async function helmTemplate(helm: string, options: RenderOptions): Promise<ToolResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'steward-chart-'));
  try {
    const valuesFile = join(scratch, 'values.yaml');
    writeFileSync(valuesFile, dump(options.values ?? {}));
    return await runTool(helm, [
      'template',
      options.release ?? 'steward',
      CHART_DIRECTORY,
      '--namespace',
      options.namespace,
      '--values',
      valuesFile,
      ...(options.includeCrds ? ['--include-crds'] : []),
    ]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Renders charts/steward and parses every manifest; throws with helm's message when rendering fails. */
export async function renderChart(helm: string, options: RenderOptions): Promise<KubernetesObject[]> {
  const result = await helmTemplate(helm, options);
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return loadAll(result.stdout).filter(
    (doc): doc is KubernetesObject => typeof doc === 'object' && doc !== null,
  );
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const groupVersionPath = (apiVersion: string) =>
  apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;

/** The resources an API group version serves (discovery), e.g. to learn a kind's plural and scope. */
export async function discover(kc: KubeConfig, apiVersion: string): Promise<ApiResource[]> {
  const response = await kubeRequest(kc, 'GET', groupVersionPath(apiVersion));
  if (response.status !== 200) throw new Error(`discovery of ${apiVersion}: HTTP ${response.status}`);
  return (JSON.parse(response.body) as { resources: ApiResource[] }).resources;
}

/** The API path of an object of any kind the server serves (its plural and scope come from discovery). */
export async function objectPath(kc: KubeConfig, object: KubernetesObject): Promise<string> {
  const apiVersion = object.apiVersion ?? '';
  const resource = (await discover(kc, apiVersion)).find(
    (r) => r.kind === object.kind && !r.name.includes('/'),
  );
  if (!resource) throw new Error(`the API server serves no ${object.kind} in ${apiVersion}`);
  const scope = resource.namespaced ? `/namespaces/${object.metadata?.namespace}` : '';
  return `${groupVersionPath(apiVersion)}${scope}/${resource.name}/${object.metadata?.name}`;
}

/**
 * Server-side applies any object (any kind the server serves) and returns the raw answer; with `dryRun` the API
 * server validates and admits it and stores nothing.
 */
export async function applyObject(
  kc: KubeConfig,
  object: KubernetesObject,
  options: { fieldManager: string; dryRun?: boolean },
): Promise<{ status: number; body: string }> {
  const query = `fieldManager=${options.fieldManager}&force=true${options.dryRun ? '&dryRun=All' : ''}`;
  const path = `${await objectPath(kc, object)}?${query}`;
  return kubeRequest(kc, 'PATCH', path, { body: object, contentType: 'application/apply-patch+yaml' });
}
