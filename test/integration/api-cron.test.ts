import { readFileSync } from 'node:fs';
import {
  API_VERSION,
  CRON_CASES,
  cronScheduleSchema,
  KIND_DEFINITIONS,
  TIME_ZONE_NAMES,
  timeZoneSchema,
} from '@steward/api';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CrdDocument, installCrds, kubeRequest, readCrds } from '../harness/crds.ts';
import { testKubeConfig, useTestNamespace } from '../harness/index.ts';

// A DriftMonitor or RetrainPipeline schedule becomes a CronJob's schedule, so Steward must accept exactly what
// the API server accepts there. This file asks the API server itself: each schedule and time zone is submitted as a
// CronJob (batch/v1) and inside each Steward kind, and every verdict (and zod's) must be the same.

const namespace = useTestNamespace();
type Json = Record<string, unknown>;
// Requests in flight at once: enough to finish 600 dry runs quickly, few enough for a 2-core machine.
const CONCURRENCY = 8;
// Fixed, so a failure reproduces.
const SEED = 20261129;
const GENERATED_SCHEDULES = 60;

function example(file: string): Json {
  return load(readFileSync(new URL(`../../examples/fraud-scoring/${file}`, import.meta.url), 'utf8')) as Json;
}
const spec = (resource: Json) => resource.spec as Json;

/** The API server's verdict on creating `resource` (dry run: nothing is stored). */
async function accepted(path: string, resource: Json): Promise<boolean> {
  const response = await kubeRequest(testKubeConfig(), 'POST', `${path}?dryRun=All`, { body: resource });
  if (response.status !== 201 && response.status !== 422) {
    throw new Error(`HTTP ${response.status}: ${response.body}`);
  }
  return response.status === 201;
}

const stewardPath = (kind: string) =>
  `/apis/${API_VERSION}/namespaces/${namespace.name}/${KIND_DEFINITIONS.find((d) => d.names.kind === kind)?.names.plural}`;

function cronJob(schedule: string, timeZone?: string): Json {
  const podSpec = { restartPolicy: 'Never', containers: [{ name: 'check', image: 'busybox' }] };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'schedule-probe' },
    spec: {
      schedule,
      ...(timeZone === undefined ? {} : { timeZone }),
      jobTemplate: { spec: { template: { spec: podSpec } } },
    },
  };
}

/** Every verdict on one schedule: the CronJob's is the reference. */
async function scheduleVerdicts(schedule: string) {
  const monitor = example('drift-monitor.yaml');
  spec(monitor).schedule = schedule;
  const pipeline = example('retrain-pipeline.yaml');
  (spec(pipeline).fireDrill as Json).schedule = schedule;
  (spec(pipeline).triggers as Json).schedule = schedule;
  const [cronJobAccepts, monitorAccepts, pipelineAccepts] = await Promise.all([
    accepted(`/apis/batch/v1/namespaces/${namespace.name}/cronjobs`, cronJob(schedule)),
    accepted(stewardPath('DriftMonitor'), monitor),
    accepted(stewardPath('RetrainPipeline'), pipeline),
  ]);
  return {
    schedule,
    cronJob: cronJobAccepts,
    driftMonitor: monitorAccepts,
    retrainPipeline: pipelineAccepts,
    zod: cronScheduleSchema.safeParse(schedule).success,
  };
}

async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(start, start + CONCURRENCY).map(run))));
  }
  return results;
}

beforeAll(async () => {
  await installCrds(testKubeConfig());
});

describe('a schedule passes Steward admission exactly when a CronJob takes it', () => {
  it('for every case of the table, with the verdict the table expects', async () => {
    expect(CRON_CASES.length).toBeGreaterThanOrEqual(40);
    const verdicts = await inBatches(CRON_CASES, (c) => scheduleVerdicts(c.schedule));
    const disagreements = verdicts.filter(
      (v) => v.driftMonitor !== v.cronJob || v.retrainPipeline !== v.cronJob || v.zod !== v.cronJob,
    );
    expect(disagreements).toEqual([]);
    const expected = CRON_CASES.map((c) => ({ schedule: c.schedule, accepted: c.accepted }));
    expect(verdicts.map((v) => ({ schedule: v.schedule, accepted: v.cronJob }))).toEqual(expected);
  });

  it('for schedules generated from the grammar’s pieces, valid and invalid alike', async () => {
    const piece = fc.constantFrom(
      ...['*', '?', '*/7', '0', '5', '07', '+3', '12', '13', '31', '59', '60', '1-5', '5-1', '2/3', ''],
      ...['jan', 'Dec', 'sun', 'SAT', 'mon-fri', 'fri-mon', '*-q', '*/0', '-', 'x', '1-2-3', '/'],
    );
    const field = fc.array(piece, { minLength: 1, maxLength: 2 }).map((items) => items.join(','));
    const fiveFields = fc.array(field, { minLength: 5, maxLength: 5 }).map((fields) => fields.join(' '));
    const every = fc
      .tuple(fc.constantFrom('', '-', '+'), fc.constantFrom('0', '1', '1.5', '.5', '90', '', '.'))
      .chain(([sign, number]) =>
        fc
          .constantFrom('h', 'm', 's', 'ms', 'µs', 'd', '', 'H')
          .map((unit) => `@every ${sign}${number}${unit}`),
      );
    const schedules = [
      ...new Set(
        fc.sample(fc.oneof({ weight: 4, arbitrary: fiveFields }, every), {
          numRuns: GENERATED_SCHEDULES,
          seed: SEED,
        }),
      ),
    ];
    const verdicts = await inBatches(schedules, scheduleVerdicts);
    expect(
      verdicts.filter(
        (v) => v.driftMonitor !== v.cronJob || v.retrainPipeline !== v.cronJob || v.zod !== v.cronJob,
      ),
    ).toEqual([]);
    // Both outcomes occur, so the comparison is not vacuous.
    expect(verdicts.some((v) => v.cronJob)).toBe(true);
    expect(verdicts.some((v) => !v.cronJob)).toBe(true);
  });
});

describe('a time zone passes Steward admission exactly when a CronJob takes it', () => {
  const cronJobAccepts = (timeZone: string) =>
    accepted(`/apis/batch/v1/namespaces/${namespace.name}/cronjobs`, cronJob('0 * * * *', timeZone));
  const unlisted = [
    'Local',
    'local',
    'Mars/Olympus',
    'Europe/berlin',
    'Europe Berlin',
    '../UTC',
    'Etc/GMT+15',
    'utc',
  ];

  it('for every name Steward lists: the CronJob API accepts each of them', async () => {
    const verdicts = await inBatches(TIME_ZONE_NAMES, async (timeZone) => ({
      timeZone,
      cronJob: await cronJobAccepts(timeZone),
    }));
    expect(verdicts.filter((v) => !v.cronJob)).toEqual([]);
  });

  it('for names it lists and names it does not, every checker gives the CronJob API’s verdict', async () => {
    // Every 30th listed name: the CEL rule and zod read the same list, so a sample proves the rule reads it.
    const sample = [...TIME_ZONE_NAMES.filter((_, index) => index % 30 === 0), ...unlisted];
    const verdicts = await inBatches(sample, async (timeZone) => {
      const monitor = example('drift-monitor.yaml');
      spec(monitor).timeZone = timeZone;
      return {
        timeZone,
        cronJob: await cronJobAccepts(timeZone),
        driftMonitor: await accepted(stewardPath('DriftMonitor'), monitor),
        zod: timeZoneSchema.safeParse(timeZone).success,
      };
    });
    expect(verdicts.filter((v) => v.driftMonitor !== v.cronJob || v.zod !== v.cronJob)).toEqual([]);
    expect(verdicts.filter((v) => !v.cronJob).map((v) => v.timeZone)).toEqual(unlisted);
  });
});

// The API server estimates each CEL rule's worst-case cost when a CRD is created and refuses rules above its
// per-expression limit; a rule inside a list is charged once per possible item. Wrapping the rule's schema node in
// a list of maxItems N charges it N times, and the refusal message states the excess factor, so doubling N until
// the refusal reveals the rule's own estimate without reimplementing the estimator.
const PER_EXPRESSION_LIMIT = 10_000_000; // apiextensions validation.StaticEstimatedCostLimit
const PER_CALL_LIMIT = 1_000_000; // apiserver cel config.PerCallLimit: a runtime evaluation costing more fails
const FACTOR = /estimated rule cost exceeds budget by factor of ([0-9.]+)x/;

function schemaNodeAt(crd: CrdDocument, path: string[]): Json {
  let node = crd.spec.versions[0]?.schema.openAPIV3Schema as Json;
  for (const key of path) node = (node.properties as Record<string, Json>)[key] as Json;
  return node;
}

function probeCrd(item: Json, maxItems: number): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'costprobes.probe.steward.dev' },
    spec: {
      group: 'probe.steward.dev',
      scope: 'Namespaced',
      names: { plural: 'costprobes', singular: 'costprobe', kind: 'CostProbe' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { values: { type: 'array', maxItems, items: item } },
            },
          },
        },
      ],
    },
  };
}

/** The excess factor the API server reports for `item` charged `maxItems` times, or undefined when it fits. */
async function excessFactor(item: Json, maxItems: number): Promise<number | undefined> {
  const response = await kubeRequest(
    testKubeConfig(),
    'POST',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All',
    { body: probeCrd(item, maxItems) },
  );
  if (response.status === 201) return undefined;
  const factor = FACTOR.exec(response.body)?.[1];
  if (factor === undefined) throw new Error(`HTTP ${response.status}: ${response.body}`);
  return Number(factor);
}

async function estimatedCost(item: Json): Promise<number> {
  let maxItems = 1;
  let factor = await excessFactor(item, maxItems);
  while (factor === undefined) {
    maxItems *= 2;
    factor = await excessFactor(item, maxItems);
  }
  // Above 1.5 the factor has one decimal; aim just over the limit, where it has six.
  if (factor >= 1.5) {
    maxItems = Math.ceil((maxItems * 1.2) / factor);
    factor = (await excessFactor(item, maxItems)) ?? 1;
  }
  return (factor * PER_EXPRESSION_LIMIT) / maxItems;
}

describe('the schedule and time zone rules stay within the API server’s CEL cost budget', () => {
  it.each([
    ['schedule', ['spec', 'schedule']],
    ['time zone', ['spec', 'timeZone']],
  ])('the %s rule costs less than the per-call limit, so no value can exhaust it', async (_name, path) => {
    const monitorCrd = readCrds().find((crd) => crd.spec.names.kind === 'DriftMonitor');
    if (monitorCrd === undefined) throw new Error('no DriftMonitor CRD in crds/');
    const cost = await estimatedCost(schemaNodeAt(monitorCrd, path));
    console.log(
      `${path.join('.')}: estimated CEL cost ${Math.round(cost)} = ${((100 * cost) / PER_CALL_LIMIT).toFixed(2)}% of the per-call limit, ${((100 * cost) / PER_EXPRESSION_LIMIT).toFixed(3)}% of the per-expression limit`,
    );
    expect(cost).toBeLessThan(PER_CALL_LIMIT);
  });
});
