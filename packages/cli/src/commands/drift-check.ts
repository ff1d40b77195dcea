import { checkDrift, type DriftReport, type FeatureResult, openDataset, Verdict } from '@steward/drift';
import { UsageError } from '../command.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';
import { terminalProgress } from './drift-progress.ts';
import { DRIFT_INPUT_ERRORS, DriftExitCode, loadConfig, parseFormat, readsInWorker } from './drift-shared.ts';

const EXIT_BY_VERDICT: Record<Verdict, number> = {
  [Verdict.NoDrift]: DriftExitCode.noDrift,
  [Verdict.Drift]: DriftExitCode.drift,
  [Verdict.Inconclusive]: DriftExitCode.inconclusive,
  [Verdict.SchemaDrift]: DriftExitCode.schemaDrift,
};

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '-';
  return Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(2);
}

function featureLine(f: FeatureResult): string {
  const cells = [
    f.name,
    f.type ?? '-',
    f.method ?? '-',
    `${formatNumber(f.statistic)}${f.approximate ? '~' : ''}`,
    formatNumber(f.pValue),
    formatNumber(f.threshold),
    f.verdict,
    f.message ?? '',
  ];
  return cells.join('\t');
}

export function formatReport(report: DriftReport): string {
  const header = ['feature', 'type', 'method', 'statistic', 'p-value', 'threshold', 'verdict', 'reason'].join(
    '\t',
  );
  const total = report.features.length;
  const unknown = report.inconclusiveFeatures > 0 ? `, ${report.inconclusiveFeatures} inconclusive` : '';
  const schema =
    report.schemaDriftedFeatures > 0 ? `, ${report.schemaDriftedFeatures} with schema drift` : '';
  const summary = `dataset: ${report.verdict} (drifted ${report.driftedFeatures}/${total}${schema}${unknown}, threshold share ${report.driftShare}; baseline ${report.referenceRows} rows, current ${report.currentRows} rows)`;
  const note = report.features.some((f) => f.approximate)
    ? '\n~ estimated from a profile sketch (see docs/drift.md)'
    : '';
  return [header, ...report.features.map(featureLine), '', summary].join('\n') + note;
}

/** `steward drift check`: compares current data with a baseline; the exit code is the verdict. */
export const command = defineCommand({
  usage:
    'usage: steward drift check --baseline PROFILE.json|DATA --current DATA [--config MONITOR.yaml] [-o human|json|yaml] [--format csv|jsonl|parquet]',
  help: `Compares current data with a baseline (a profile saved by steward drift profile, or data) feature by
feature and prints the values behind the verdict (docs/drift.md).

  --baseline     a saved profile (.json) or data: a file, s3://bucket/key or s3://bucket/prefix/
  --current      the data to check, in the same forms
  --config       a DriftMonitor manifest: its spec.dataDrift features, methods and thresholds
  -o, --output   human (default), json or yaml: the full report
  --format       the data format when the name does not tell: csv, jsonl or parquet

exit codes: 0 no drift, 1 drift, 2 bad usage or input, 3 inconclusive, 4 schema drift`,
  options: {
    baseline: { type: 'string' },
    current: { type: 'string' },
    config: { type: 'string' },
    format: { type: 'string' },
  },
  inputErrors: DRIFT_INPUT_ERRORS,
  run: async ({ values, positionals, output }, io) => {
    const missing = [values.baseline ? '' : '--baseline', values.current ? '' : '--current'].filter(Boolean);
    if (missing.length > 0) throw new UsageError(`missing ${missing.join(' and ')}`);
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const config = await loadConfig(values.config);
    const format = parseFormat(values.format);
    const open = async (location: string) => {
      const progress = terminalProgress(`reading ${location}`);
      try {
        return await openDataset(location, {
          isolated: await readsInWorker(location),
          ...(config ? { config } : {}),
          ...(format ? { format } : {}),
          onProgress: progress.update,
        });
      } finally {
        progress.done();
      }
    };
    const baseline = await open(values.baseline as string);
    const current = await open(values.current as string);
    const report = checkDrift(baseline, current, config ?? {});
    for (const warning of report.warnings) io.stderr(`steward drift check: warning: ${warning}`);
    await printResult(io, output, report, formatReport);
    return EXIT_BY_VERDICT[report.verdict];
  },
});
