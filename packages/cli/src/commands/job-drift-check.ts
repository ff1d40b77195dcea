import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import {
  type CheckResult,
  DriftCheckEnv,
  type DriftMonitorSpec,
  driftMonitorSpecSchema,
  TERMINATION_MESSAGE_PATH,
} from '@steward/api';
import { ConfigError, DataError } from '@steward/drift';
import { loadAll } from 'js-yaml';
import { ExitCode, InputError, UsageError } from '../command.ts';
import { runCheck } from '../drift-job/measure.ts';
import { writeReport } from '../drift-job/report.ts';
import { terminationMessage } from '../drift-job/termination.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';

/** Settings the CronJob's Pod template passes as environment variables (a flag wins over its variable). */
const JobEnv = DriftCheckEnv;

interface Monitor {
  namespace: string | undefined;
  spec: DriftMonitorSpec;
}

/** The DriftMonitor of a manifest (YAML or JSON, the one users apply); its spec is validated like admission. */
export function parseMonitor(text: string, source: string): Monitor {
  let documents: unknown[];
  try {
    documents = loadAll(text);
  } catch (error) {
    throw new InputError(`${source}: invalid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const monitors = documents.filter(
    (d): d is { metadata?: { namespace?: string }; spec?: unknown } =>
      typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'DriftMonitor',
  );
  if (monitors.length !== 1)
    throw new InputError(`${source}: expected one DriftMonitor, found ${monitors.length}`);
  const parsed = driftMonitorSpecSchema.safeParse(monitors[0]?.spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${source}: spec.${(issue?.path ?? []).join('.')}: ${issue?.message ?? 'invalid'}`);
  }
  return { namespace: monitors[0]?.metadata?.namespace, spec: parsed.data };
}

function human(result: CheckResult): string {
  const lines = [result.message ?? result.outcome];
  for (const f of result.features ?? []) {
    const value =
      f.pValue !== undefined
        ? `p=${f.pValue.toPrecision(3)}`
        : f.score !== undefined
          ? `score=${f.score.toPrecision(3)}`
          : '';
    lines.push(`  feature ${f.name}: ${f.outcome} ${f.method ?? ''} ${value} ${f.reason ?? ''}`.trimEnd());
  }
  const c = result.conceptDrift;
  if (c) {
    const matched = c.join ? ` matched=${c.sampleSize}/${c.join.labelRows}` : '';
    lines.push(
      `  concept ${c.metric}: ${c.outcome} value=${c.value ?? '-'} baseline=${c.baseline} n=${c.sampleSize}${matched} ${c.message ?? ''}`.trimEnd(),
    );
  }
  for (const [what, list] of [
    ['kpi', result.businessKpis],
    ['quality', result.outputQuality],
  ] as const) {
    for (const b of list ?? [])
      lines.push(`  ${what} ${b.name}: ${b.outcome} value=${b.value ?? '-'} ${b.message ?? ''}`.trimEnd());
  }
  for (const warning of result.warnings ?? []) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}

async function readMonitor(path: string | undefined): Promise<Monitor> {
  if (path !== undefined) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    return parseMonitor(text, path);
  }
  const inline = process.env[JobEnv.monitor];
  if (inline === undefined) throw new UsageError(`--monitor or ${JobEnv.monitor} is required`);
  return parseMonitor(inline, JobEnv.monitor);
}

/**
 * `steward job drift-check`: runs every configured part of a DriftMonitor's check, writes the compact
 * result as the container's termination message and the full one into the report ConfigMap, and
 * prints it. Exit 0 whenever the check ran, whatever it found: the operator reads the outcome, and a
 * drift is not a failed Job.
 */
export const command = defineCommand({
  usage:
    'usage: steward job drift-check [--monitor MONITOR.yaml] [--baseline-profile PROFILE.json] [--report-configmap NAME] [--namespace NS] [--job NAME] [--termination-log PATH] [-o human|json|yaml]',
  help: `Runs a DriftMonitor's check: data drift, concept drift, business KPIs and output quality, each
part that its spec configures (docs/drift-monitor.md). The operator's CronJob runs it with the
settings in environment variables; locally, give the manifest you apply.

  --monitor            a DriftMonitor manifest (default: the JSON in $${JobEnv.monitor})
  --baseline-profile   the baseline profile file when spec.baseline.profile is set ($${JobEnv.baselineProfile})
  --report-configmap   write the full result into this ConfigMap ($${JobEnv.reportConfigMap})
  --namespace          its namespace ($${JobEnv.namespace}, else the manifest's)
  --job                the Job name recorded with the result ($${JobEnv.job})
  --termination-log    where the compact result goes (default ${TERMINATION_MESSAGE_PATH} when it exists)
  -o, --output         human (default), json or yaml: the measured result

The Prometheus bearer token comes from $${JobEnv.prometheusToken}, data credentials from the SDKs' usual variables.

exit codes: 0 the check ran (its outcome is in the result), 2 bad usage or monitor, 5 unexpected failure`,
  options: {
    monitor: { type: 'string' },
    'baseline-profile': { type: 'string' },
    'report-configmap': { type: 'string' },
    namespace: { type: 'string' },
    job: { type: 'string' },
    'termination-log': { type: 'string' },
  },
  inputErrors: [ConfigError, DataError],
  run: async ({ values, positionals, output }, io) => {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const monitor = await readMonitor(values.monitor);
    const { result, summary } = await runCheck(monitor.spec, {
      now: () => new Date(),
      baselineProfilePath: values['baseline-profile'] ?? process.env[JobEnv.baselineProfile],
      prometheusToken: process.env[JobEnv.prometheusToken],
    });
    const job = values.job ?? process.env[JobEnv.job];
    if (job !== undefined) result.job = job;
    const terminationLog =
      values['termination-log'] ??
      (existsSync(TERMINATION_MESSAGE_PATH) ? TERMINATION_MESSAGE_PATH : undefined);
    if (terminationLog !== undefined) await writeFile(terminationLog, terminationMessage(result, summary));
    const configMap = values['report-configmap'] ?? process.env[JobEnv.reportConfigMap];
    const namespace = values.namespace ?? process.env[JobEnv.namespace] ?? monitor.namespace;
    if (configMap !== undefined && namespace !== undefined && job !== undefined) {
      // The termination message already carries the result: a report that cannot be written is a warning.
      await writeReport(namespace, configMap, { job, result }).catch((error: unknown) =>
        io.stderr(
          `steward job drift-check: warning: report ConfigMap ${namespace}/${configMap} not written: ${(error as Error).message}`,
        ),
      );
    }
    await printResult(io, output, result, human);
    return ExitCode.ok;
  },
});
