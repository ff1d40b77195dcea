import { readFileSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ConditionType, type OutputContract, Reason } from '@steward/api';
import {
  addOutputContractController,
  historyConfigMapName,
  OUTPUT_CONTRACT_CONTROLLER,
  OutputContractType,
  readHistory,
} from '@steward/operator';
import { ConfigMapType, EventType, KubeClient, Manager } from '@steward/runtime';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCrds } from '../harness/crds.ts';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';

const namespace = useTestNamespace();
// Far beyond what a reconcile on a local API server takes; 2-core CI machines need headroom.
const CONVERGE_TIMEOUT_MS = 30_000;

const example = load(
  readFileSync(new URL('../../examples/fraud-scoring/output-contract.yaml', import.meta.url), 'utf8'),
) as OutputContract;
const NAME = example.metadata.name;
type Fields = OutputContract['spec']['schema']['fields'];
type ConfigMap = KubernetesObject & { data?: Record<string, string> };
type Event = KubernetesObject & {
  reason?: string;
  note?: string;
  type?: string;
  regarding?: { name?: string };
};

const converged = <T>(what: string, probe: () => Promise<T | undefined>) =>
  eventually(what, probe, CONVERGE_TIMEOUT_MS);

describe('the OutputContract controller on the shared control plane', () => {
  let manager: Manager;
  let client: KubeClient;

  const getContract = (name: string) => client.get<OutputContract>(OutputContractType, namespace.name, name);
  const getHistory = (name: string) =>
    client.get<ConfigMap>(ConfigMapType, namespace.name, historyConfigMapName(name));
  const condition = (contract: OutputContract, type: string) =>
    contract.status?.conditions?.find((c) => c.type === type);
  const versionsIn = async (name: string) =>
    readHistory(await getHistory(name)).entries.map((e) => e.version);

  /** The contract once the controller has written status for `generation`. */
  async function observed(name: string, generation: number): Promise<OutputContract> {
    return converged(`status of ${name} generation ${generation}`, async () => {
      const contract = await getContract(name);
      return contract.status?.observedGeneration === generation ? contract : undefined;
    });
  }

  /** Creates the example contract under `name` and waits until its first version is published. */
  async function published(name: string): Promise<OutputContract> {
    const created = await client.create<OutputContract>(OutputContractType, {
      ...example,
      metadata: { ...example.metadata, name, namespace: namespace.name },
    });
    return observed(name, created.metadata.generation ?? 1);
  }

  async function editSpec(name: string, spec: Partial<OutputContract['spec']>): Promise<number> {
    const patched = await client.mergePatch<OutputContract>(OutputContractType, namespace.name, name, {
      spec,
    });
    return patched.metadata.generation ?? 0;
  }

  async function eventNamed(name: string, reason: string): Promise<Event> {
    return converged(`a ${reason} event about ${name}`, async () => {
      const events = (await client.list<Event>(EventType, { namespace: namespace.name })).items;
      return events.find((event) => event.regarding?.name === name && event.reason === reason);
    });
  }

  const withoutModelVersion = (): Fields =>
    example.spec.schema.fields.filter((field) => field.path !== 'model_version');
  const consumersAcceptingV3 = () =>
    example.spec.consumers.map((consumer) =>
      consumer.name === 'case-management' ? { ...consumer, accepts: '>=2.1.0 <4.0.0' } : consumer,
    );

  beforeAll(async () => {
    await installCrds(testKubeConfig());
    client = new KubeClient(testKubeConfig());
    manager = new Manager({ kubeConfig: testKubeConfig(), httpPort: 0, handleSignals: false });
    addOutputContractController(manager, { namespace: namespace.name });
    await manager.start();
  });

  afterAll(async () => {
    await manager?.stop();
  });

  it('publishes the example contract: Ready, first version in status and in the history ConfigMap', async () => {
    const contract = await published(NAME);
    expect(condition(contract, ConditionType.Ready)).toMatchObject({
      status: 'True',
      reason: Reason.Published,
    });
    expect(contract.status?.publishedVersions).toEqual([
      expect.objectContaining({ version: '2.1.0', changeClass: 'initial' }),
    ]);
    const history = await getHistory(NAME);
    expect(Object.keys(history.data ?? {})).toEqual(['v2.1.0.json']);
    expect(history.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'OutputContract',
      name: NAME,
      controller: true,
    });
  });

  it('flags a removed field without a major bump in the condition and an event, both naming the field', async () => {
    const name = `${NAME}-breaking`;
    await published(name);
    const contract = await observed(
      name,
      await editSpec(name, { version: '2.2.0', schema: { fields: withoutModelVersion() } }),
    );
    const bump = condition(contract, ConditionType.VersionBumpValid);
    expect(bump).toMatchObject({ status: 'False', reason: Reason.BreakingChangeWithoutMajorBump });
    expect(bump?.message).toContain('model_version');
    expect(condition(contract, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.BreakingChangeWithoutMajorBump,
    });
    expect(contract.status?.lastDiff?.findings).toContainEqual(
      expect.objectContaining({ path: 'model_version', change: 'field-removed', severity: 'breaking' }),
    );
    const event = await eventNamed(name, Reason.BreakingChangeWithoutMajorBump);
    expect(event.type).toBe('Warning');
    expect(event.note).toContain('model_version');
  });

  it('keeps both versions with their full schemas in the history ConfigMap', async () => {
    const name = `${NAME}-history`;
    await published(name);
    await observed(
      name,
      await editSpec(name, { version: '2.2.0', schema: { fields: withoutModelVersion() } }),
    );
    const entries = readHistory(await getHistory(name)).entries;
    expect(entries.map((entry) => entry.version)).toEqual(['2.1.0', '2.2.0']);
    expect(entries[0]?.schema.fields.map((field) => field.path)).toContain('model_version');
    expect(entries[1]?.schema.fields.map((field) => field.path)).not.toContain('model_version');
  });

  it('reports the consumer whose range excludes a new major version, and the other as in range', async () => {
    const name = `${NAME}-consumers`;
    await published(name);
    const contract = await observed(
      name,
      await editSpec(name, { version: '3.0.0', consumers: consumersAcceptingV3() }),
    );
    expect(condition(contract, ConditionType.VersionBumpValid)).toMatchObject({
      status: 'True',
      reason: Reason.Published,
    });
    expect(condition(contract, ConditionType.ConsumersCompatible)).toMatchObject({
      status: 'False',
      reason: Reason.ConsumerRangeUnsatisfied,
    });
    expect(contract.status?.consumerStatuses?.map(({ name, inRange }) => ({ name, inRange }))).toEqual([
      { name: 'payments-gateway', inRange: false },
      { name: 'case-management', inRange: true },
    ]);
    expect(contract.status?.incompatibleConsumers).toEqual(['payments-gateway']);
    const event = await eventNamed(name, Reason.ConsumerRangeUnsatisfied);
    expect(event.note).toContain('payments-gateway');
    expect(event.note).not.toContain('case-management');
  });

  it('exports the consumers out of range and the unannounced breaking changes as steward_ metrics', async () => {
    const name = `${NAME}-metrics`;
    await published(name);
    await observed(name, await editSpec(name, { version: '3.0.0', consumers: consumersAcceptingV3() }));
    const labels = `{namespace="${namespace.name}",name="${name}"}`;
    const text = await converged('the metrics of both versions', async () => {
      const scraped = await (await fetch(`http://127.0.0.1:${manager.httpPort}/metrics`)).text();
      return scraped.includes(`steward_output_contract_published_versions${labels} 2`) ? scraped : undefined;
    });
    expect(text).toContain(`steward_output_contract_consumers_out_of_range${labels} 1`);
    expect(text).toContain(`steward_output_contract_breaking_changes${labels} 0`);
  });

  it('does not append or write anything when reconciled again on the same generation', async () => {
    const name = `${NAME}-idle`;
    await published(name);
    const controller = manager.controllerNamed(OUTPUT_CONTRACT_CONTROLLER);
    // Settled: the reconciles that the status and history writes caused have run.
    await converged('an idle queue', async () =>
      controller?.queue.len() === 0 && controller.queue.inFlight() === 0 ? true : undefined,
    );
    const contract = await getContract(name);
    const history = await getHistory(name);
    const successes = () => reconcileSuccesses(manager);
    const before = await successes();
    for (let i = 0; i < 3; i++) controller?.queue.add(`${namespace.name}/${name}`);
    // Proof that a reconcile ran, rather than a pause that hopes it did.
    await converged('the extra reconcile', async () => ((await successes()) > before ? true : undefined));
    expect((await getContract(name)).metadata.resourceVersion).toBe(contract.metadata.resourceVersion);
    expect((await getHistory(name)).metadata?.resourceVersion).toBe(history.metadata?.resourceVersion);
    expect(await versionsIn(name)).toEqual(['2.1.0']);
  });

  it('turns a contract the API server accepts but the refinements reject into Ready=False InvalidSpec', async () => {
    const name = `${NAME}-invalid`;
    await published(name);
    // A nested field whose parent object is not declared: valid for the CRD schema, not for the contract.
    const fields: Fields = [
      ...example.spec.schema.fields,
      { path: 'risk.band', type: 'string', required: true, nullable: false },
    ];
    const contract = await observed(name, await editSpec(name, { version: '3.1.0', schema: { fields } }));
    const ready = condition(contract, ConditionType.Ready);
    expect(ready).toMatchObject({ status: 'False', reason: Reason.InvalidSpec });
    expect(ready?.message).toContain('risk');
    expect((await eventNamed(name, Reason.InvalidSpec)).note).toContain('risk');
    expect(await versionsIn(name)).toEqual(['2.1.0']);
  });

  it('records every version of back-to-back edits, each diffed against the one published just before', async () => {
    const name = `${NAME}-edits`;
    await published(name);
    const versions = ['3.1.0', '3.2.0', '3.3.0', '3.4.0'];
    let contract: OutputContract | undefined;
    for (const version of versions) {
      contract = await observed(
        name,
        await editSpec(name, { version, schema: { fields: example.spec.schema.fields } }),
      );
    }
    expect(contract?.status?.lastDiff).toMatchObject({ previousVersion: '3.3.0', version: '3.4.0' });
    expect(await versionsIn(name)).toEqual(['2.1.0', ...versions]);
  });

  it('writes a deleted history map back with every version, from the archive in status', async () => {
    const name = `${NAME}-restore`;
    await published(name);
    await observed(name, await editSpec(name, { version: '2.2.0' }));
    const contract = await observed(
      name,
      await editSpec(name, {
        version: '3.0.0',
        schema: { fields: withoutModelVersion() },
        consumers: consumersAcceptingV3(),
      }),
    );
    expect(contract.status?.historyArchive).toMatchObject({ versions: 3, oldestVersion: '2.1.0' });
    const before = await converged('three versions in the map', async () => {
      const history = readHistory(await getHistory(name));
      return history.entries.length === 3 ? history.entries : undefined;
    });
    const deleted = await getHistory(name);
    await client.delete(ConfigMapType, namespace.name, historyConfigMapName(name));
    const after = await converged('the history map to be back', async () => {
      const map = await getHistory(name);
      return map.metadata?.uid !== deleted.metadata?.uid ? readHistory(map).entries : undefined;
    });
    // Every version with its full schema, diff and publication time, as before the deletion.
    expect(after).toEqual(before);
    expect(after.map((entry) => entry.version)).toEqual(['2.1.0', '2.2.0', '3.0.0']);
    expect(after[0]?.schema.fields.map((field) => field.path)).toContain('model_version');
  });
});

async function reconcileSuccesses(manager: Manager): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${manager.httpPort}/metrics`)).text();
  const series = `controller_runtime_reconcile_total{controller="${OUTPUT_CONTRACT_CONTROLLER}",result="success"} `;
  const line = text.split('\n').find((l) => l.startsWith(series));
  return Number(line?.slice(series.length));
}
