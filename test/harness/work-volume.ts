import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

// The image's user writes the artefacts (Dockerfile: USER 65532).
const WORLD_WRITABLE = 0o777;
const READABLE = 0o755;

export interface WorkVolume {
  /** The PersistentVolumeClaim to mount (RetrainPipeline `volumes`). */
  claim: string;
  /** The host folder behind it, holding `models/`, which the image's user may write. */
  hostFolder: string;
  /** Deletes the PersistentVolume (cluster-scoped; the claim goes with its namespace) and the host folder. */
  remove(): Promise<void>;
}

/**
 * A host folder with an empty `models/`, bound to a claim in `namespace` through a hostPath
 * PersistentVolume: one node, so hostPath is the whole story. The example train Jobs write their
 * artefacts to it.
 */
export async function createWorkVolume(
  kc: KubeConfig,
  namespace: string,
  claim: string,
): Promise<WorkVolume> {
  const hostFolder = mkdtempSync(join(tmpdir(), `steward-${claim}-`));
  mkdirSync(join(hostFolder, 'models'));
  chmodSync(join(hostFolder, 'models'), WORLD_WRITABLE);
  chmodSync(hostFolder, READABLE);
  const core = kc.makeApiClient(CoreV1Api);
  const volume = `${namespace}-${claim}`;
  await core.createPersistentVolume({
    body: {
      metadata: { name: volume },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        hostPath: { path: hostFolder, type: 'Directory' },
      },
    },
  });
  await core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name: claim },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: '',
        volumeName: volume,
        resources: { requests: { storage: '1Gi' } },
      },
    },
  });
  return {
    claim,
    hostFolder,
    remove: async () => {
      await core.deletePersistentVolume({ name: volume }).catch(() => undefined);
      rmSync(hostFolder, { recursive: true, force: true });
    },
  };
}
