import { createHash } from 'node:crypto';
import {
  ConditionType,
  MAX_HISTORY_ARCHIVE_CHARS,
  MAX_PUBLISHED_VERSIONS,
  type OutputContractStatus,
  Reason,
} from '@steward/api';
import type { OutputContractSpecInput } from '@steward/contracts';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_FIELD, archiveHistory, readArchive } from './archive.ts';
import { decide, type ObservedOutputContract, type OutputContractPlan as Plan } from './decide.ts';
import {
  type ConfigMapObject,
  type HistoryEntry,
  historyConfigMapName,
  historyKey,
  historyLabelValue,
  MAX_HISTORY_BYTES,
  readHistory,
} from './history.ts';

const NOW = new Date('2026-11-25T10:00:00.000Z');

const baseSpec = {
  version: '2.1.0',
  compatibility: 'backward',
  schema: {
    fields: [
      { path: 'score', type: 'number', minimum: 0, maximum: 1, unit: 'probability' },
      { path: 'decision', type: 'string', enum: ['approve', 'review', 'decline'] },
      { path: 'model_version', type: 'string' },
    ],
  },
  consumers: [
    { name: 'payments-gateway', contact: 'payments-oncall@example.com', accepts: '^2.0.0' },
    { name: 'case-management', contact: '#fraud-ops', accepts: '>=2.1.0 <4.0.0' },
  ],
} satisfies OutputContractSpecInput;

type Spec = typeof baseSpec | Record<string, unknown>;

/** A contract and its history as the cache would hold them after the previous reconciles. */
interface State {
  contract: ObservedOutputContract;
  history: ConfigMapObject | undefined;
}

function contractAt(spec: Spec, generation: number, status?: OutputContractStatus): ObservedOutputContract {
  return {
    apiVersion: 'mlops.steward.dev/v1alpha1',
    kind: 'OutputContract',
    metadata: { name: 'fraud-score', namespace: 'ml', uid: 'uid-1', generation },
    spec,
    ...(status === undefined ? {} : { status }),
  };
}

/** What the controller's act step does with a plan, applied to the state. */
function applyPlan(state: State, plan: Plan): State {
  const status: Record<string, unknown> = { ...state.contract.status };
  for (const [key, value] of Object.entries(plan.status)) {
    if (value === null) delete status[key];
    else status[key] = value;
  }
  return {
    contract: { ...state.contract, status: status as OutputContractStatus },
    history: historyOf(plan) ?? state.history,
  };
}

/** The history ConfigMap the plan applies, if any. */
function historyOf(plan: Plan): ConfigMapObject | undefined {
  return plan.apply[0]?.object;
}

/** Publishes each spec in turn (one generation each) and returns the final state and the last plan. */
function publishAll(specs: readonly Spec[]): { state: State; plan: Plan } {
  let state: State = { contract: contractAt(specs[0] ?? baseSpec, 1), history: undefined };
  let plan: Plan | undefined;
  specs.forEach((spec, index) => {
    state = { ...state, contract: { ...contractAt(spec, index + 1), status: state.contract.status } };
    plan = decide({ ...state, now: NOW });
    state = applyPlan(state, plan);
  });
  if (plan === undefined) throw new Error('no specs');
  return { state, plan };
}

function condition(plan: Plan, type: string) {
  return plan.status.conditions?.find((c) => c.type === type);
}

function withVersion(
  version: string,
  fields: readonly unknown[] = baseSpec.schema.fields,
  consumers: unknown = baseSpec.consumers,
): Spec {
  return { ...baseSpec, version, schema: { fields }, consumers };
}

const withoutModelVersion = baseSpec.schema.fields.filter((field) => field.path !== 'model_version');
const withOptionalLatency = [
  ...baseSpec.schema.fields,
  { path: 'latency_ms', type: 'integer', required: false },
];

describe('decide (OutputContract)', () => {
  it('publishes the first version as initial, Ready, with no diff', () => {
    const { plan } = publishAll([baseSpec]);
    expect(condition(plan, ConditionType.Ready)).toMatchObject({ status: 'True', reason: Reason.Published });
    expect(condition(plan, ConditionType.VersionBumpValid)).toMatchObject({
      status: 'True',
      reason: Reason.Published,
    });
    expect(plan.status.lastDiff).toBeNull();
    expect(plan.status.publishedVersions).toEqual([
      { version: '2.1.0', publishedAt: '2026-11-25T10:00:00Z', changeClass: 'initial' },
    ]);
    expect(Object.keys(historyOf(plan)?.data ?? {})).toEqual(['v2.1.0.json']);
    expect(plan.events).toEqual([expect.objectContaining({ type: 'Normal', reason: Reason.Published })]);
    // kstatus: published is done; neither Reconciling nor Stalled.
    expect(plan.status.conditions?.map((c) => c.type)).not.toContain(ConditionType.Stalled);
    expect(plan.status.conditions?.map((c) => c.type)).not.toContain(ConditionType.Reconciling);
  });

  it('changes nothing and emits no event when reconciled again on the same generation', () => {
    const { state, plan } = publishAll([baseSpec, withVersion('2.2.0', withoutModelVersion)]);
    const again = decide({ ...state, now: new Date(NOW.getTime() + 60_000) });
    expect(historyOf(again)?.data).toEqual(historyOf(plan)?.data);
    expect(again.status).toEqual(plan.status);
    expect(again.events).toEqual([]);
    expect(readHistory(applyPlan(state, again).history).entries).toHaveLength(2);
  });

  it('flags a breaking change without a major bump, naming the field in condition, event and lastDiff', () => {
    const { plan, state } = publishAll([baseSpec, withVersion('2.2.0', withoutModelVersion)]);
    const bump = condition(plan, ConditionType.VersionBumpValid);
    expect(bump).toMatchObject({
      status: 'False',
      reason: Reason.BreakingChangeWithoutMajorBump,
      observedGeneration: 2,
    });
    expect(bump?.message).toContain('model_version (field-removed)');
    expect(condition(plan, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.BreakingChangeWithoutMajorBump,
    });
    // kstatus: only a person can fix the version; Flux and Argo CD see it as stalled, with the field.
    expect(condition(plan, ConditionType.Stalled)).toMatchObject({
      status: 'True',
      reason: Reason.BreakingChangeWithoutMajorBump,
      observedGeneration: 2,
    });
    expect(condition(plan, ConditionType.Stalled)?.message).toContain('model_version (field-removed)');
    const warning = plan.events.find((event) => event.reason === Reason.BreakingChangeWithoutMajorBump);
    expect(warning).toMatchObject({ type: 'Warning' });
    expect(warning?.note).toContain('model_version');
    expect(plan.status.lastDiff).toMatchObject({
      previousVersion: '2.1.0',
      version: '2.2.0',
      changeClass: 'breaking',
      versionBumpSufficient: false,
      findings: [
        expect.objectContaining({ path: 'model_version', change: 'field-removed', severity: 'breaking' }),
      ],
    });
    expect(plan.metrics?.unannouncedBreakingChanges).toBe(1);
    expect(readHistory(state.history).entries.map((entry) => entry.version)).toEqual(['2.1.0', '2.2.0']);
  });

  it('accepts a breaking change with a major bump and reports each consumer against the new version', () => {
    const { plan } = publishAll([baseSpec, withVersion('3.0.0', withoutModelVersion)]);
    expect(condition(plan, ConditionType.VersionBumpValid)).toMatchObject({
      status: 'True',
      reason: Reason.Published,
    });
    expect(condition(plan, ConditionType.ConsumersCompatible)).toMatchObject({
      status: 'False',
      reason: Reason.ConsumerRangeUnsatisfied,
    });
    expect(condition(plan, ConditionType.ConsumersCompatible)?.message).toContain(
      "'payments-gateway' accepts ^2.0.0",
    );
    expect(plan.status.consumerStatuses?.map(({ name, inRange }) => ({ name, inRange }))).toEqual([
      { name: 'payments-gateway', inRange: false },
      { name: 'case-management', inRange: true },
    ]);
    expect(plan.status.incompatibleConsumers).toEqual(['payments-gateway']);
    expect(plan.metrics).toEqual({
      unannouncedBreakingChanges: 0,
      consumersOutOfRange: 1,
      publishedVersions: 2,
    });
    expect(plan.events).toContainEqual(
      expect.objectContaining({ type: 'Warning', reason: Reason.ConsumerRangeUnsatisfied }),
    );
  });

  it.each([
    {
      behaviour: 'an additive change with only a patch bump is VersionNotIncreased',
      next: withVersion('2.1.1', withOptionalLatency),
      reason: Reason.VersionNotIncreased,
      mentions: 'minor version bump',
    },
    {
      behaviour: 'an additive change with a minor bump is Published',
      next: withVersion('2.2.0', withOptionalLatency),
      reason: Reason.Published,
      mentions: 'minor bump',
    },
    {
      behaviour: 'a lower version than the last published is VersionNotIncreased',
      next: withVersion('2.0.5', withOptionalLatency),
      reason: Reason.VersionNotIncreased,
      mentions: 'went backwards',
    },
    {
      behaviour: 'an unchanged schema with a patch bump is Published',
      next: withVersion('2.1.1'),
      reason: Reason.Published,
      mentions: 'patch bump',
    },
  ])('$behaviour', ({ next, reason, mentions }) => {
    const { plan } = publishAll([baseSpec, next]);
    const bump = condition(plan, ConditionType.VersionBumpValid);
    expect(bump?.reason).toBe(reason);
    expect(bump?.message).toContain(mentions);
  });

  it('reports a changed contract that kept its published version, without recording it again', () => {
    const { plan, state } = publishAll([baseSpec, withVersion('2.1.0', withoutModelVersion)]);
    const bump = condition(plan, ConditionType.VersionBumpValid);
    expect(bump).toMatchObject({ status: 'False', reason: Reason.VersionNotIncreased });
    expect(bump?.message).toContain('model_version (field-removed)');
    expect(readHistory(state.history).entries).toHaveLength(1);
    expect(plan.status.lastDiff).toMatchObject({
      previousVersion: '2.1.0',
      version: '2.1.0',
      versionBumpSufficient: false,
    });
  });

  it('finds a rolled-back version in the history instead of appending it', () => {
    const { plan, state } = publishAll([baseSpec, withVersion('2.2.0', withOptionalLatency), baseSpec]);
    expect(readHistory(state.history).entries.map((entry) => entry.version)).toEqual(['2.1.0', '2.2.0']);
    expect(condition(plan, ConditionType.Ready)).toMatchObject({ status: 'True' });
    expect(plan.status.latestVersion).toBe('2.1.0');
  });

  it('diffs a version published after a rollback against the version rolled back to', () => {
    const { plan, state } = publishAll([
      baseSpec,
      withVersion('2.2.0', withOptionalLatency),
      baseSpec,
      withVersion('2.3.0', withoutModelVersion),
    ]);
    expect(plan.status.lastDiff).toMatchObject({ previousVersion: '2.1.0', version: '2.3.0' });
    expect(plan.status.lastDiff?.findings?.map((f) => f.path)).toEqual(['model_version']);
    expect(readHistory(state.history).entries.map((entry) => entry.version)).toEqual([
      '2.1.0',
      '2.2.0',
      '2.3.0',
    ]);
  });

  it.each([
    {
      behaviour: 'an enum on a number field',
      fields: [{ path: 'score', type: 'number', enum: ['high'] }],
      consumers: [],
      mentions: 'spec.schema.fields[0]',
    },
    {
      behaviour: 'a nested field without its parent object',
      fields: [{ path: 'model.version', type: 'string' }],
      consumers: [],
      mentions: 'model',
    },
    {
      behaviour: 'a consumer range that is not semver',
      fields: baseSpec.schema.fields,
      consumers: [{ name: 'x', contact: 'y', accepts: 'next release' }],
      mentions: 'spec.consumers[0].accepts',
    },
  ])(
    'turns an invalid spec ($behaviour) into Ready=False InvalidSpec and leaves the history alone',
    ({ fields, consumers, mentions }) => {
      const published = publishAll([baseSpec]).state;
      const invalid = {
        ...published,
        contract: {
          ...contractAt(withVersion('2.2.0', fields, consumers), 2),
          status: published.contract.status,
        },
      };
      const plan = decide({ ...invalid, now: NOW });
      const ready = condition(plan, ConditionType.Ready);
      expect(ready).toMatchObject({ status: 'False', reason: Reason.InvalidSpec, observedGeneration: 2 });
      expect(ready?.message).toContain(mentions);
      expect(condition(plan, ConditionType.VersionBumpValid)).toMatchObject({
        status: 'Unknown',
        reason: Reason.InvalidSpec,
      });
      expect(plan.apply).toEqual([]);
      expect(plan.metrics).toBeUndefined();
      expect(plan.events).toEqual([expect.objectContaining({ type: 'Warning', reason: Reason.InvalidSpec })]);
      expect(plan.status.publishedVersions).toBeUndefined();
    },
  );

  it('keeps at most MAX_PUBLISHED_VERSIONS versions, dropping the oldest', () => {
    const specs = Array.from({ length: MAX_PUBLISHED_VERSIONS + 2 }, (_, i) => withVersion(`2.1.${i}`));
    const { plan, state } = publishAll(specs);
    const versions = readHistory(state.history).entries.map((entry) => entry.version);
    expect(versions).toHaveLength(MAX_PUBLISHED_VERSIONS);
    expect(versions[0]).toBe('2.1.2');
    expect(versions.at(-1)).toBe(`2.1.${MAX_PUBLISHED_VERSIONS + 1}`);
    expect(plan.status.publishedVersions).toHaveLength(MAX_PUBLISHED_VERSIONS);
  });

  it('drops the oldest versions when the history would outgrow a ConfigMap', () => {
    const description = 'x'.repeat(2000);
    const bigFields = Array.from({ length: 100 }, (_, i) => ({ path: `f${i}`, type: 'string', description }));
    const specs = Array.from({ length: 6 }, (_, i) => withVersion(`2.1.${i}`, bigFields as never));
    const { state } = publishAll(specs);
    const bytes = Object.values(state.history?.data ?? {}).reduce((sum, value) => sum + value.length, 0);
    expect(bytes).toBeLessThanOrEqual(MAX_HISTORY_BYTES);
    expect(readHistory(state.history).entries.at(-1)?.version).toBe('2.1.5');
  });

  it('reports a single version too large for the history ConfigMap as InvalidSpec instead of failing to write it', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => `label-${i}-${'y'.repeat(200)}`);
    // Four label sets of 1000 long labels: within the CRD's limits, beyond a ConfigMap's 768 KiB budget.
    const categories = Array.from({ length: 4 }, (_, i) => ({
      path: `category${i}`,
      type: 'string',
      enum: labels,
    }));
    const huge = [...baseSpec.schema.fields, ...categories];
    const { plan, state } = publishAll([baseSpec, withVersion('2.2.0', huge)]);
    const ready = condition(plan, ConditionType.Ready);
    expect(ready).toMatchObject({ status: 'False', reason: Reason.InvalidSpec });
    expect(ready?.message).toContain('too large');
    expect(plan.apply).toEqual([]);
    expect(readHistory(state.history).entries.map((entry) => entry.version)).toEqual(['2.1.0']);
  });

  it('names the history map and labels it validly even for a contract name of 253 characters', () => {
    const longName = `${'a'.repeat(200)}.${'b'.repeat(52)}`;
    const name = historyConfigMapName(longName);
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
    expect(name).not.toBe(historyConfigMapName(`${longName.slice(0, -1)}c`));
    expect(historyLabelValue(longName)).toMatch(/^[a-z0-9]{1,63}$/);
    expect(historyLabelValue('fraud-score')).toBe('fraud-score');
  });

  it('stores a version with build metadata under a valid ConfigMap key', () => {
    expect(historyKey('1.0.0+build.7')).toBe('v1.0.0_build.7.json');
    const { state } = publishAll([withVersion('2.1.0+build.7')]);
    expect(Object.keys(state.history?.data ?? {})).toEqual(['v2.1.0_build.7.json']);
    expect(readHistory(state.history).entries[0]?.version).toBe('2.1.0+build.7');
  });

  it('drops a history entry it cannot read and diffs against the last readable one', () => {
    const { state } = publishAll([baseSpec]);
    const tampered: State = {
      contract: {
        ...contractAt(withVersion('3.0.0', withoutModelVersion), 2),
        status: state.contract.status,
      },
      history: { ...state.history, data: { ...state.history?.data, 'v9.9.9.json': '{not json' } },
    };
    const plan = decide({ ...tampered, now: NOW });
    expect(plan.unreadableHistory).toEqual(['v9.9.9.json']);
    expect(Object.keys(historyOf(plan)?.data ?? {}).sort()).toEqual(['v2.1.0.json', 'v3.0.0.json']);
    expect(plan.status.lastDiff).toMatchObject({ previousVersion: '2.1.0' });
  });

  describe('the history archive in status', () => {
    const versions = ['2.1.0', '2.2.0', '3.0.0'];
    const published = () =>
      publishAll([
        baseSpec,
        withVersion('2.2.0', withOptionalLatency),
        withVersion('3.0.0', withoutModelVersion),
      ]);

    it('holds every version with its full schema and diff, as the map does', () => {
      const { state, plan } = published();
      const archive = plan.status.historyArchive;
      expect(archive).toMatchObject({ encoding: 'gzip+base64', versions: 3, oldestVersion: '2.1.0' });
      expect(readArchive(archive ?? undefined)).toEqual(readHistory(state.history));
    });

    it('writes a deleted map back with every version from the archive', () => {
      const { state } = published();
      const plan = decide({ contract: state.contract, history: undefined, now: NOW });
      expect(readHistory(historyOf(plan)).entries).toEqual(readHistory(state.history).entries);
      expect(plan.status.publishedVersions?.map((p) => p.version)).toEqual(versions);
      expect(plan.status.lastDiff).toMatchObject({ previousVersion: '2.2.0', version: '3.0.0' });
      expect(plan.unreadableHistory).toEqual([]);
    });

    it('restores an entry edited in the map from the archive, and diffs the next version against the true one', () => {
      const { state } = published();
      const forged = readHistory(state.history).entries[2] as HistoryEntry;
      const tampered: State = {
        contract: {
          ...contractAt(withVersion('3.1.0', withoutModelVersion), 4),
          status: state.contract.status,
        },
        history: {
          ...state.history,
          data: {
            ...state.history?.data,
            [historyKey('3.0.0')]: JSON.stringify({ ...forged, schema: { fields: baseSpec.schema.fields } }),
          },
        },
      };
      const plan = decide({ ...tampered, now: NOW });
      const restored = readHistory(historyOf(plan)).entries.find((e) => e.version === '3.0.0');
      expect(restored?.schema.fields.map((f) => f.path)).not.toContain('model_version');
      expect(plan.status.lastDiff).toMatchObject({ previousVersion: '3.0.0', changeClass: 'none' });
    });

    it('falls back to the map, naming the archive, when the archive cannot be decoded', () => {
      const { state } = published();
      const status = state.contract.status as OutputContractStatus;
      const damaged = { ...status, historyArchive: { ...status.historyArchive, data: 'bm90IGd6aXA=' } };
      const plan = decide({
        contract: { ...state.contract, status: damaged as OutputContractStatus },
        history: state.history,
        now: NOW,
      });
      expect(plan.unreadableHistory).toEqual([ARCHIVE_FIELD]);
      expect(readHistory(historyOf(plan)).entries.map((e) => e.version)).toEqual(versions);
      expect(plan.status.historyArchive?.versions).toBe(3);
    });

    it('encodes the same history to the same bytes, so a re-run writes no status', () => {
      const { state } = published();
      const entries = readHistory(state.history).entries;
      expect(archiveHistory(entries).data).toBe(archiveHistory(structuredClone(entries)).data);
    });

    it('keeps the newest versions that fit its bound when the history does not compress', () => {
      // Hex digests compress to about half: ten versions of 60 kB descriptions fit the map, not the archive.
      const noise = (seed: string) =>
        Array.from({ length: 9 }, (_, i) => createHash('sha256').update(`${seed}/${i}`).digest('hex')).join(
          '',
        );
      const specs = Array.from({ length: 10 }, (_, v) =>
        withVersion(
          `2.1.${v}`,
          Array.from({ length: 100 }, (_, f) => ({
            path: `f${f}`,
            type: 'string',
            description: noise(`${v}.${f}`),
          })),
        ),
      );
      const { state, plan } = publishAll(specs);
      const archive = plan.status.historyArchive;
      expect(readHistory(state.history).entries).toHaveLength(10);
      expect(archive?.data.length).toBeLessThanOrEqual(MAX_HISTORY_ARCHIVE_CHARS);
      expect(archive?.versions).toBeGreaterThan(0);
      expect(archive?.versions).toBeLessThan(10);
      const archived = readArchive(archive ?? undefined).entries.map((e) => e.version);
      expect(archived.at(-1)).toBe('2.1.9');
      expect(archived[0]).toBe(archive?.oldestVersion);
    });
  });

  it('announces consumers out of range once, and again only when all are back in range', () => {
    const outOfRange = publishAll([baseSpec, withVersion('3.0.0')]);
    const rerun = decide({ ...outOfRange.state, now: NOW });
    expect(rerun.events).toEqual([]);
    const fixedConsumers = baseSpec.consumers.map((consumer) => ({ ...consumer, accepts: '>=2.0.0' }));
    const fixed = decide({
      ...outOfRange.state,
      contract: {
        ...contractAt(withVersion('3.0.0', undefined, fixedConsumers), 3),
        status: outOfRange.state.contract.status,
      },
      now: NOW,
    });
    expect(fixed.events).toEqual([
      expect.objectContaining({ type: 'Normal', reason: Reason.Reconciled, action: 'CheckConsumers' }),
    ]);
    expect(condition(fixed, ConditionType.Ready)).toMatchObject({ status: 'True', reason: Reason.Published });
  });

  it('keeps the first publishedAt when a stale history makes it record the same version again', () => {
    const first = publishAll([baseSpec]).state;
    const later = new Date(NOW.getTime() + 3_600_000);
    const plan = decide({ contract: first.contract, history: undefined, now: later });
    expect(plan.status.publishedVersions?.[0]?.publishedAt).toBe('2026-11-25T10:00:00Z');
    expect(historyOf(plan)?.data).toEqual(first.history?.data);
  });

  it('records when and from which generation each version was published', () => {
    const { state } = publishAll([baseSpec, withVersion('2.2.0', withOptionalLatency)]);
    const entries: HistoryEntry[] = readHistory(state.history).entries;
    expect(entries.map(({ version, sequence, generation }) => ({ version, sequence, generation }))).toEqual([
      { version: '2.1.0', sequence: 0, generation: 1 },
      { version: '2.2.0', sequence: 1, generation: 2 },
    ]);
  });
});
