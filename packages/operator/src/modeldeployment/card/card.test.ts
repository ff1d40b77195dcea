import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import { JsonStrictValidator } from '@cyclonedx/cyclonedx-library/Validation';
import { describe, expect, it } from 'vitest';
import { decide } from '../decide.ts';
import { APPROVER, applied, baseSpec, type Json, observe } from '../test-fixtures.ts';
import { CARD_JSON_KEY, CARD_MARKDOWN_KEY } from './facts.ts';

/** The official CycloneDX 1.6 JSON schema (strict: no unknown properties), as the CycloneDX library ships it. */
const validator = new JsonStrictValidator(Version.v1dot6);

function cardOf(spec: Json, overrides: Parameters<typeof observe>[1] = {}) {
  const plan = decide(observe(spec, overrides));
  const data = applied(plan).card;
  if (data === undefined) throw new Error('no card: the version was not admitted');
  return { markdown: data[CARD_MARKDOWN_KEY] ?? '', json: data[CARD_JSON_KEY] ?? '' };
}

describe('the model card', () => {
  it('holds every section with the resource’s values', () => {
    const { markdown } = cardOf(baseSpec(), {
      driftMonitors: [{ name: 'fraud-drift', schedule: '0 * * * *' }],
      retrainPipelines: ['fraud-retrain'],
    });
    for (const expected of [
      '# Model card: fraud-scorer 2.3.1',
      '- Owner: Amara Okafor <amara.okafor@example.com>, team risk-ml',
      '- Human oversight contact: amara.okafor@example.com',
      'Scores card-not-present payments for fraud',
      'Risk class (EU AI Act): **high**',
      '- Not validated for card-present or ATM transactions.',
      '- Artefact: s3://ml-models/fraud-scorer/2.3.1/',
      '- Location: s3://ml-data/fraud/training/2026-09-01/',
      '| auc | channel-mobile | 0.938 |',
      '| false_positive_rate_ratio | age_band | 1.12 | [0.8, 1.25] | yes |',
      'OutputContract `fraud-score` version 2.1.0',
      '- DriftMonitor `fraud-drift` (schedule `0 * * * *`)',
      '- RetrainPipeline `fraud-retrain`',
      `| 2.3.1 | ${APPROVER} | model-risk-officer | 2026-10-03T09:30:00Z | Approved after the Q3 fairness review. |`,
      '| 2026-11-25T10:00:00Z | 2.3.1 | Admitted |  |',
    ]) {
      expect(markdown).toContain(expected);
    }
  });

  it('says "none recorded" instead of leaving a section out', () => {
    const spec = baseSpec();
    spec.governance = { riskClass: 'minimal' };
    const { markdown } = cardOf(spec);
    expect(markdown).toMatch(/## Training data\n\n_None recorded._/);
    expect(markdown).toMatch(/## Fairness\n\n_None recorded._/);
  });

  it('is a CycloneDX 1.6 ML-BOM that validates against the official schema', async () => {
    const { json } = cardOf(baseSpec(), { driftMonitors: [{ name: 'fraud-drift', schedule: '0 * * * *' }] });
    expect(await validator.validate(json)).toBeNull();
    const bom = JSON.parse(json);
    const [model] = bom.components;
    expect(model).toMatchObject({ type: 'machine-learning-model', name: 'fraud-scorer', version: '2.3.1' });
    expect(model.modelCard.quantitativeAnalysis.performanceMetrics).toContainEqual({
      type: 'fairness:false_positive_rate_ratio',
      value: '1.12',
      slice: 'age_band',
      confidenceInterval: { lowerBound: '0.8', upperBound: '1.25' },
    });
    expect(model.properties).toContainEqual({ name: 'steward:riskClass', value: 'high' });
    expect(model.properties).toContainEqual({ name: 'steward:outputContract', value: 'fraud-score@2.1.0' });
  });

  it('validates for a bare minimal-risk model too', async () => {
    const spec = baseSpec();
    delete spec.governance;
    delete spec.outputContract;
    delete spec.output;
    expect(await validator.validate(cardOf(spec).json)).toBeNull();
  });

  it('the schema check can fail: a BOM with a wrong component type is rejected', async () => {
    const bom = JSON.parse(cardOf(baseSpec()).json);
    bom.components[0].type = 'neural-network';
    await expect(validator.validate(JSON.stringify(bom))).resolves.not.toBeNull();
  });

  it('is the same document on every reconcile of the same state', () => {
    expect(cardOf(baseSpec()).json).toBe(cardOf(baseSpec()).json);
  });
});
