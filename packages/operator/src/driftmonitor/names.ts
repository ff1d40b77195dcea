import { createHash } from 'node:crypto';

export { JOB_NAME_LABEL, MONITOR_LABEL } from '../indexes.ts';

// A CronJob's name may have at most 52 characters: its Jobs append an 11-character suffix (Kubernetes'
// validation), and a Job name becomes a Pod label value (63 at most).
const MAX_CRONJOB_NAME = 52;
const MAX_LABEL_VALUE = 63;
// 10 hex characters of SHA-256 keep distinct long names apart (a collision needs ~2^20 of them).
const HASH_LENGTH = 10;

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);

/** `base` + `suffix`, shortened with a hash of the whole when it would exceed `max`. */
function bounded(base: string, suffix: string, max: number): string {
  const name = `${base}${suffix}`;
  if (name.length <= max) return name;
  const keep = max - suffix.length - HASH_LENGTH - 1;
  return `${base.slice(0, keep).replace(/[-.]+$/, '')}-${hash(base)}${suffix}`;
}

export const cronJobName = (monitor: string) => bounded(monitor, '-drift-check', MAX_CRONJOB_NAME);
/** The ServiceAccount, Role and RoleBinding of the check Pods share the CronJob's name. */
export const checkAccountName = cronJobName;
export const reportConfigMapName = (monitor: string) => bounded(monitor, '-drift-report', MAX_CRONJOB_NAME);
/** The Job a check-requested annotation value starts: one per value, whatever the value's length. */
export const runNowJobName = (monitor: string, request: string) =>
  `${cronJobName(monitor)}-now-${hash(request).slice(0, 5)}`;
/** The monitor label's value: the name, or a shortened one with a hash when longer than a label value may be. */
export const monitorLabelValue = (monitor: string) => bounded(monitor, '', MAX_LABEL_VALUE);
