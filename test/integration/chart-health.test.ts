import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHART_DIRECTORY, runTool, toolPath } from '../harness/chart.ts';

// The Argo CD health check of the Steward kinds (charts/steward/argocd, Argo CD's resource_customizations layout)
// run against its fixtures by hack/lua: gopher-lua, the engine Argo CD embeds, with Argo CD's default libraries.

const CUSTOMIZATIONS = join(CHART_DIRECTORY, 'argocd');
const CHECK = join(CUSTOMIZATIONS, 'mlops.steward.dev/_');
const KINDS = ['ModelDeployment', 'OutputContract', 'DriftMonitor', 'RetrainPipeline'];
const STATUSES = ['Healthy', 'Progressing', 'Degraded'];

interface HealthTests {
  tests: { inputPath: string; healthStatus: { status: string; message: string } }[];
}

let luahealth: string;
const healthTests = () => load(readFileSync(join(CHECK, 'health_test.yaml'), 'utf8')) as HealthTests;

beforeAll(async () => {
  luahealth = await toolPath('hack/lua/ensure.sh');
});

describe('the Argo CD health check', () => {
  it('gives every fixture the health status and message its health_test.yaml expects', async () => {
    const result = await runTool(luahealth, [CUSTOMIZATIONS]);
    expect(result.stdout).not.toContain('FAIL');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^ok /gm)).toHaveLength(healthTests().tests.length);
  });

  it('has a Healthy, a Progressing and a Degraded fixture for each of the four kinds', () => {
    const covered = new Set(
      healthTests().tests.map((test) => {
        const fixture = load(readFileSync(join(CHECK, test.inputPath), 'utf8')) as { kind: string };
        return `${fixture.kind} ${test.healthStatus.status}`;
      }),
    );
    const missing = KINDS.flatMap((kind) => STATUSES.map((status) => `${kind} ${status}`)).filter(
      (pair) => !covered.has(pair),
    );
    expect(missing).toEqual([]);
  });

  it('fails, naming the fixture, when a fixture expects another status', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'steward-health-'));
    try {
      cpSync(CUSTOMIZATIONS, scratch, { recursive: true });
      const tests = healthTests();
      const [first] = tests.tests;
      if (!first) throw new Error('health_test.yaml lists no tests');
      first.healthStatus.status = first.healthStatus.status === 'Healthy' ? 'Degraded' : 'Healthy';
      writeFileSync(join(scratch, 'mlops.steward.dev/_/health_test.yaml'), dump(tests));
      const result = await runTool(luahealth, [scratch]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`FAIL mlops.steward.dev/_ ${first.inputPath}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
