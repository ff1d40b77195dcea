import type { KubernetesObject } from '@kubernetes/client-node';
import {
  DriftCheckEnv,
  type DriftMonitorSpec,
  PVC_MOUNT_ROOT,
  parseDuration,
  pvcClaims,
  TERMINATION_MESSAGE_PATH,
} from '@steward/api';
import {
  type ConfigMap,
  ConfigMapType,
  type CronJob,
  CronJobType,
  type Desired,
  type Job,
  JobType,
  type ResourceType,
  ServiceAccountType,
} from '@steward/runtime';
import type { LiteralEnvVar } from '../api-server-env.ts';
import { restrictedContainerSecurityContext } from '../pod-security.ts';
import {
  checkAccountName,
  cronJobName,
  MONITOR_LABEL,
  monitorLabelValue,
  reportConfigMapName,
} from './names.ts';

export const RoleType: ResourceType = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  plural: 'roles',
  namespaced: true,
};
export const RoleBindingType: ResourceType = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
};

/** Where the check Pod finds the baseline profile's ConfigMap key, and scratch space. */
const BASELINE_MOUNT = '/var/run/steward/baseline';
const SCRATCH_MOUNT = '/tmp';
/** The Steward image's unprivileged user (Dockerfile `USER 65532:65532`, the distroless "nonroot"). */
const NON_ROOT_UID = 65532;
// A check that did not run is reported by the next schedule: one Pod, no retries hiding a failure.
const CHECK_BACKOFF_LIMIT = 0;
// Kubernetes' defaults, written out so the CronJob says what it keeps: the last 3 checks, the last failure.
const SUCCESSFUL_JOBS_HISTORY = 3;
const FAILED_JOBS_HISTORY = 1;
/** A check missed by more than this (operator or controller-manager down) is skipped, not run late. */
const STARTING_DEADLINE_SECONDS = 300;

export interface MonitorObject extends KubernetesObject {
  metadata: NonNullable<KubernetesObject['metadata']> & { name: string; namespace: string };
}

const labelsOf = (monitor: MonitorObject) => ({ [MONITOR_LABEL]: monitorLabelValue(monitor.metadata.name) });

function meta(monitor: MonitorObject, name: string) {
  return { name, namespace: monitor.metadata.namespace, labels: labelsOf(monitor) };
}

/**
 * The check Pods' identity: a ServiceAccount whose only right is to patch this monitor's report
 * ConfigMap by name (get it too: kubectl-style clients read before they patch). Nothing else. With
 * spec.job.serviceAccountName (e.g. for workload identity) that account gets the same Role instead.
 */
export function checkAccount(monitor: MonitorObject, userAccount: string | undefined): Desired[] {
  const name = checkAccountName(monitor.metadata.name);
  const account = userAccount ?? name;
  const serviceAccount = { metadata: meta(monitor, name) };
  const role = {
    metadata: meta(monitor, name),
    rules: [
      {
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: [reportConfigMapName(monitor.metadata.name)],
        verbs: ['get', 'patch'],
      },
    ],
  };
  const binding = {
    metadata: meta(monitor, name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: account, namespace: monitor.metadata.namespace }],
  };
  return [
    ...(userAccount === undefined ? [{ type: ServiceAccountType, object: serviceAccount }] : []),
    { type: RoleType, object: role },
    { type: RoleBindingType, object: binding },
  ];
}

/** The report ConfigMap, applied without data: the check Job owns `data` (another field manager). */
export function reportConfigMap(monitor: MonitorObject): Desired<ConfigMap> {
  return {
    type: ConfigMapType,
    object: { metadata: meta(monitor, reportConfigMapName(monitor.metadata.name)) },
  };
}

type PodSpec = NonNullable<NonNullable<NonNullable<Job['spec']>['template']>['spec']>;
type Container = PodSpec['containers'][number];

/** Every data source the check reads. */
function dataSources(spec: DriftMonitorSpec) {
  return [
    spec.baseline?.source,
    spec.current,
    spec.conceptDrift?.labels,
    spec.conceptDrift?.predictions,
    ...(spec.outputQuality ?? []).map((q) => q.samples),
  ];
}

function secretEnvFrom(spec: DriftMonitorSpec): NonNullable<Container['envFrom']> {
  const names = [
    ...new Set(
      dataSources(spec).flatMap((s) => (s?.credentialsSecretRef ? [s.credentialsSecretRef.name] : [])),
    ),
  ];
  return names.sort().map((name) => ({ secretRef: { name } }));
}

/**
 * The check Pod: `steward job drift-check` with the monitor's spec in an environment variable (no read
 * access to DriftMonitors needed), Pod Security `restricted`, results through the termination message
 * and the report ConfigMap.
 */
export function checkPodSpec(
  monitor: MonitorObject,
  spec: DriftMonitorSpec,
  image: string,
  apiServerEnv: readonly LiteralEnvVar[] = [],
): PodSpec {
  const name = monitor.metadata.name;
  const env: NonNullable<Container['env']> = [
    {
      name: DriftCheckEnv.monitor,
      value: JSON.stringify({
        kind: 'DriftMonitor',
        metadata: { name, namespace: monitor.metadata.namespace },
        spec,
      }),
    },
    { name: DriftCheckEnv.reportConfigMap, value: reportConfigMapName(name) },
    { name: DriftCheckEnv.namespace, value: monitor.metadata.namespace },
    {
      name: DriftCheckEnv.job,
      valueFrom: { fieldRef: { fieldPath: `metadata.labels['batch.kubernetes.io/job-name']` } },
    },
    // Where the operator reaches the API server, for the report (clusters without kube-proxy).
    ...apiServerEnv,
  ];
  const volumes: NonNullable<PodSpec['volumes']> = [{ name: 'scratch', emptyDir: {} }];
  const mounts: NonNullable<Container['volumeMounts']> = [{ name: 'scratch', mountPath: SCRATCH_MOUNT }];
  const profile = spec.baseline?.profile;
  if (profile) {
    volumes.push({
      name: 'baseline',
      configMap: { name: profile.name, items: [{ key: profile.key, path: 'profile.json' }] },
    });
    mounts.push({ name: 'baseline', mountPath: BASELINE_MOUNT, readOnly: true });
    env.push({ name: DriftCheckEnv.baselineProfile, value: `${BASELINE_MOUNT}/profile.json` });
  }
  // Volumes are named by position: a claim name may hold dots and 253 characters, a volume name is a
  // DNS label of at most 63, and two long claims cut to 63 could collide.
  for (const [index, claim] of pvcClaims(dataSources(spec).map((source) => source?.uri)).entries()) {
    volumes.push({ name: `pvc-${index}`, persistentVolumeClaim: { claimName: claim, readOnly: true } });
    mounts.push({ name: `pvc-${index}`, mountPath: `${PVC_MOUNT_ROOT}/${claim}`, readOnly: true });
  }
  const token = spec.prometheus?.bearerTokenSecretRef;
  if (token)
    env.push({
      name: DriftCheckEnv.prometheusToken,
      valueFrom: { secretKeyRef: { name: token.name, key: token.key } },
    });
  const envFrom = secretEnvFrom(spec);
  const container: Container = {
    name: 'drift-check',
    image,
    command: ['steward'],
    args: ['job', 'drift-check'],
    env,
    ...(envFrom.length > 0 ? { envFrom } : {}),
    volumeMounts: mounts,
    ...(spec.job?.resources ? { resources: spec.job.resources } : {}),
    terminationMessagePath: TERMINATION_MESSAGE_PATH,
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: restrictedContainerSecurityContext(),
  };
  return {
    serviceAccountName: spec.job?.serviceAccountName ?? checkAccountName(name),
    restartPolicy: 'Never',
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NON_ROOT_UID,
      runAsGroup: NON_ROOT_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [container],
    volumes,
  };
}

function jobSpec(
  monitor: MonitorObject,
  spec: DriftMonitorSpec,
  image: string,
  apiServerEnv: readonly LiteralEnvVar[],
): NonNullable<Job['spec']> {
  return {
    backoffLimit: CHECK_BACKOFF_LIMIT,
    activeDeadlineSeconds: Math.ceil(parseDuration(spec.job?.timeout ?? '30m') / 1000),
    template: {
      metadata: { labels: labelsOf(monitor) },
      spec: checkPodSpec(monitor, spec, image, apiServerEnv),
    },
  };
}

/** One CronJob per monitor: the schedule, time zone and suspend of the spec, one check at a time. */
export function checkCronJob(
  monitor: MonitorObject,
  spec: DriftMonitorSpec,
  image: string,
  apiServerEnv: readonly LiteralEnvVar[] = [],
): Desired<CronJob> {
  return {
    type: CronJobType,
    object: {
      metadata: meta(monitor, cronJobName(monitor.metadata.name)),
      spec: {
        schedule: spec.schedule,
        ...(spec.timeZone ? { timeZone: spec.timeZone } : {}),
        suspend: spec.suspend,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
        successfulJobsHistoryLimit: SUCCESSFUL_JOBS_HISTORY,
        failedJobsHistoryLimit: FAILED_JOBS_HISTORY,
        jobTemplate: {
          metadata: { labels: labelsOf(monitor) },
          spec: jobSpec(monitor, spec, image, apiServerEnv),
        },
      },
    },
  };
}

/** A one-off check Job (the check-requested annotation), owned by the monitor, named after the request. */
export function runNowJob(
  monitor: MonitorObject,
  spec: DriftMonitorSpec,
  image: string,
  name: string,
  apiServerEnv: readonly LiteralEnvVar[] = [],
): Desired<Job> {
  return {
    type: JobType,
    object: { metadata: meta(monitor, name), spec: jobSpec(monitor, spec, image, apiServerEnv) },
  };
}
