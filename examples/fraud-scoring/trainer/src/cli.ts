/**
 * The trainer's and validator's command lines. The RetrainPipeline controller describes the run in
 * STEWARD_* environment variables (docs/retrain-pipeline.md); flags come from spec.train/validate.args.
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import type { TrainResult } from '@steward/api';
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

class UsageError extends Error {}

/** Runs a parse step; what it throws is the user's mistake, answered with the usage line. */
function asUsage<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

// Every command takes --result: where its result document goes besides stdout.
const RESULT_OPTION = { result: { type: 'string' } } as const;
type Flags<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof RESULT_OPTION }>
>['values'];

/**
 * Runs one Job command: parses its flags, and writes the document `body` returns (or the failure, with the
 * usage line for a usage error) to stdout and to --result, by default the termination message.
 */
async function runCommand<O extends ParseArgsOptionsConfig>(
  usage: string,
  args: readonly string[],
  options: O,
  io: Io,
  body: (flags: Flags<O>) => Promise<unknown>,
): Promise<number> {
  let resultPath = defaultResultPath();
  try {
    const { values } = asUsage(() =>
      parseArgs({ args: [...args], options: { ...options, ...RESULT_OPTION } }),
    );
    // parseArgs cannot type the values of options only known as O here; Flags<O> is what it parses.
    const flags = values as Flags<O>;
    const result = (values as { result?: string }).result;
    if (result !== undefined) resultPath = result;
    await report(await body(flags), resultPath, io.stdout);
    return ExitCode.Ok;
  } catch (error) {
    await reportFailure(error, resultPath, io.stderr);
    if (error instanceof UsageError) io.stderr(`${usage}\n`);
    return error instanceof UsageError ? ExitCode.Usage : ExitCode.Failed;
  }
}

const TRAIN_OPTIONS = {
  data: { type: 'string' },
  output: { type: 'string' },
  'published-at': { type: 'string' },
  name: { type: 'string', default: 'fraud-scorer' },
  version: { type: 'string' },
} as const;

export function runTrain(args: readonly string[], io: Io): Promise<number> {
  return runCommand(TRAIN_USAGE, args, TRAIN_OPTIONS, io, async (flags): Promise<TrainResult> => {
    if (flags.data === undefined || flags.output === undefined)
      throw new UsageError('--data and --output are required');
    checkOutput(flags.output);
    const publishedAt = flags['published-at'];
    // Checked before hours of training, like --output.
    if (publishedAt !== undefined) asUsage(() => publishedUri(publishedAt, ''));
    const runId = io.env.STEWARD_RUN_ID;
    const version = flags.version ?? candidateVersion(io.env.STEWARD_SERVING_VERSION, runId);
    const rows = await readLabelledRows(flags.data);
    const { model, trainingAuc } = trainModel(rows, {
      name: flags.name,
      version,
      trainedAt: io.now(),
      data: flags.data,
    });
    const directory = io.env.STEWARD_DRY_RUN === 'true' ? `${DRILL_DIRECTORY}/${runId ?? version}` : version;
    const written = await writeModel(flags.output, directory, model);
    return {
      candidateVersion: version,
      uri: publishedAt === undefined ? written : publishedUri(publishedAt, directory),
      metrics: { training_auc: Number(trainingAuc.toPrecision(6)), training_rows: rows.length },
    };
  });
}

const VALIDATE_OPTIONS = {
  holdout: { type: 'string' },
  model: { type: 'string' },
  'serving-model': { type: 'string' },
  fairness: { type: 'string', multiple: true },
} as const;

export function runValidate(args: readonly string[], io: Io): Promise<number> {
  return runCommand(VALIDATE_USAGE, args, VALIDATE_OPTIONS, io, async (flags) => {
    const candidateUri = flags.model ?? io.env.STEWARD_CANDIDATE_URI;
    if (flags.holdout === undefined || candidateUri === undefined) {
      throw new UsageError('--holdout and --model (or STEWARD_CANDIDATE_URI) are required');
    }
    const fairness = asUsage(() => (flags.fairness ?? []).map(parseFairnessSpec));
    const candidate = await readModel(candidateUri);
    const servingUri = flags['serving-model'] ?? io.env.STEWARD_SERVING_URI;
    // The serving model is optional: without it the operator compares with the ModelDeployment's evaluation.
    const serving =
      servingUri === undefined
        ? undefined
        : await readModel(servingUri).catch((error: Error) => {
            io.stderr(`serving model not compared: ${error.message}\n`);
            return undefined;
          });
    const rows = await readLabelledRows(flags.holdout);
    return evaluate(candidate, rows, fairness, serving === undefined ? {} : { serving });
  });
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    now: () => new Date(),
  };
}
