import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { type ArtefactStore, startArtefactStore } from '../harness/artefact-store.ts';
import { EXAMPLE_PREFIX, type ObjectStore, startObjectStore } from '../harness/object-store.ts';
import { createWorkVolume, type WorkVolume } from '../harness/work-volume.ts';
import type { DemoKube } from './kube.ts';
import { namespace } from './kube.ts';
import type { DemoStorage } from './retrain-resources.ts';

// With a node, the demo's Pods need what a real cluster would have: the example data in an S3-compatible
// store, a volume for the trainer's artefacts, and a server publishing those artefacts over HTTP.

const trainer = new URL('../../examples/fraud-scoring/trainer/src/train.ts', import.meta.url).pathname;
const trainingData = new URL('../../examples/fraud-scoring/data/training.csv', import.meta.url).pathname;

export interface NodeStores {
  storage: DemoStorage;
  /** One line saying where the data and artefacts are. */
  summary: string;
  stop(): Promise<void>;
}

/**
 * Starts the stores on `hostIp` (the host's address Pods on the node reach), and trains the version that
 * serves first, `initialVersion`, with the example trainer's own command line on this host.
 */
export async function startNodeStores(
  kube: DemoKube,
  hostIp: string,
  image: string,
  initialVersion: string,
): Promise<NodeStores> {
  let objectStore: ObjectStore | undefined;
  let volume: WorkVolume | undefined;
  let artefacts: ArtefactStore | undefined;
  const stop = async () => {
    artefacts?.close();
    await volume?.remove();
    await objectStore?.stop();
  };
  try {
    objectStore = await startObjectStore({ host: hostIp });
    const credentialsSecret = await objectStore.createCredentialsSecret(
      kube.kc.makeApiClient(CoreV1Api),
      namespace,
    );
    volume = await createWorkVolume(kube.kc, namespace, 'fraud-artefacts');
    artefacts = await startArtefactStore(volume.hostFolder);
    const artefactBase = `http://${hostIp}:${artefacts.port}/models`;
    await promisify(execFile)(process.execPath, [
      trainer,
      `--data=${trainingData}`,
      `--output=file://${volume.hostFolder}/models`,
      `--version=${initialVersion}`,
      `--result=${join(volume.hostFolder, 'initial-result.json')}`,
    ]);
    const store = objectStore;
    return {
      storage: {
        image,
        dataUri: (file) => store.uri(`${EXAMPLE_PREFIX}${file}`),
        credentialsSecret,
        artefactClaim: volume.claim,
        artefactBase,
      },
      summary: `example data in ${store.uri(EXAMPLE_PREFIX)} (the S3-compatible store at ${store.endpoint}, Secret ${credentialsSecret}); artefacts on PersistentVolumeClaim ${volume.claim}, served at ${artefactBase} (${initialVersion} trained on this host)`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
