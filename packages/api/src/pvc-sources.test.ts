import { describe, expect, it } from 'vitest';
import { pvcClaims } from './pvc-sources.ts';

describe('pvcClaims', () => {
  it('names each claim of the pvc:// sources once, sorted, and ignores other schemes and absent sources', () => {
    expect(
      pvcClaims([
        'pvc://labels/2026/11/*.csv',
        's3://bucket/current/',
        undefined,
        'pvc://features/reference.parquet',
        'file:///data/pvc/x.csv',
        'pvc://labels/2026/12/*.csv',
      ]),
    ).toEqual(['features', 'labels']);
  });

  it('names no claim when no source is on a PVC', () => {
    expect(pvcClaims(['https://example.com/data.csv', undefined])).toEqual([]);
  });
});
