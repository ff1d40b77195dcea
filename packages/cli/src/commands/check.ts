import { evaluateGates, type GateFailure } from '@steward/operator';
import { ExitCode, InputError, UsageError } from '../command.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';
import { nowOf, readManifests, sameNamespace } from './manifests.ts';

const help = `Runs the rollout gates of every ModelDeployment in FILE... offline, as the operator would: owner named
and reviewed, declared output against the OutputContract it names (looked up among the same files),
contract version range and every consumer's range, governance by risk class including an approval of
exactly this version. For CI before merge. Other kinds in the files are skipped.

  --now          judge review dates at this date or time (YYYY-MM-DD or RFC 3339); default: now
  -o, --output   human (default), json or yaml

exit codes: 0 every model admitted, 1 a model blocked (each failing gate printed), 2 bad usage or input`;

interface ModelVerdict {
  source: string;
  name: string;
  version: string | undefined;
  admitted: boolean;
  failures: GateFailure[];
}

interface CheckResult {
  models: ModelVerdict[];
  skipped: string[];
}

function renderHuman(result: CheckResult): string {
  const lines: string[] = [];
  for (const model of result.models) {
    const version = model.version ?? '(unresolved)';
    lines.push(`${model.name} ${version}: ${model.admitted ? 'admitted' : 'BLOCKED'} (${model.source})`);
    for (const f of model.failures) lines.push(`  ${f.reason}: ${f.message}`);
  }
  for (const skipped of result.skipped) lines.push(`skipped ${skipped}`);
  const blocked = result.models.filter((m) => !m.admitted).length;
  lines.push(`summary: ${result.models.length - blocked} admitted, ${blocked} blocked`);
  return lines.join('\n');
}

export const command = defineCommand({
  usage: 'usage: steward check FILE... [--now DATE] [-o human|json|yaml]',
  help,
  options: { now: { type: 'string' } },
  run: async ({ values, positionals, output }, io) => {
    if (positionals.length === 0) throw new UsageError('expected at least one manifest file');
    const now = nowOf(values.now);
    const manifests = await readManifests(positionals);
    if (manifests.models.length === 0) {
      throw new InputError(`no ModelDeployment in ${positionals.join(', ')}: nothing to check`);
    }
    const models = manifests.models.map(({ source, model }): ModelVerdict => {
      const report = evaluateGates(model.spec, {
        contract: sameNamespace(manifests.contracts, model, model.spec.outputContract?.name),
        pipeline: sameNamespace(manifests.pipelines, model, model.spec.model.versionFrom?.retrainPipeline),
        now,
      });
      return {
        source,
        name: model.metadata.name,
        version: report.candidate?.version,
        admitted: report.failures.length === 0,
        failures: report.failures,
      };
    });
    const result = { models, skipped: manifests.skipped };
    await printResult(io, output, result, renderHuman);
    return models.every((m) => m.admitted) ? ExitCode.ok : ExitCode.problemFound;
  },
});
