import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = new URL('../../../', import.meta.url).pathname;

/** Where the node's binaries and images are; `hack/node/*.sh` provision them and print these. */
export interface NodeAssets {
  /** kube-scheduler, kubelet, kubectl. */
  binDir: string;
  /** containerd, its runc shim, runc and the CNI plugins, unpacked from Debian packages. */
  runtimeDir: string;
  pauseImage: string;
  pauseArchive: string;
  stewardImage: string;
  stewardArchive: string;
}

/** Runs a provisioning script (its progress goes to stderr) and reads the KEY=value lines it prints. */
function provision(script: string): Map<string, string> {
  const out = execFileSync(join(repoRoot, script), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const values = new Map<string, string>();
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}

function required(values: Map<string, string>, key: string, script: string): string {
  const value = values.get(key);
  if (!value) throw new Error(`${script} printed no ${key}`);
  return value;
}

/** Builds or finds everything a node needs; fast once cached (the scripts only check). */
export function provisionNodeAssets(): NodeAssets {
  const node = provision('hack/node/ensure.sh');
  const image = provision('hack/node/image.sh');
  return {
    binDir: required(node, 'NODE_BIN_DIR', 'hack/node/ensure.sh'),
    runtimeDir: required(node, 'NODE_RUNTIME_DIR', 'hack/node/ensure.sh'),
    pauseImage: required(node, 'PAUSE_IMAGE', 'hack/node/ensure.sh'),
    pauseArchive: required(node, 'PAUSE_IMAGE_ARCHIVE', 'hack/node/ensure.sh'),
    stewardImage: required(image, 'STEWARD_IMAGE', 'hack/node/image.sh'),
    stewardArchive: required(image, 'STEWARD_IMAGE_ARCHIVE', 'hack/node/image.sh'),
  };
}
