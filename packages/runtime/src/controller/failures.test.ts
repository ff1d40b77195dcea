import { describe, expect, it } from 'vitest';
import { recoveredFailure } from './failures.ts';

describe('recoveredFailure', () => {
  it('reports an unreachable API server as an error that says why, not as "fetch failed"', () => {
    const failure = recoveredFailure(
      new TypeError('fetch failed', { cause: new Error('connect ETIMEDOUT 10.96.0.1:443') }),
    );
    expect(failure).toEqual({ kind: 'error', message: 'fetch failed: connect ETIMEDOUT 10.96.0.1:443' });
  });

  it("keeps a bug's own message and stack", () => {
    const failure = recoveredFailure(new TypeError("Cannot read properties of undefined (reading 'spec')"));
    expect(failure.kind).toBe('panic');
    expect(failure.message).toBe("Cannot read properties of undefined (reading 'spec')");
    expect(failure.stack).toContain('TypeError');
  });
});
