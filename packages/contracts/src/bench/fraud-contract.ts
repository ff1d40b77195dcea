import { type ContractSchema, contractSchemaSchema } from '../schema.ts';

/** A realistic classifier contract: labels, a bounded score, an array of objects, a nested object. */
export const benchContract: ContractSchema = contractSchemaSchema.parse({
  fields: [
    { path: 'id', type: 'string' },
    { path: 'label', type: 'string', enum: ['fraud', 'legit', 'review'] },
    { path: 'score', type: 'number', minimum: 0, maximum: 1 },
    { path: 'latencyMs', type: 'integer', minimum: 0 },
    { path: 'reasons', type: 'array', items: { type: 'object' } },
    { path: 'reasons[].code', type: 'string', enum: ['velocity', 'geo', 'device', 'amount'] },
    { path: 'reasons[].weight', type: 'number', minimum: 0, maximum: 1 },
    { path: 'model', type: 'object' },
    { path: 'model.name', type: 'string' },
    { path: 'model.version', type: 'string' },
    { path: 'shadow', type: 'boolean', required: false, nullable: true },
  ],
});

const LABELS = ['fraud', 'legit', 'review'] as const;
const CODES = ['velocity', 'geo', 'device', 'amount'] as const;
/** One row in this many breaks the contract, so the error path is part of what is measured. */
export const BAD_ROW_EVERY = 10_000;

/** mulberry32: a tiny seeded PRNG, so every run generates the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function predictionRows(seed: number): (index: number) => string {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  return (index) => {
    const reasons = Array.from({ length: Math.floor(next() * 4) }, () => ({
      code: pick(CODES),
      weight: Math.round(next() * 1000) / 1000,
    }));
    const row = {
      id: `txn-${index.toString(36).padStart(8, '0')}`,
      label: index % BAD_ROW_EVERY === BAD_ROW_EVERY - 1 ? 'unknown' : pick(LABELS),
      score: next(),
      latencyMs: Math.floor(next() * 250),
      reasons,
      model: { name: 'fraud-gbm', version: '2026.11.3' },
      ...(next() < 0.1 ? { shadow: null } : {}),
    };
    return JSON.stringify(row);
  };
}
