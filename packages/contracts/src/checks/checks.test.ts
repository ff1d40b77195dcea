import { describe, expect, it } from 'vitest';
import { contractSchemaSchema } from '../schema.ts';
import { consumerStatus } from './consumers.ts';
import { checkDeclaredOutput } from './declared-output.ts';

describe('consumerStatus', () => {
  const consumers = [
    { name: 'payments', contact: 'pay@example.com', accepts: '^1.2.0' },
    { name: 'risk-dashboard', contact: '#risk', accepts: '>=1.0.0 <3.0.0' },
  ];

  it('accepts a version inside every range', () => {
    const status = consumerStatus('1.3.0', consumers);
    expect(status.allSatisfied).toBe(true);
    expect(status.consumers.map((c) => c.satisfied)).toEqual([true, true]);
  });

  it('names the consumer, its range and its contact when a major bump leaves its range', () => {
    const status = consumerStatus('2.0.0', consumers);
    expect(status.allSatisfied).toBe(false);
    expect(status.consumers[0]?.reason).toBe(
      "consumer 'payments' accepts ^1.2.0, which excludes 2.0.0; contact pay@example.com",
    );
    expect(status.consumers[1]?.satisfied).toBe(true);
  });

  it('keeps consumers on a caret range away from prereleases of the next major', () => {
    expect(consumerStatus('2.0.0-rc.1', [{ name: 'a', contact: 'b', accepts: '^1.0.0' }]).allSatisfied).toBe(
      false,
    );
  });

  it('is satisfied when nobody consumes the output', () => {
    expect(consumerStatus('9.9.9', []).allSatisfied).toBe(true);
  });
});

describe('checkDeclaredOutput', () => {
  const contract = contractSchemaSchema.parse({
    fields: [
      { path: 'label', type: 'string', enum: ['fraud', 'legit'] },
      { path: 'score', type: 'number', minimum: 0, maximum: 1 },
      { path: 'explanation', type: 'string', required: false },
    ],
  });

  it('accepts a model that emits less than the contract allows', () => {
    const declared = contractSchemaSchema.parse({
      fields: [
        { path: 'label', type: 'string', enum: ['fraud'] },
        { path: 'score', type: 'number', minimum: 0.1, maximum: 0.9 },
        { path: 'debug', type: 'string' },
      ],
    });
    expect(checkDeclaredOutput(declared, contract)).toEqual({ conforms: true, violations: [] });
  });

  it('reports each field where the model emits more than the contract allows', () => {
    const declared = contractSchemaSchema.parse({
      fields: [
        { path: 'label', type: 'string', enum: ['fraud', 'legit', 'review'] },
        { path: 'explanation', type: 'string', required: false },
      ],
    });
    const verdict = checkDeclaredOutput(declared, contract);
    expect(verdict.conforms).toBe(false);
    expect(verdict.violations.map((v) => [v.path, v.change, v.reason])).toEqual([
      [
        'label',
        'enum-value-added',
        "declared output differs from the contract: label 'review' added: consumers do not know it",
      ],
      ['score', 'field-removed', 'the contract requires this field but the declared output does not emit it'],
    ]);
  });
});
