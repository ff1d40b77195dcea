/** Malformed or unreadable input data; the message names the source and, where known, the row. */
export class DataError extends Error {
  override name = 'DataError';
}
