import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  API_VERSION,
  CheckOutcome,
  ConditionType,
  KIND_DEFINITIONS,
  type KindDefinition,
  Reason,
  resourceSchemas,
} from '@steward/api';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCrds, kubeRequest } from '../harness/crds.ts';
import { testKubeConfig, useTestNamespace } from '../harness/index.ts';

const namespace = useTestNamespace();
const EXAMPLES = new URL('../../examples/fraud-scoring/', import.meta.url).pathname;

interface Resource {
  apiVersion: string;
  kind: keyof typeof resourceSchemas;
  metadata: { name: string; namespace?: string; generation?: number };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

const examples = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith('.yaml'))
  .map((file) => ({ file, resource: load(readFileSync(join(EXAMPLES, file), 'utf8')) as Resource }));

function exampleOf(kind: string): Resource {
  const found = examples.find(({ resource }) => resource.kind === kind);
  if (!found) throw new Error(`no example of kind ${kind}`);
  return found.resource;
}

function definitionOf(kind: string): KindDefinition {
  const definition = KIND_DEFINITIONS.find((d) => d.names.kind === kind);
  if (!definition) throw new Error(`no kind ${kind}`);
  return definition;
}

function collectionPath(kind: string): string {
  return `/apis/${API_VERSION}/namespaces/${namespace.name}/${definitionOf(kind).names.plural}`;
}

async function readBack(resource: Resource): Promise<Resource> {
  const response = await kubeRequest(
    testKubeConfig(),
    'GET',
    `${collectionPath(resource.kind)}/${resource.metadata.name}`,
  );
  expect(response.status, response.body).toBe(200);
  return JSON.parse(response.body) as Resource;
}

beforeAll(async () => {
  await installCrds(testKubeConfig());
  for (const { resource } of examples) {
    const response = await kubeRequest(testKubeConfig(), 'POST', collectionPath(resource.kind), {
      body: resource,
    });
    expect(response.status, `creating ${resource.kind}: ${response.body}`).toBe(201);
  }
});

describe('the fraud-scoring examples on the real API server', () => {
  it('cover all four kinds', () => {
    expect(examples.map(({ resource }) => resource.kind).sort()).toEqual([
      'DriftMonitor',
      'ModelDeployment',
      'OutputContract',
      'RetrainPipeline',
    ]);
  });

  for (const { file, resource } of examples) {
    it(`${file} reads back as written, plus defaults, and zod applies the same defaults`, async () => {
      const live = await readBack(resource);
      // As written: nothing pruned, nothing rewritten.
      expect(live.spec).toMatchObject(resource.spec);
      // Plus defaults: the API server's defaulting and zod's agree exactly, so controllers see what users see.
      const parsed = resourceSchemas[resource.kind].parse(resource);
      expect(live.spec).toEqual(parsed.spec);
      expect(resourceSchemas[resource.kind].parse(live).spec).toEqual(live.spec);
    });
  }

  it('applies the documented defaults where the examples leave fields out', async () => {
    const contract = await readBack(exampleOf('OutputContract'));
    const fields = (
      contract.spec.schema as { fields: { path: string; required: boolean; nullable: boolean }[] }
    ).fields;
    expect(fields.find((f) => f.path === 'score')).toMatchObject({ required: true, nullable: false });
    const deployment = await readBack(exampleOf('ModelDeployment'));
    expect(deployment.spec.paused).toBe(false);
  });
});

/** A status a controller would write for each example, to prove the status schema and the printer columns. */
const now = '2026-11-25T12:00:00Z';
const condition = (type: string, status: string, reason: string, message = '') => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: now,
  observedGeneration: 1,
});
const statuses: Record<string, Record<string, unknown>> = {
  ModelDeployment: {
    observedGeneration: 1,
    servingVersion: '2.3.0',
    desiredVersion: '2.3.1',
    conditions: [
      condition(
        ConditionType.Ready,
        'False',
        Reason.OwnerReviewOverdue,
        'owner review overdue since 2026-12-30',
      ),
      condition(ConditionType.RolloutBlocked, 'True', Reason.OwnerReviewOverdue, 'last reviewed 2026-10-01'),
      condition(ConditionType.ReviewOverdue, 'True', Reason.OwnerReviewOverdue, 'was due on 2026-12-30'),
    ],
    blockedReasons: [
      { reason: Reason.OwnerReviewOverdue, message: 'last reviewed 2026-10-01, interval 90d' },
    ],
  },
  OutputContract: {
    observedGeneration: 1,
    consumers: 2,
    latestVersion: '2.1.0',
    conditions: [
      condition(ConditionType.Ready, 'True', Reason.Published),
      condition(ConditionType.VersionBumpValid, 'True', Reason.Published),
    ],
    publishedVersions: [
      { version: '2.1.0', publishedAt: now, changeClass: 'additive', changes: ['added summary'] },
    ],
  },
  DriftMonitor: {
    observedGeneration: 1,
    lastCheckTime: now,
    lastResult: {
      outcome: CheckOutcome.Drift,
      startedAt: now,
      driftShare: 0.5,
      features: [
        {
          name: 'amount',
          method: 'wasserstein',
          score: 61.2,
          threshold: 25,
          sampleSize: 400,
          outcome: CheckOutcome.Drift,
        },
      ],
    },
    conditions: [condition(ConditionType.Ready, 'True', Reason.Drift)],
  },
  RetrainPipeline: {
    observedGeneration: 1,
    promotedVersion: '2.3.1',
    lastDrill: { runId: 'drill-20261123', startedAt: now, outcome: 'Passed', stage: 'promote' },
    conditions: [condition(ConditionType.Ready, 'True', Reason.Idle)],
  },
};

/** The value each printer column must show for the example with the status above. */
const expectedCells: Record<string, Record<string, unknown>> = {
  ModelDeployment: {
    Owner: 'Amara Okafor',
    Model: 'fraud-scorer',
    Serving: '2.3.0',
    Ready: 'False',
    Blocked: Reason.OwnerReviewOverdue,
    Desired: '2.3.1',
    Risk: 'high',
  },
  OutputContract: {
    Version: '2.1.0',
    Compatibility: 'backward',
    Consumers: 2,
    Ready: 'True',
    Reason: Reason.Published,
    Published: '2.1.0',
  },
  DriftMonitor: {
    Target: 'fraud-scorer',
    Schedule: '0 */6 * * *',
    Result: CheckOutcome.Drift,
    Ready: 'True',
    'Drift Share': 0.5,
  },
  RetrainPipeline: { Model: 'fraud-scorer', Promoted: '2.3.1', Drill: 'Passed', Ready: 'True' },
};

interface Table {
  columnDefinitions: { name: string; priority: number }[];
  rows: { cells: unknown[]; object: { metadata: { name: string } } }[];
}

describe('status subresource and printer columns', () => {
  for (const { resource } of examples) {
    it(`kubectl get ${definitionOf(resource.kind).names.plural} shows the SRE columns for ${resource.metadata.name}`, async () => {
      const kc = testKubeConfig();
      const live = await readBack(resource);
      const statusResponse = await kubeRequest(
        kc,
        'PUT',
        `${collectionPath(resource.kind)}/${resource.metadata.name}/status`,
        { body: { ...live, status: statuses[resource.kind] } },
      );
      expect(statusResponse.status, statusResponse.body).toBe(200);
      const afterStatus = await readBack(resource);
      expect(afterStatus.status).toEqual(statuses[resource.kind]);
      // The status subresource never changes spec, so generation stays: GitOps tools see no drift.
      expect(afterStatus.metadata.generation).toBe(live.metadata.generation);

      // The Table API is what `kubectl get` renders.
      const tableResponse = await kubeRequest(kc, 'GET', collectionPath(resource.kind), {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      });
      expect(tableResponse.status, tableResponse.body).toBe(200);
      const table = JSON.parse(tableResponse.body) as Table;
      const names = table.columnDefinitions.map((c) => c.name);
      expect(names).toEqual(['Name', ...definitionOf(resource.kind).printerColumns.map((c) => c.name)]);
      const row = table.rows.find((r) => r.object.metadata.name === resource.metadata.name);
      const cells = Object.fromEntries(names.map((name, i) => [name, row?.cells[i]]));
      expect(cells).toMatchObject({ Name: resource.metadata.name, ...expectedCells[resource.kind] });
      expect(cells.Age).toMatch(/^[0-9]+[smh]/);
    });
  }
});

describe('status values out of their range are refused, naming the field', () => {
  // A controller that copies a bad value from a job report into status gets a 422 that says where, not a
  // silently wrong `kubectl get`. (The same schemas reject it earlier, when the report is parsed.)
  it.each([
    {
      kind: 'RetrainPipeline',
      status: {
        runs: [{ id: 'r1', trigger: 'manual', phase: 'Rejected', startedAt: now, metrics: { auc: 1.3 } }],
      },
      field: 'status.runs[0].metrics',
      message: 'accuracy, precision, recall, f1, auc must be between 0 and 1',
    },
    {
      kind: 'RetrainPipeline',
      status: {
        runs: [
          {
            id: 'r1',
            trigger: 'manual',
            phase: 'Rejected',
            startedAt: now,
            fairness: [{ metric: 'fpr_ratio', attribute: 'age', value: 1, min: 1.25, max: 0.8 }],
          },
        ],
      },
      field: 'status.runs[0].fairness[0].min',
      message: 'min must be less than or equal to max',
    },
    {
      kind: 'DriftMonitor',
      status: { lastResult: { outcome: CheckOutcome.Drift, startedAt: now, driftShare: 1.5 } },
      field: 'status.lastResult.driftShare',
      message: 'should be less than or equal to 1',
    },
  ])('$kind $field', async ({ kind, status, field, message }) => {
    const live = await readBack(exampleOf(kind));
    const response = await kubeRequest(
      testKubeConfig(),
      'PUT',
      `${collectionPath(kind)}/${live.metadata.name}/status`,
      { body: { ...live, status } },
    );
    expect(response.status, response.body).toBe(422);
    const causes = (
      JSON.parse(response.body) as { details?: { causes?: { field?: string; message?: string }[] } }
    ).details?.causes;
    expect(causes).toContainEqual({
      field,
      message: expect.stringContaining(message),
      reason: expect.any(String),
    });
  });
});
