// A Prometheus instant query, for business KPIs and output-quality rates. Plain fetch: no client library.

/** What a query gave: one finite value, or why there is none. */
export type QueryResult =
  | { kind: 'value'; value: number }
  /** The query matched no series, or its value is NaN (e.g. a rate of 0/0): not enough data. */
  | { kind: 'noData'; message: string }
  /** Prometheus did not answer, answered with an error, or the query is not a single series. */
  | { kind: 'failed'; message: string };

export interface PrometheusQueryOptions {
  url: string;
  query: string;
  timeoutMs: number;
  /** Sent as `Authorization: Bearer ...`; never logged or put in a message. */
  bearerToken?: string | undefined;
  /** Evaluation time (seconds since the epoch); default: Prometheus's now. */
  time?: number;
  fetch?: typeof fetch;
}

interface PrometheusResponse {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

function sampleValue(data: PrometheusResponse['data']): QueryResult {
  const { resultType, result } = data ?? {};
  let raw: unknown;
  if (resultType === 'scalar') raw = (result as unknown[] | undefined)?.[1];
  else if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length === 0) return { kind: 'noData', message: 'the query returned no series' };
    if (result.length > 1) {
      return {
        kind: 'failed',
        message: `the query returned ${result.length} series; aggregate it to one (e.g. sum(...))`,
      };
    }
    raw = (result[0] as { value?: unknown[] }).value?.[1];
  } else {
    return {
      kind: 'failed',
      message: `the query returned a ${resultType ?? 'missing'} result, not one sample`,
    };
  }
  const value = Number(raw);
  if (Number.isNaN(value))
    return { kind: 'noData', message: 'the query value is NaN (no data in its range?)' };
  if (!Number.isFinite(value)) return { kind: 'failed', message: `the query value is ${raw}` };
  return { kind: 'value', value };
}

/** Runs one instant query. Never throws: an unreachable server or a bad query is a `failed` result. */
export async function prometheusInstantQuery(options: PrometheusQueryOptions): Promise<QueryResult> {
  const endpoint = new URL('api/v1/query', options.url.endsWith('/') ? options.url : `${options.url}/`);
  const body = new URLSearchParams({
    query: options.query,
    timeout: `${Math.ceil(options.timeoutMs / 1000)}s`,
  });
  if (options.time !== undefined) body.set('time', String(options.time));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.bearerToken) headers.authorization = `Bearer ${options.bearerToken}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${options.timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { kind: 'failed', message: `Prometheus at ${options.url} unreachable: ${why}` };
  }
  let parsed: PrometheusResponse;
  try {
    parsed = (await response.json()) as PrometheusResponse;
  } catch {
    return {
      kind: 'failed',
      message: `Prometheus at ${options.url} answered HTTP ${response.status} without a JSON body`,
    };
  }
  if (!response.ok || parsed.status !== 'success') {
    return {
      kind: 'failed',
      message: `Prometheus at ${options.url} answered HTTP ${response.status}: ${parsed.error ?? parsed.status ?? 'no error message'}`,
    };
  }
  return sampleValue(parsed.data);
}
