import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import { JsonStrictValidator } from '@cyclonedx/cyclonedx-library/Validation';
import type { ModelDeployment, OutputContract } from '@steward/api';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../run.ts';

const example = <T>(file: string) =>
  load(
    readFileSync(
      fileURLToPath(new URL(`../../../../examples/fraud-scoring/${file}`, import.meta.url)),
      'utf8',
    ),
  ) as T;
type Json = Record<string, unknown>;
type Model = ModelDeployment;
type Contract = OutputContract;
/** The parts of the example a case edits; the example defines every one of them. */
const owner = (m: Model) => m.spec.owner as NonNullable<Model['spec']['owner']>;
const governance = (m: Model) => m.spec.governance as NonNullable<Model['spec']['governance']>;
const output = (m: Model) => m.spec.output as NonNullable<Model['spec']['output']>;
const approvals = (m: Model) => governance(m).approvals ?? [];
const fairness = (m: Model) => governance(m).fairness ?? [];
const followPipeline = (m: Model, name: string) => {
  m.spec.model = { name: 'fraud-scorer', versionFrom: { retrainPipeline: name } };
};

async function steward(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// Review dates in the example are judged at this date, so the outcome never depends on the day CI runs.
const NOW = '2026-11-25';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
/** Writes documents as one multi-document YAML file, as a GitOps repository would hold them. */
async function manifest(...documents: object[]): Promise<string> {
  files += 1;
  const path = join(dir, `manifests-${files}.yaml`);
  await writeFile(path, documents.map((d) => dump(d)).join('---\n'));
  return path;
}
const model = (edit: (m: Model) => void = () => {}): Model => {
  const m = structuredClone(example<Model>('model-deployment.yaml'));
  edit(m);
  return m;
};
const contract = (edit: (c: Contract) => void = () => {}): Contract => {
  const c = structuredClone(example<Contract>('output-contract.yaml'));
  edit(c);
  return c;
};

interface Case {
  name: string;
  documents: () => object[];
  code: number;
  says?: string[];
}

const cases: Case[] = [
  {
    name: 'admits the example with its contract',
    documents: () => [model(), contract()],
    code: 0,
    says: ['fraud-scorer 2.3.1: admitted', 'summary: 1 admitted, 0 blocked'],
  },
  {
    name: 'blocks a model without an owner',
    documents: () => [model((m) => delete m.spec.owner), contract()],
    code: 1,
    says: ['BLOCKED', 'OwnerMissing: spec.owner is not set'],
  },
  {
    name: 'blocks an overdue owner review',
    documents: () => [
      model((m) => {
        owner(m).lastReviewed = '2026-01-01';
      }),
      contract(),
    ],
    code: 1,
    says: ['OwnerReviewOverdue'],
  },
  {
    name: 'blocks when the named contract is not among the files',
    documents: () => [model()],
    code: 1,
    says: ["ContractNotFound: spec.outputContract.name: OutputContract 'fraud-score'"],
  },
  {
    name: 'blocks a declared output that breaks the contract, naming the field',
    documents: () => [
      model((m) => {
        output(m).fields = output(m).fields.filter((f) => f.path !== 'decision');
      }),
      contract(),
    ],
    code: 1,
    says: [
      "ContractBreaking: breaks OutputContract 'fraud-score' 2.1.0: spec.output field 'decision' (field-removed)",
    ],
  },
  {
    name: 'blocks a contract version outside versionRange',
    documents: () => [
      model((m) => {
        m.spec.outputContract = { name: 'fraud-score', versionRange: '^3.0.0' };
      }),
      contract(),
    ],
    code: 1,
    says: ['ContractVersionOutOfRange'],
  },
  {
    name: 'blocks when a consumer does not accept the contract version',
    documents: () => [
      model(),
      contract((c) => {
        c.spec.consumers = [{ name: 'payments-gateway', contact: 'pay@example.com', accepts: '^1.0.0' }];
      }),
    ],
    code: 1,
    says: [
      "ConsumerRangeUnsatisfied: OutputContract 'fraud-score' 2.1.0: consumer 'payments-gateway' accepts ^1.0.0",
    ],
  },
  {
    name: 'blocks a high-risk version approved only for another version',
    documents: () => [
      model((m) => {
        governance(m).approvals = approvals(m).map((a) => ({ ...a, version: '2.3.0' }));
      }),
      contract(),
    ],
    code: 1,
    says: ['ApprovalMissing', 'approvals of other versions (2.3.0) do not carry over'],
  },
  {
    name: 'blocks a fairness result outside its bounds',
    documents: () => [
      model((m) => {
        governance(m).fairness = fairness(m).map((f, i) => (i === 0 ? { ...f, value: 1.5 } : f));
      }),
      contract(),
    ],
    code: 1,
    says: [
      'FairnessBoundViolated: spec.governance.fairness[0] false_positive_rate_ratio on age_band is 1.5, outside [0.8, 1.25]',
    ],
  },
  {
    name: 'follows the version a RetrainPipeline in the files promoted',
    documents: () => [
      model((m) => {
        followPipeline(m, 'fraud-scorer-retrain');
        governance(m).approvals = approvals(m).map((a) => ({ ...a, version: '2.4.0' }));
      }),
      contract(),
      {
        ...example('retrain-pipeline.yaml'),
        status: { promotedVersion: '2.4.0', promotedUri: 's3://ml-models/fraud-scorer/2.4.0/' },
      },
    ],
    code: 0,
    says: ['fraud-scorer 2.4.0: admitted'],
  },
  {
    name: 'blocks versionFrom a pipeline that has promoted nothing yet',
    documents: () => [
      model((m) => {
        followPipeline(m, 'fraud-scorer-retrain');
      }),
      contract(),
      example('retrain-pipeline.yaml'),
    ],
    code: 1,
    says: ['fraud-scorer (unresolved): BLOCKED', 'VersionPending'],
  },
  {
    name: 'checks every model in the files and blocks if any is blocked',
    documents: () => [
      model(),
      model((m) => {
        m.metadata.name = 'other';
        delete m.spec.owner;
      }),
      contract(),
    ],
    code: 1,
    says: ['fraud-scorer 2.3.1: admitted', 'other 2.3.1: BLOCKED', 'summary: 1 admitted, 1 blocked'],
  },
  {
    name: 'skips kinds it does not check, saying so',
    documents: () => [
      model(),
      contract(),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } },
    ],
    code: 0,
    says: ['skipped', 'ConfigMap/settings'],
  },
];

describe('steward check', () => {
  it.each(cases)('$name', async ({ documents, code, says }) => {
    const result = await steward('check', await manifest(...documents()), '--now', NOW);
    expect(result.code, result.out + result.err).toBe(code);
    for (const text of says ?? []) expect(result.out).toContain(text);
  });

  it('prints the verdicts as JSON', async () => {
    const { code, out } = await steward(
      'check',
      await manifest(model((m) => delete m.spec.owner)),
      '--now',
      NOW,
      '-o',
      'json',
    );
    expect(code).toBe(1);
    const result = JSON.parse(out);
    expect(result.models[0]).toMatchObject({ name: 'fraud-scorer', version: '2.3.1', admitted: false });
    expect(result.models[0].failures.map((f: Json) => f.reason)).toContain('OwnerMissing');
  });

  it('treats a manifest that fails the schema as bad input, naming the field', async () => {
    const { code, err } = await steward(
      'check',
      await manifest(
        model((m) => {
          m.spec.serving = { ...m.spec.serving, image: 'Not An Image!' };
        }),
      ),
      '--now',
      NOW,
    );
    expect(code).toBe(2);
    expect(err).toContain('spec.serving.image');
  });

  it('treats files without a ModelDeployment, missing files and malformed YAML as bad input', async () => {
    expect((await steward('check', await manifest(contract()))).code).toBe(2);
    expect((await steward('check', join(dir, 'missing.yaml'))).err).toContain('no such file');
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'kind: [unclosed');
    const malformed = await steward('check', broken);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain('malformed YAML');
    expect((await steward('check')).code).toBe(2);
    expect((await steward('check', broken, '--now', 'yesterday')).code).toBe(2);
  });
});

describe('steward card render', () => {
  it('prints the Markdown card with the resource’s values', async () => {
    const { code, out } = await steward(
      'card',
      'render',
      await manifest(model(), contract()),
      '--now',
      '2026-11-25T10:00:00Z',
    );
    expect(code).toBe(0);
    expect(out).toContain('# Model card: fraud-scorer 2.3.1');
    expect(out).toContain('OutputContract `fraud-score` version 2.1.0');
    expect(out).toContain('- Admitted: 2026-11-25T10:00:00Z');
  });

  it('prints the ML-BOM with -o json, valid against the CycloneDX 1.6 schema', async () => {
    const { code, out } = await steward('card', 'render', await manifest(model(), contract()), '-o', 'json');
    expect(code).toBe(0);
    expect(await new JsonStrictValidator(Version.v1dot6).validate(out)).toBeNull();
    expect((await steward('card', 'render', await manifest(model()), '-o', 'yaml')).out).toContain(
      'bomFormat: CycloneDX',
    );
  });

  it('cannot describe a model that follows a pipeline and was never admitted', async () => {
    const follower = model((m) => {
      followPipeline(m, 'p');
    });
    const { code, err } = await steward('card', 'render', await manifest(follower));
    expect(code).toBe(2);
    expect(err).toContain('no version to describe');
  });
});
