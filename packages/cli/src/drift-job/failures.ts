import { FailureCause } from '@steward/api';
import { DataError } from '@steward/drift';

/** Why a part of the check could not run: its cause (status.lastResult) and what happened. */
export interface PartFailure {
  reason: FailureCause;
  message: string;
}

/** A thrown error as a part failure: unreachable data, malformed data, or anything else. */
export function failurePart(error: unknown): PartFailure {
  if (error instanceof DataError) {
    return {
      reason: error.unreachable ? FailureCause.SourceUnreachable : FailureCause.InvalidData,
      message: error.message,
    };
  }
  return { reason: FailureCause.CheckFailed, message: (error as Error).message ?? String(error) };
}
