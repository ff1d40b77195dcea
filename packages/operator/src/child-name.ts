/** Deterministic names of owned objects, so every reconcile (and replica) finds the same objects. */
import { createHash } from 'node:crypto';

// Object names are DNS subdomains of at most 253 characters.
const MAX_OBJECT_NAME = 253;
// Enough hash to keep two long names apart after truncation.
const NAME_HASH_LENGTH = 10;

/** `<name><suffix>`, shortened with a hash of the name when it would be too long. */
export function childName(name: string, suffix: string): string {
  const full = `${name}${suffix}`;
  if (full.length <= MAX_OBJECT_NAME) return full;
  const room = MAX_OBJECT_NAME - suffix.length - NAME_HASH_LENGTH - 1;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, NAME_HASH_LENGTH);
  // A name part may not end in '.' or '-' before the '-' that follows it.
  return `${name.slice(0, room).replace(/[.-]+$/, '')}-${hash}${suffix}`;
}
