import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_DIRECTORY, REPO_ROOT, renderChart, runTool, toolPath } from '../harness/chart.ts';

// The chart's PrometheusRule, checked by promtool from Debian's prometheus package: the rules parse, every alert
// fires on a synthetic series in charts/steward/tests/alerts*.test.yaml and stays silent on another, and every
// alert carries what an on-call engineer needs.

const UNIT_TEST_FILES = ['alerts.test.yaml', 'alerts-stale.test.yaml'];
// The values the unit tests' expected annotations were written for (see the head of alerts.test.yaml).
const RENDER = {
  release: 'steward',
  namespace: 'steward-system',
  values: { prometheusRule: { enabled: true, runbookBaseUrl: 'https://runbooks.example/steward' } },
};

interface AlertRule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface PrometheusRule extends KubernetesObject {
  spec: { groups: { name: string; rules: AlertRule[] }[] };
}
interface UnitTests {
  tests: {
    name: string;
    alert_rule_test: { alertname: string; exp_alerts: { exp_labels: Record<string, string> }[] }[];
  }[];
}

let promtool: string;
let scratch: string;
let alerts: AlertRule[];

beforeAll(async () => {
  promtool = await toolPath('hack/promtool/ensure.sh');
  const helm = await toolPath('hack/helm/ensure.sh');
  const rule = (await renderChart(helm, RENDER)).find((o) => o.kind === 'PrometheusRule') as PrometheusRule;
  alerts = rule.spec.groups.flatMap((group) => group.rules);
  scratch = mkdtempSync(join(tmpdir(), 'steward-alerts-'));
  writeFileSync(join(scratch, 'rules.yaml'), dump({ groups: rule.spec.groups }));
  for (const file of UNIT_TEST_FILES) copyFileSync(join(CHART_DIRECTORY, 'tests', file), join(scratch, file));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the PrometheusRule', () => {
  it('passes promtool check rules', async () => {
    const result = await runTool(promtool, ['check', 'rules', 'rules.yaml'], scratch);
    expect(result.stderr + result.stdout).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('passes its promtool unit tests', async () => {
    const result = await runTool(promtool, ['test', 'rules', ...UNIT_TEST_FILES], scratch);
    expect(result.stdout + result.stderr).not.toContain('FAILED');
    expect(result.code).toBe(0);
  });

  it('has, for every alert, a unit test in which it fires with an owner and one in which it does not', () => {
    const cases = UNIT_TEST_FILES.flatMap((file) =>
      (load(readFileSync(join(CHART_DIRECTORY, 'tests', file), 'utf8')) as UnitTests).tests.flatMap(
        (test) => test.alert_rule_test,
      ),
    );
    expect(new Set(cases.map((c) => c.alertname))).toEqual(new Set(alerts.map((rule) => rule.alert)));
    const missing: string[] = [];
    for (const { alert } of alerts) {
      const mine = cases.filter((c) => c.alertname === alert);
      const firing = mine.filter((c) => c.exp_alerts.length > 0);
      if (firing.length === 0) missing.push(`${alert}: no case where it fires`);
      if (!mine.some((c) => c.exp_alerts.length === 0))
        missing.push(`${alert}: no case where it stays silent`);
      for (const expected of firing.flatMap((c) => c.exp_alerts)) {
        if (!expected.exp_labels.owner) missing.push(`${alert}: fires without an owner label`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives every alert a severity, a summary, a description and a runbook that exists', () => {
    const incomplete: string[] = [];
    for (const { alert, labels, annotations } of alerts) {
      if (!['warning', 'critical'].includes(labels?.severity ?? '')) incomplete.push(`${alert}: severity`);
      if (!annotations?.summary || !annotations.description)
        incomplete.push(`${alert}: summary or description`);
      const runbook = annotations?.runbook_url?.replace(
        RENDER.values.prometheusRule.runbookBaseUrl,
        'docs/runbooks',
      );
      if (!runbook?.startsWith('docs/runbooks/') || !existsSync(join(REPO_ROOT, runbook)))
        incomplete.push(`${alert}: runbook ${annotations?.runbook_url} does not exist in docs/runbooks`);
    }
    expect(incomplete).toEqual([]);
  });
});
