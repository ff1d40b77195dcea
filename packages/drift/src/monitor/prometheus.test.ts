import { describe, expect, it } from 'vitest';
import { prometheusInstantQuery } from './prometheus.ts';

/** A fetch that answers every request with `body` (the shape of Prometheus's HTTP API) and `status`. */
function answering(body: unknown, status = 200): typeof fetch {
  return async () => new Response(JSON.stringify(body), { status });
}

const query = (fetchImpl: typeof fetch) =>
  prometheusInstantQuery({ url: 'http://prometheus:9090', query: 'up', timeoutMs: 1000, fetch: fetchImpl });

// The real server is exercised by the DriftMonitor integration test; these cases pin the decoding.
describe('a Prometheus instant query', () => {
  it('gives the value of a single-series vector or a scalar', async () => {
    const vector = {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.25'] }] },
    };
    expect(await query(answering(vector))).toEqual({ kind: 'value', value: 0.25 });
    expect(
      await query(answering({ status: 'success', data: { resultType: 'scalar', result: [1, '3'] } })),
    ).toEqual({
      kind: 'value',
      value: 3,
    });
  });

  it('has no data for an empty vector or a NaN value', async () => {
    expect(
      (await query(answering({ status: 'success', data: { resultType: 'vector', result: [] } }))).kind,
    ).toBe('noData');
    const nan = { status: 'success', data: { resultType: 'vector', result: [{ value: [1, 'NaN'] }] } };
    expect((await query(answering(nan))).kind).toBe('noData');
  });

  it('fails, naming the reason, for many series, a bad query or an unreachable server', async () => {
    const many = {
      status: 'success',
      data: { resultType: 'vector', result: [{ value: [1, '1'] }, { value: [1, '2'] }] },
    };
    expect(await query(answering(many))).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/2 series/),
    });
    const bad = { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' };
    expect(await query(answering(bad, 400))).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/HTTP 400: parse error at char 3/),
    });
    const refused: typeof fetch = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    };
    expect(await query(refused)).toEqual({
      kind: 'failed',
      message: 'Prometheus at http://prometheus:9090 unreachable: ECONNREFUSED',
    });
  });
});
