/** Malformed or unreadable input data; the message names the source and, where known, the row. */
export class DataError extends Error {
  override name = 'DataError';
  /**
   * True when the data could not be reached at all (no such file, object or bucket, a network error,
   * an HTTP error status), as opposed to data that was read and is malformed.
   */
  readonly unreachable: boolean;

  constructor(message: string, options: { unreachable?: boolean } = {}) {
    super(message);
    this.unreachable = options.unreachable ?? false;
  }
}
