import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ControlPlaneBinaries {
  dir: string;
  etcd: string;
  kubeApiServer: string;
  /** Absent when KUBEBUILDER_ASSETS points at envtest assets, which ship no controller manager. */
  kubeControllerManager: string | undefined;
}

const repoRoot = new URL('../../', import.meta.url).pathname;

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The versions hack/controlplane/ensure.sh builds; one file so the cache key cannot drift. */
function pinnedVersions(): { kubernetes: string; etcd: string } {
  const env = readFileSync(join(repoRoot, 'hack/controlplane/versions.env'), 'utf8');
  const read = (key: string) => {
    const match = new RegExp(`^${key}=(\\S+)$`, 'm').exec(env);
    if (!match?.[1]) throw new Error(`hack/controlplane/versions.env has no ${key}`);
    return match[1];
  };
  return { kubernetes: read('KUBERNETES_VERSION'), etcd: read('ETCD_VERSION') };
}

/**
 * Finds etcd, kube-apiserver and kube-controller-manager: KUBEBUILDER_ASSETS when set (the envtest
 * convention), otherwise the per-user cache that `make controlplane` fills.
 */
export function locateBinaries(env: NodeJS.ProcessEnv = process.env): ControlPlaneBinaries {
  let dir = env.KUBEBUILDER_ASSETS;
  if (!dir) {
    const { kubernetes, etcd } = pinnedVersions();
    const cache = env.STEWARD_CACHE || join(homedir(), '.cache/steward');
    dir = join(cache, 'controlplane', `kubernetes-${kubernetes}-etcd-${etcd}`);
  }
  const etcd = join(dir, 'etcd');
  const kubeApiServer = join(dir, 'kube-apiserver');
  const missing = [etcd, kubeApiServer].filter((p) => !isExecutable(p));
  if (missing.length > 0) {
    throw new Error(
      `control-plane binaries not found: ${missing.join(', ')}. Run 'make controlplane' (builds them with Go) ` +
        'or set KUBEBUILDER_ASSETS to a folder holding etcd and kube-apiserver.',
    );
  }
  const kcm = join(dir, 'kube-controller-manager');
  return { dir, etcd, kubeApiServer, kubeControllerManager: isExecutable(kcm) ? kcm : undefined };
}
