/**
 * TypeScript shapes of the built-in kinds, from client-node's generated V1* models. KubeClient and the
 * informers keep objects as the API server's JSON, where a timestamp is an RFC 3339 string, while
 * the models (written for client-node's own deserializer) type it as `Date`: `AsJson` says `string`
 * for those fields. `metadata` keeps client-node's V1ObjectMeta so every kind stays a
 * `KubernetesObject`; read its timestamps (`creationTimestamp`, `deletionTimestamp`) as strings too.
 */
import type {
  CoreV1Event,
  EventsV1Event,
  V1ConfigMap,
  V1CronJob,
  V1Deployment,
  V1Job,
  V1Lease,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';

export type AsJson<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer Item>
    ? AsJson<Item>[]
    : T extends object
      ? { [K in keyof T]: K extends 'metadata' ? T[K] : AsJson<T[K]> }
      : T;

export type ConfigMap = AsJson<V1ConfigMap>;
export type Pod = AsJson<V1Pod>;
export type Service = AsJson<V1Service>;
export type Deployment = AsJson<V1Deployment>;
export type Job = AsJson<V1Job>;
export type CronJob = AsJson<V1CronJob>;
export type Lease = AsJson<V1Lease>;
/** events.k8s.io/v1, the API EventRecorder writes. */
export type Event = AsJson<EventsV1Event>;
/** The core v1 Event, as `kubectl get events` lists it. */
export type CoreEvent = AsJson<CoreV1Event>;
