/** Reading a finished stage's result document (its Pod's termination message) with the shared schemas. */
import type { z } from 'zod';
import { resultGraceEnd } from '../job-results.ts';
import type { JobState } from './jobs.ts';

export type ResultRead<T> =
  | { kind: 'result'; value: T }
  | { kind: 'waiting'; until: Date }
  | { kind: 'unusable'; problem: string };

const MAX_QUOTED = 300;

export function readResult<S extends z.ZodType>(
  state: Extract<JobState, { kind: 'succeeded' }>,
  schema: S,
  now: Date,
): ResultRead<z.output<S>> {
  if (state.message === undefined) {
    // The Pod cache may not show the succeeded Pod's final status yet (../job-results.ts).
    const until = resultGraceEnd(state.completedAt, now);
    if (until !== undefined) return { kind: 'waiting', until };
    return {
      kind: 'unusable',
      problem: 'its Pod left no termination message (write the result JSON to /dev/termination-log)',
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(state.message);
  } catch {
    return {
      kind: 'unusable',
      problem: `its termination message is not JSON: ${state.message.slice(0, MAX_QUOTED)}`,
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'unusable',
      problem: `its result ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { kind: 'result', value: parsed.data };
}
