import type { z } from 'zod';

/**
 * A spec's zod issues as one message, one clause per issue, each naming its field the way kubectl shows
 * it: `spec.schema.fields[3]: enum is only allowed on string fields; spec.version: ...`.
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
        'spec',
      );
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
