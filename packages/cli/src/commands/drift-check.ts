import { parseArgs } from 'node:util';
import { checkDrift, type DriftReport, type FeatureResult, openDataset, Verdict } from '@steward/drift';
import type { Io } from '../command.ts';
import { terminalProgress } from './drift-progress.ts';
import { DriftExitCode, loadConfig, parseFormat } from './drift-shared.ts';

export const DRIFT_CHECK_USAGE =
  'usage: steward drift check --baseline PROFILE.json|DATA --current DATA [--config MONITOR.yaml] [--output text|json] [--format csv|jsonl|parquet]';

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
export async function driftCheck(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      baseline: { type: 'string' },
      current: { type: 'string' },
      config: { type: 'string' },
      output: { type: 'string', default: 'text' },
      format: { type: 'string' },
    },
  });
  const missing = [values.baseline ? '' : '--baseline', values.current ? '' : '--current'].filter(Boolean);
  if (missing.length > 0 || positionals.length > 0 || !['text', 'json'].includes(values.output)) {
    const problem =
      missing.length > 0
        ? `missing ${missing.join(' and ')}`
        : positionals.length > 0
          ? `unexpected argument '${positionals[0]}'`
          : `--output must be text or json`;
    io.stderr(`steward drift check: ${problem}\n${DRIFT_CHECK_USAGE}`);
    return DriftExitCode.error;
  }
  const config = await loadConfig(values.config);
  const format = parseFormat(values.format);
  const open = async (location: string) => {
    const progress = terminalProgress(`reading ${location}`);
    try {
      return await openDataset(location, {
        isolated: true,
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
  io.stdout(values.output === 'json' ? JSON.stringify(report, null, 2) : formatReport(report));
  return EXIT_BY_VERDICT[report.verdict];
}
