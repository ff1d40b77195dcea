import type { RetrainPipeline } from '@steward/api';
import { RetrainPipelineType } from '@steward/operator';
import type { KubeClient } from '@steward/runtime';
import { eventually } from './eventually.ts';

// What the e2e retrain test and `make demo` share: the example trainer's stages as RetrainPipeline Jobs
// of the Steward image, and the wait for a pipeline's status.

/** Where the Steward image holds the fraud-scoring example's trainer and validator (Dockerfile). */
export const EXAMPLE_TRAINER_DIR = '/app/examples/fraud-scoring/trainer/src';

/**
 * Each stage is a Pod the node starts and runs (training: a few seconds of gradient descent on 4000 rows);
 * a run is two stages, a drill three, on a busy 2-core machine.
 */
export const RETRAIN_RUN_TIMEOUT_MS = 240_000;

type Stage = RetrainPipeline['spec']['train'];
type Volume = NonNullable<Stage['volumes']>[number];

/** A train (`train.ts`) or validate (`validate.ts`) stage running the example trainer in `image`. */
export function exampleTrainerStage(
  image: string,
  script: 'train.ts' | 'validate.ts',
  args: string[],
  volumes: Volume[] = [],
): Stage {
  return {
    image,
    command: ['node', `${EXAMPLE_TRAINER_DIR}/${script}`],
    args,
    timeout: '10m',
    // One attempt: a failing example trainer is a bug to see, not to retry.
    backoffLimit: 0,
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}

/** Waits until the pipeline's status satisfies `done`; the timeout message shows the last status seen. */
export async function pipelineWhere(
  client: KubeClient,
  namespace: string,
  name: string,
  done: (pipeline: RetrainPipeline) => boolean,
  what: string,
  timeoutMs = RETRAIN_RUN_TIMEOUT_MS,
): Promise<RetrainPipeline> {
  let last: RetrainPipeline | undefined;
  return eventually(
    () => `${what} (last status: ${JSON.stringify(last?.status)})`,
    async () => {
      last = await client.get<RetrainPipeline>(RetrainPipelineType, namespace, name);
      return done(last) ? last : undefined;
    },
    timeoutMs,
  );
}
