import { type CardFacts, renderCardMarkdown, renderMlBom } from '@steward/operator';
import { ExitCode, InputError, UsageError } from '../command.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';
import { nowOf, readManifests, sameNamespace } from './manifests.ts';

const help = `Prints the model card of the ModelDeployment in FILE (the first one, when there are several): Markdown by
default, the CycloneDX 1.6 ML-BOM with -o json or -o yaml. The same card the operator writes into the
model's ConfigMap when it admits the version; an OutputContract among the files adds its version.

  --now          the admission time on the card when the manifest has no status; default: now
  -o, --output   human (Markdown, default), json or yaml (the ML-BOM)

exit codes: 0 printed, 2 bad usage or input (no ModelDeployment, or no version to describe)`;

export const command = defineCommand({
  usage: 'usage: steward card render FILE... [--now TIME] [-o human|json|yaml]',
  help,
  options: { now: { type: 'string' } },
  run: async ({ values, positionals, output }, io) => {
    if (positionals.length === 0) throw new UsageError('expected a manifest file');
    const manifests = await readManifests(positionals);
    const first = manifests.models[0];
    if (first === undefined) throw new InputError(`no ModelDeployment in ${positionals.join(', ')}`);
    const { model } = first;
    const spec = model.spec;
    const admitted = model.status?.admitted;
    const version = spec.model.version ?? admitted?.version;
    const uri = spec.model.uri ?? admitted?.uri;
    if (version === undefined || uri === undefined) {
      throw new InputError(
        `${first.source}: the model follows a RetrainPipeline and has no admitted version in status: no version to describe`,
      );
    }
    const contract = sameNamespace(manifests.contracts, model, spec.outputContract?.name);
    const contractVersion = contract?.spec.version ?? admitted?.contractVersion;
    const facts: CardFacts = {
      namespace: model.metadata.namespace ?? 'default',
      name: model.metadata.name,
      uid: model.metadata.uid ?? '',
      spec,
      admitted: {
        version,
        uri,
        serving: spec.serving,
        generation: model.metadata.generation ?? admitted?.generation ?? 0,
        admittedAt: admitted?.admittedAt ?? `${nowOf(values.now).toISOString().slice(0, 19)}Z`,
        ...(contractVersion === undefined ? {} : { contractVersion }),
      },
      contract:
        spec.outputContract === undefined || contractVersion === undefined
          ? undefined
          : { name: spec.outputContract.name, version: contractVersion },
      driftMonitors: [],
      retrainPipelines: manifests.pipelines.map((p) => p.metadata.name),
      history: model.status?.history ?? [],
    };
    if (output === 'human') io.stdout(renderCardMarkdown(facts).trimEnd());
    else await printResult(io, output, renderMlBom(facts), () => '');
    return ExitCode.ok;
  },
});
