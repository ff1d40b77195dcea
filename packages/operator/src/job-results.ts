/**
 * Jobs report their result through their Pod's termination message (and the drift check also through its
 * report ConfigMap). The operator watches Jobs and Pods (and ConfigMaps) with separate informers, and
 * nothing orders one watch after another: the Job cache may show a Job's Complete condition before the
 * Pod cache shows the succeeded Pod's final status. A controller that read "no result" at that moment as
 * final would record a wrong outcome that no later event corrects. So a completed Job without a readable
 * result is waited for, and the Pod's (or report's) own event brings its owner back.
 */

// After this long without a result the Pod is taken to be gone (deleted, garbage-collected) with its result.
// A cache lags by milliseconds to seconds; two minutes leaves room for an API server under load.
export const RESULT_GRACE_MS = 2 * 60_000;

/**
 * Until when a Job that completed at `completedAt` (its status.completionTime) may still show its result
 * in the caches; `undefined` once that time has passed. A Job without a completion time counts from `now`.
 */
export function resultGraceEnd(completedAt: string | undefined, now: Date): Date | undefined {
  const completed = completedAt === undefined ? now.getTime() : Date.parse(completedAt);
  const until = new Date(completed + RESULT_GRACE_MS);
  return until > now ? until : undefined;
}
