/**
 * The trainer's and validator's command lines. The RetrainPipeline controller describes the run in
 * STEWARD_* environment variables (docs/retrain-pipeline.md); flags come from spec.train/validate.args.
 */
import { parseArgs } from 'node:util';
import { checkOutput, publishedUri, readModel, writeModel } from './artifact.ts';
import { readLabelledRows } from './data.ts';
import { evaluate, parseFairnessSpec } from './evaluate.ts';
import { defaultResultPath, report, reportFailure } from './report.ts';
import { trainModel } from './train-model.ts';
import { candidateVersion } from './version.ts';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
}

export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

export const TRAIN_USAGE =
  'usage: fraud-train --data LOCATION --output file:///DIR [--published-at URI] [--name NAME] [--version VERSION] [--result FILE]';
export const VALIDATE_USAGE =
  'usage: fraud-validate --holdout LOCATION [--model URI] [--serving-model URI] [--fairness METRIC:ATTRIBUTE:MIN:MAX]... [--result FILE]';

// Where a fire drill's dry-run artefacts go, below --output: nothing a ModelDeployment serves.
const DRILL_DIRECTORY = 'drills';

async function run(
  usage: string,
  resultPath: () => string | undefined,
  io: Io,
  body: () => Promise<void>,
): Promise<number> {
  try {
    await body();
    return ExitCode.Ok;
  } catch (error) {
    await reportFailure(error, resultPath(), io.stderr);
    if (error instanceof UsageError) io.stderr(`${usage}\n`);
    return error instanceof UsageError ? ExitCode.Usage : ExitCode.Failed;
  }
}

class UsageError extends Error {}

/** Runs a parse step; what it throws is the user's mistake, answered with the usage line. */
function asUsage<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export async function runTrain(args: readonly string[], io: Io): Promise<number> {
  let resultPath = defaultResultPath();
  return run(
    TRAIN_USAGE,
    () => resultPath,
    io,
    async () => {
      const { values } = asUsage(() =>
        parseArgs({
          args: [...args],
          options: {
            data: { type: 'string' },
            output: { type: 'string' },
            'published-at': { type: 'string' },
            name: { type: 'string', default: 'fraud-scorer' },
            version: { type: 'string' },
            result: { type: 'string' },
          },
        }),
      );
      if (values.result !== undefined) resultPath = values.result;
      if (values.data === undefined || values.output === undefined)
        throw new UsageError('--data and --output are required');
      checkOutput(values.output);
      const publishedAt = values['published-at'];
      // Checked before hours of training, like --output.
      if (publishedAt !== undefined) asUsage(() => publishedUri(publishedAt, ''));
      const runId = io.env.STEWARD_RUN_ID;
      const version = values.version ?? candidateVersion(io.env.STEWARD_SERVING_VERSION, runId);
      const rows = await readLabelledRows(values.data);
      const { model, trainingAuc } = trainModel(rows, {
        name: values.name,
        version,
        trainedAt: io.now(),
        data: values.data,
      });
      const directory =
        io.env.STEWARD_DRY_RUN === 'true' ? `${DRILL_DIRECTORY}/${runId ?? version}` : version;
      const written = await writeModel(values.output, directory, model);
      const uri = publishedAt === undefined ? written : publishedUri(publishedAt, directory);
      await report(
        {
          candidateVersion: version,
          uri,
          metrics: { training_auc: Number(trainingAuc.toPrecision(6)), training_rows: rows.length },
        },
        resultPath,
        io.stdout,
      );
    },
  );
}

export async function runValidate(args: readonly string[], io: Io): Promise<number> {
  let resultPath = defaultResultPath();
  return run(
    VALIDATE_USAGE,
    () => resultPath,
    io,
    async () => {
      const { values } = asUsage(() =>
        parseArgs({
          args: [...args],
          options: {
            holdout: { type: 'string' },
            model: { type: 'string' },
            'serving-model': { type: 'string' },
            fairness: { type: 'string', multiple: true },
            result: { type: 'string' },
          },
        }),
      );
      if (values.result !== undefined) resultPath = values.result;
      const candidateUri = values.model ?? io.env.STEWARD_CANDIDATE_URI;
      if (values.holdout === undefined || candidateUri === undefined) {
        throw new UsageError('--holdout and --model (or STEWARD_CANDIDATE_URI) are required');
      }
      const fairness = asUsage(() => (values.fairness ?? []).map(parseFairnessSpec));
      const candidate = await readModel(candidateUri);
      const servingUri = values['serving-model'] ?? io.env.STEWARD_SERVING_URI;
      // The serving model is optional: without it the operator compares with the ModelDeployment's evaluation.
      const serving =
        servingUri === undefined
          ? undefined
          : await readModel(servingUri).catch((error: Error) => {
              io.stderr(`serving model not compared: ${error.message}\n`);
              return undefined;
            });
      const rows = await readLabelledRows(values.holdout);
      await report(
        evaluate(candidate, rows, fairness, serving === undefined ? {} : { serving }),
        resultPath,
        io.stdout,
      );
    },
  );
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    now: () => new Date(),
  };
}
