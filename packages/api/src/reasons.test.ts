import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Verdict } from '@steward/drift';
import { afterEach, describe, expect, it } from 'vitest';
import { namesInRunningCode } from './crd/usage.ts';
import { CheckOutcome } from './kinds/drift-monitor.ts';
import { DriftMonitorReason, REASON_DOCS_BY_GROUP, Reason } from './reasons.ts';

describe('one vocabulary for a drift check’s outcome', () => {
  it('names every drift library verdict and status outcome as a DriftMonitor reason, spelled the same', () => {
    const reasons: Readonly<Record<string, string>> = DriftMonitorReason;
    for (const outcome of [...Object.values(Verdict), ...Object.values(CheckOutcome)]) {
      expect(reasons[outcome], outcome).toBe(outcome);
    }
  });

  it('keeps each reason in one group only, so Reason holds every group whole', () => {
    const names = Object.values(REASON_DOCS_BY_GROUP).flatMap((docs) => Object.keys(docs));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(Reason).sort()).toEqual([...names].sort());
  });
});

describe('which names running code sets', () => {
  let root = '';
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('counts every check outcome once running code sets DriftDetected, which takes the outcome as its reason', () => {
    root = mkdtempSync(join(tmpdir(), 'steward-usage-'));
    write('packages/operator/src/driftmonitor/controller.ts', 'export {};');
    write(
      'packages/operator/src/driftmonitor/conditions.ts',
      'c(ConditionType.DriftDetected, result.outcome);',
    );
    expect([...namesInRunningCode(root).reasons].sort()).toEqual([...Object.values(CheckOutcome)].sort());
  });

  it('counts wired controllers and the CLI, not tests, fixtures or a kind with only a decide function', () => {
    root = mkdtempSync(join(tmpdir(), 'steward-usage-'));
    write('packages/operator/src/outputcontract/controller.ts', 'export {};');
    write('packages/operator/src/outputcontract/conditions.ts', 'r(Reason.Published, ConditionType.Ready);');
    write('packages/operator/src/outputcontract/decide.test.ts', 'r(Reason.VersionNotIncreased);');
    write('packages/operator/src/modeldeployment/decide.ts', 'r(ModelDeploymentReason.OwnerMissing);');
    write('packages/operator/src/retrainpipeline/test-fixtures.ts', 'RETRAIN_REQUESTED_ANNOTATION;');
    write('packages/cli/src/commands/job.ts', "r(DriftMonitorReason.Drift); x = { reason: 'Suspended' };");
    write('packages/cli/src/commands/annotate.ts', 'DRILL_REQUESTED_ANNOTATION;');
    const inUse = namesInRunningCode(root);
    expect([...inUse.reasons].sort()).toEqual(['Drift', 'Published', 'Suspended']);
    expect([...inUse.conditionTypes]).toEqual(['Ready']);
    expect([...inUse.constants]).toEqual(['DRILL_REQUESTED_ANNOTATION']);
  });
});
