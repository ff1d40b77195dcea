/**
 * The owned Deployment and Service of the admitted version, with Pod Security `restricted` defaults:
 * non-root, no privilege escalation, every capability dropped, seccomp RuntimeDefault, read-only root
 * filesystem (with a writable /tmp), no service-account token.
 */

import type { ModelDeploymentSpec, ModelDeploymentStatus } from '@steward/api';
import type { Deployment, Service } from '@steward/runtime';
import { restrictedContainerSecurityContext } from '../pod-security.ts';
import { type LabelFacts, selectorLabels, servingLabels } from './labels.ts';

export type Admitted = NonNullable<ModelDeploymentStatus['admitted']>;
type Serving = ModelDeploymentSpec['serving'];

export const CONTAINER_NAME = 'model-server';
const PORT_NAME = 'http';
const TMP_VOLUME = 'tmp';
// The model server learns what it serves from these, whatever its arguments say.
export const MODEL_ENV = { uri: 'MODEL_URI', name: 'MODEL_NAME', version: 'MODEL_VERSION' } as const;

export interface ServingObjects {
  deployment: Deployment;
  service: Service;
}

export interface ServingFacts extends Omit<LabelFacts, 'version'> {
  namespace: string;
  /** From the current spec even while a new version is blocked: scaling is not a rollout. */
  replicas: number;
}

export function desiredServing(admitted: Admitted, facts: ServingFacts): ServingObjects {
  const labels = servingLabels({ ...facts, version: admitted.version });
  const selector = selectorLabels(facts.deploymentName, facts.modelName);
  const metadata = { name: facts.deploymentName, namespace: facts.namespace, labels };
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: facts.replicas,
      ...(admitted.serving.progressDeadlineSeconds === undefined
        ? {}
        : { progressDeadlineSeconds: admitted.serving.progressDeadlineSeconds }),
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [container(admitted, facts.modelName)],
          volumes: [{ name: TMP_VOLUME, emptyDir: {} }],
        },
      },
    },
  };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      selector,
      ports: [{ name: PORT_NAME, port: admitted.serving.port, targetPort: PORT_NAME, protocol: 'TCP' }],
    },
  };
  return { deployment, service };
}

type Container = NonNullable<NonNullable<Deployment['spec']>['template']['spec']>['containers'][number];
type EnvVar = NonNullable<Container['env']>[number];

function container(admitted: Admitted, modelName: string): Container {
  const serving: Serving = admitted.serving;
  return {
    name: CONTAINER_NAME,
    image: serving.image,
    ...(serving.command === undefined ? {} : { command: serving.command }),
    ...(serving.args === undefined ? {} : { args: serving.args }),
    env: [
      { name: MODEL_ENV.name, value: modelName },
      { name: MODEL_ENV.version, value: admitted.version },
      { name: MODEL_ENV.uri, value: admitted.uri },
      ...(serving.env ?? []).map(envVar),
    ],
    ports: [{ name: PORT_NAME, containerPort: serving.port, protocol: 'TCP' }],
    ...(serving.readinessPath === undefined
      ? {}
      : { readinessProbe: { httpGet: { path: serving.readinessPath, port: PORT_NAME } } }),
    ...(serving.resources === undefined ? {} : { resources: serving.resources }),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }],
  };
}

function envVar(env: NonNullable<Serving['env']>[number]): EnvVar {
  if (env.secretKeyRef !== undefined) {
    return {
      name: env.name,
      valueFrom: { secretKeyRef: { name: env.secretKeyRef.name, key: env.secretKeyRef.key } },
    };
  }
  return { name: env.name, value: env.value ?? '' };
}

/**
 * Where a hand edit moved the live Deployment away from the admitted version: the fields of the
 * pod template Steward sets. Empty when it matches (the API server's own defaults are ignored).
 */
export function handEdits(live: Deployment | undefined, desired: Deployment): string[] {
  if (live === undefined) return [];
  const liveContainer = live.spec?.template?.spec?.containers?.find((c) => c.name === CONTAINER_NAME);
  const wanted = desired.spec?.template?.spec?.containers?.[0];
  if (wanted === undefined) return [];
  if (liveContainer === undefined) return [`container ${CONTAINER_NAME} removed`];
  const edits: string[] = [];
  if (liveContainer.image !== wanted.image)
    edits.push(`image ${liveContainer.image} (admitted: ${wanted.image})`);
  if (JSON.stringify(liveContainer.command ?? []) !== JSON.stringify(wanted.command ?? []))
    edits.push('command');
  if (JSON.stringify(liveContainer.args ?? []) !== JSON.stringify(wanted.args ?? [])) edits.push('args');
  if (JSON.stringify(liveContainer.env ?? []) !== JSON.stringify(wanted.env ?? [])) edits.push('env');
  const liveVersion = live.spec?.template?.metadata?.labels?.['app.kubernetes.io/version'];
  const wantedVersion = desired.spec?.template?.metadata?.labels?.['app.kubernetes.io/version'];
  if (liveVersion !== wantedVersion) edits.push(`version label ${liveVersion} (admitted: ${wantedVersion})`);
  return edits;
}
