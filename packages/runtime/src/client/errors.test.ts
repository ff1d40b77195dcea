import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors.ts';

describe('errorMessage', () => {
  it("says what fetch's network failure was: its cause follows the bare 'fetch failed'", () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 10.96.0.1:443') });
    expect(errorMessage(refused)).toBe('fetch failed: connect ECONNREFUSED 10.96.0.1:443');
  });

  it('follows a chain of causes, names an error without a message, and reads what is not an Error', () => {
    const inner = new Error('', { cause: 'socket hang up' });
    inner.name = 'ConnectTimeoutError';
    expect(errorMessage(new Error('fetch failed', { cause: inner }))).toBe(
      'fetch failed: ConnectTimeoutError: socket hang up',
    );
    expect(errorMessage('plain text')).toBe('plain text');
  });

  it('stops on a cycle of causes', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(errorMessage(a)).toBe('a: b');
  });
});
