/**
 * The Jobs of a run, built from the pipeline's spec (pure), and what a Job's state says about its stage.
 * Pods run under Pod Security `restricted`; the container reports its result as its termination message.
 */
import {
  KUEUE_QUEUE_LABEL,
  parseDuration,
  type RetrainPipelineSpec,
  SCRATCH_VOLUME,
  TERMINATION_MESSAGE_PATH,
} from '@steward/api';
import { restrictedContainerSecurityContext } from '../pod-security.ts';
import {
  JOB_NAME_LABEL,
  jobAccountName,
  jobName,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  PIPELINE_LABEL,
  pipelineLabelValue,
  RUN_LABEL,
  STAGE_LABEL,
  type Stage,
} from './names.ts';

type JobTemplate = RetrainPipelineSpec['train'];
type EnvVar = NonNullable<JobTemplate['env']>[number];

/** The container's view of its run (docs/retrain-pipeline.md lists them for job authors). */
export interface RunEnvironment {
  runId: string;
  trigger: string;
  dryRun: boolean;
  candidateVersion?: string | undefined;
  candidateUri?: string | undefined;
  servingVersion?: string | undefined;
  servingUri?: string | undefined;
}

export interface JobManifest {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

function runEnv(env: RunEnvironment): { name: string; value: string }[] {
  const entries: [string, string | undefined][] = [
    ['STEWARD_RUN_ID', env.runId],
    ['STEWARD_RUN_TRIGGER', env.trigger],
    ['STEWARD_DRY_RUN', String(env.dryRun)],
    ['STEWARD_CANDIDATE_VERSION', env.candidateVersion],
    ['STEWARD_CANDIDATE_URI', env.candidateUri],
    ['STEWARD_SERVING_VERSION', env.servingVersion],
    ['STEWARD_SERVING_URI', env.servingUri],
  ];
  return entries
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([name, value]) => ({ name, value }));
}

function userEnv(env: readonly EnvVar[] | undefined) {
  return (env ?? []).map((e) =>
    e.secretKeyRef === undefined
      ? { name: e.name, value: e.value ?? '' }
      : { name: e.name, valueFrom: { secretKeyRef: { name: e.secretKeyRef.name, key: e.secretKeyRef.key } } },
  );
}

export interface JobInput {
  namespace: string;
  pipeline: string;
  stage: Stage;
  template: Omit<JobTemplate, 'timeout'> & { timeout: string };
  env: RunEnvironment;
  queueName?: string | undefined;
  /** Extra environment the controller sets (the drill check's configuration). */
  extraEnv?: readonly { name: string; value: string }[];
}

/**
 * The Pod's identity: the account the template names, with whatever token it mounts (e.g. for workload
 * identity); else the pipeline's own account (`jobAccount`), which has no permissions and gets no token,
 * so a Job never runs as the namespace's `default` account, whatever someone once granted that.
 */
function podIdentity(pipeline: string, named: string | undefined) {
  return named === undefined
    ? { serviceAccountName: jobAccountName(pipeline), automountServiceAccountToken: false }
    : { serviceAccountName: named };
}

export interface ServiceAccountManifest {
  apiVersion: 'v1';
  kind: 'ServiceAccount';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  automountServiceAccountToken: false;
}

/**
 * The account of the pipeline's Jobs that name none. No Role binds it: a Job reports its result in its
 * termination message, which the operator reads from the Pod, and reads data through the volumes and
 * Secrets its template names. No token either, so nothing in the Pod can call the API server as it.
 */
export function jobAccount(namespace: string, pipeline: string): ServiceAccountManifest {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: jobAccountName(pipeline),
      namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [PIPELINE_LABEL]: pipelineLabelValue(pipeline) },
    },
    automountServiceAccountToken: false,
  };
}

export function buildJob(input: JobInput): JobManifest {
  const { template, stage } = input;
  const name = jobName(input.pipeline, input.env.runId, stage);
  const labels: Record<string, string> = {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [PIPELINE_LABEL]: pipelineLabelValue(input.pipeline),
    [RUN_LABEL]: input.env.runId,
    [STAGE_LABEL]: stage,
    ...(input.queueName === undefined ? {} : { [KUEUE_QUEUE_LABEL]: input.queueName }),
  };
  const container = {
    name: stage,
    image: template.image,
    ...(template.command === undefined ? {} : { command: template.command }),
    ...(template.args === undefined ? {} : { args: template.args }),
    env: [...userEnv(template.env), ...runEnv(input.env), ...(input.extraEnv ?? [])],
    ...(template.resources === undefined ? {} : { resources: template.resources }),
    terminationMessagePath: TERMINATION_MESSAGE_PATH,
    // A container that crashes before writing its result still leaves the tail of its log.
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: { ...restrictedContainerSecurityContext(), seccompProfile: { type: 'RuntimeDefault' } },
    volumeMounts: [
      { name: SCRATCH_VOLUME.name, mountPath: SCRATCH_VOLUME.mountPath },
      ...(template.volumes ?? []).map((v) => ({
        name: v.name,
        mountPath: v.mountPath,
        ...(v.readOnly === undefined ? {} : { readOnly: v.readOnly }),
      })),
    ],
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: input.namespace, labels },
    spec: {
      backoffLimit: template.backoffLimit,
      // The Job controller kills the Pods and fails the Job at the deadline: the stage's timeout.
      activeDeadlineSeconds: Math.max(1, Math.ceil(parseDuration(template.timeout) / 1000)),
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          ...podIdentity(input.pipeline, template.serviceAccountName),
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [container],
          volumes: [
            { name: SCRATCH_VOLUME.name, emptyDir: {} },
            ...(template.volumes ?? []).map((v) => ({
              name: v.name,
              persistentVolumeClaim: {
                claimName: v.persistentVolumeClaim,
                ...(v.readOnly ? { readOnly: true } : {}),
              },
            })),
          ],
        },
      },
    },
  };
}

/** The parts of a Job and its Pods that tell how a stage went. */
export interface ObservedJob {
  metadata?: { name?: string; labels?: Record<string, string> };
  status?: {
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    completionTime?: string;
  };
}

export interface ObservedPod {
  metadata?: { name?: string; labels?: Record<string, string>; creationTimestamp?: string | Date };
  status?: {
    phase?: string;
    containerStatuses?: {
      state?: { terminated?: { exitCode?: number; message?: string; reason?: string } };
    }[];
  };
}

export type JobState =
  | { kind: 'missing' }
  | { kind: 'running' }
  | { kind: 'succeeded'; message: string | undefined; completedAt: string | undefined }
  | { kind: 'failed'; reason: string; message: string };

function conditionTrue(job: ObservedJob, type: string) {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

function terminationMessage(pod: ObservedPod): string | undefined {
  return pod.status?.containerStatuses?.find((c) => c.state?.terminated?.message)?.state?.terminated?.message;
}

function podsOf(job: ObservedJob, pods: readonly ObservedPod[]): ObservedPod[] {
  const name = job.metadata?.name;
  return pods
    .filter((p) => p.metadata?.labels?.[JOB_NAME_LABEL] === name)
    .sort((a, b) =>
      String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)),
    );
}

/** How the Job of one stage stands; a succeeded Job's result is its succeeded Pod's termination message. */
export function jobState(job: ObservedJob | undefined, pods: readonly ObservedPod[]): JobState {
  if (job === undefined) return { kind: 'missing' };
  const failed = conditionTrue(job, 'Failed');
  if (failed !== undefined) {
    const lastWords = podsOf(job, pods)
      .filter((p) => p.status?.phase === 'Failed')
      .map(terminationMessage)
      .filter((m) => m !== undefined)
      .at(-1);
    const message = [failed.message ?? 'the Job failed', lastWords].filter(Boolean).join(': ');
    return { kind: 'failed', reason: failed.reason ?? 'Failed', message };
  }
  if (conditionTrue(job, 'Complete') === undefined) return { kind: 'running' };
  const succeeded = podsOf(job, pods).filter((p) => p.status?.phase === 'Succeeded');
  return {
    kind: 'succeeded',
    message: succeeded.map(terminationMessage).findLast((m) => m !== undefined),
    completedAt: job.status?.completionTime,
  };
}
