/**
 * `steward job drill-check`: the check stage of a RetrainPipeline fire drill. It reads the DriftMonitor's
 * baseline data, injects the drill's synthetic drift into a copy of it, checks the copy against the
 * baseline with the monitor's dataDrift configuration, and reports whether the drift was detected as the
 * container's termination message ({detected, summary}, drillCheckResultSchema). Exit 0 whenever the check
 * ran: a drift that went undetected is the drill's finding, not a failed Job.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import {
  type DrillCheckResult,
  driftMonitorSpecSchema,
  drillInjectionSchema,
  TERMINATION_MESSAGE_PATH,
} from '@steward/api';
import {
  baselineWithInjectedCopy,
  ConfigError,
  checkDrift,
  DataError,
  type DriftInjection,
  InjectionError,
  parseDriftMonitorConfig,
  Verdict,
} from '@steward/drift';
import { load } from 'js-yaml';
import { ExitCode, InputError } from '../command.ts';
import { locationOf } from '../drift-job/locations.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';

/** Set by the RetrainPipeline controller on the check Job (docs/retrain-pipeline.md). */
export const DRILL_INJECTION_ENV = 'STEWARD_DRILL_INJECTION';
/** The DriftMonitor manifest, as the DriftMonitor's check CronJob passes it. */
export const DRIFT_MONITOR_ENV = 'STEWARD_DRIFT_MONITOR';

// The summary names at most this many features: the termination message holds 4 KiB in all.
const MAX_SUMMARY_FEATURES = 8;

async function monitorText(path: string | undefined): Promise<{ text: string; source: string }> {
  if (path !== undefined) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    return { text, source: path };
  }
  const inline = process.env[DRIFT_MONITOR_ENV];
  if (inline === undefined) throw new InputError(`--monitor or ${DRIFT_MONITOR_ENV} is required`);
  return { text: inline, source: DRIFT_MONITOR_ENV };
}

function parseInjection(text: string | undefined): DriftInjection {
  if (text === undefined) throw new InputError(`--injection or ${DRILL_INJECTION_ENV} is required`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`the injection is not JSON: ${text.slice(0, 200)}`);
  }
  const parsed = drillInjectionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`injection.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Checks an injected copy of the monitor's baseline against the baseline. */
export async function drillCheck(
  monitorYaml: string,
  source: string,
  injection: DriftInjection,
): Promise<DrillCheckResult> {
  const manifest = load(monitorYaml) as { spec?: unknown } | undefined;
  const spec = driftMonitorSpecSchema.safeParse(manifest?.spec);
  if (!spec.success)
    throw new InputError(`${source}: not a valid DriftMonitor: ${spec.error.issues[0]?.message ?? ''}`);
  const baseline = spec.data.baseline?.source;
  if (baseline === undefined) {
    throw new InputError(
      `${source}: a fire drill injects drift into the baseline data (spec.baseline.source); a stored profile cannot be changed`,
    );
  }
  if (spec.data.dataDrift === undefined) {
    throw new InputError(
      `${source}: the DriftMonitor has no dataDrift check that could detect injected data drift`,
    );
  }
  const config = parseDriftMonitorConfig(monitorYaml, source);
  // The same reading of the URI as the scheduled check's (file:// and pvc:// are paths in the Pod).
  const location = locationOf(baseline.uri);
  const { baseline: reference, injected } = await baselineWithInjectedCopy(location, injection, {
    config,
    ...(baseline.format === undefined ? {} : { format: baseline.format }),
  });
  const report = checkDrift(reference, injected, config);
  const features = report.features
    .filter((f) => injection.features.includes(f.name) || f.verdict === Verdict.Drift)
    .slice(0, MAX_SUMMARY_FEATURES)
    .map(
      (f) =>
        `${f.name} ${f.verdict}${f.method ? ` (${f.method} ${f.statistic?.toPrecision(3) ?? '-'}, threshold ${f.threshold ?? '-'})` : ''}`,
    );
  const share = `drifted ${report.driftedFeatures}/${report.evaluatedFeatures} features, threshold share ${report.driftShare}`;
  return {
    detected: report.verdict === Verdict.Drift,
    summary: `${report.verdict}: ${share}; ${features.join('; ')}`.slice(0, 1024),
  };
}

export const command = defineCommand({
  usage:
    'usage: steward job drill-check [--monitor MONITOR.yaml] [--injection JSON] [--termination-log PATH] [-o human|json|yaml]',
  help: [
    `Runs the check stage of a RetrainPipeline fire drill (the operator starts it as a Job). The DriftMonitor comes`,
    `from --monitor or ${DRIFT_MONITOR_ENV}, the injection from --injection or ${DRILL_INJECTION_ENV}`,
    '({"features": [...], "kind": "shift"|"scale"|"categoryFlip", "magnitude": n}).',
    '',
    'exit codes: 0 the check ran (detected or not), 2 bad input, 5 failure',
  ].join('\n'),
  options: {
    monitor: { type: 'string' },
    injection: { type: 'string' },
    'termination-log': { type: 'string' },
  },
  inputErrors: [ConfigError, DataError, InjectionError],
  run: async ({ values, output }, io) => {
    const { text, source } = await monitorText(values.monitor);
    const injection = parseInjection(values.injection ?? process.env[DRILL_INJECTION_ENV]);
    const result = await drillCheck(text, source, injection);
    const terminationLog =
      values['termination-log'] ??
      (existsSync(TERMINATION_MESSAGE_PATH) ? TERMINATION_MESSAGE_PATH : undefined);
    if (terminationLog !== undefined) await writeFile(terminationLog, JSON.stringify(result));
    await printResult(io, output, result, (r) => `${r.detected ? 'detected' : 'NOT detected'}: ${r.summary}`);
    return ExitCode.ok;
  },
});
