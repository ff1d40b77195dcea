export {
  type Act,
  type ActOptions,
  type ActorDependencies,
  type CacheReader,
  createAct,
  type Reread,
} from './act/act.ts';
export {
  contains,
  DESIRED_HASH_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_SELECTOR,
  MANAGED_BY_VALUE,
  needsApply,
  ownedObject,
} from './act/desired-state.ts';
export type { Deletion, Desired, Plan } from './act/plan.ts';
export {
  errorMessage,
  isConflict,
  isNotFound,
  KubeApiError,
  StaleObjectError,
  statusCodeOf,
  TerminalError,
} from './client/errors.ts';
export {
  FIELD_MANAGER,
  type JsonPatchOperation,
  KubeClient,
  type ListOptions,
  type PropagationPolicy,
  REQUEST_TIMEOUT_MS,
} from './client/kube-client.ts';
export {
  ConfigMapType,
  CronJobType,
  DeploymentType,
  EventType,
  JobType,
  LeaseType,
  PodType,
  type ResourceType,
  resourcePath,
  ServiceAccountType,
  ServiceType,
} from './client/resource.ts';
export type {
  AsJson,
  ConfigMap,
  CoreEvent,
  CronJob,
  Deployment,
  Event,
  Job,
  Lease,
  Pod,
  Service,
} from './client/types.ts';
export { type Clock, ManualClock, systemClock } from './clock.ts';
export { ControllerBuilder, controllerBuilder } from './controller/builder.ts';
export {
  Controller,
  type ControllerOptions,
  DEFAULT_RECONCILE_TIMEOUT_MS,
  type WatchedSource,
} from './controller/controller.ts';
export { type FailureKind, ReconcileTimeoutError } from './controller/failures.ts';
export { annotationsChanged, anyOf, generationChanged, projectionChanged } from './controller/filters.ts';
export { type IndexedCache, referrers } from './controller/referrers.ts';
export type {
  EventFilter,
  MapFunction,
  ReconcileContext,
  ReconcileRequest,
  ReconcileResult,
  Reconciler,
  Source,
  WatchEvent,
  WatchOptions,
} from './controller/types.ts';
export {
  type Condition,
  type ConditionUpdate,
  findCondition,
  isConditionTrue,
  setCondition,
} from './helpers/conditions.ts';
export { type EventKind, EventRecorder, type RecordedEvent } from './helpers/events.ts';
export { addFinalizer, hasFinalizer, removeFinalizer } from './helpers/finalizers.ts';
export { controllerReference, isControlledBy } from './helpers/owner-references.ts';
export { canonicalJson, patchStatusIfChanged, sameJson, statusDiffers } from './helpers/status.ts';
export type { IndexFunction } from './informer/field-index.ts';
export {
  DEFAULT_RESYNC_PERIOD_MS,
  DEFAULT_WATCHDOG_MS,
  Informer,
  type InformerEvent,
  type InformerHandler,
  type InformerOptions,
} from './informer/informer.ts';
export { keyOf, objectKey, splitKey } from './informer/keys.ts';
export {
  DEFAULT_LEASE_DURATION_MS,
  DEFAULT_RENEW_DEADLINE_MS,
  DEFAULT_RETRY_PERIOD_MS,
  type LeaderElectionOptions,
  LeaderElector,
} from './leader/leader-election.ts';
export { DEFAULT_GRACEFUL_SHUTDOWN_MS, DEFAULT_HTTP_PORT, Manager, type ManagerOptions } from './manager.ts';
export { ProbeServer, type ProbeServerOptions } from './observability/http-server.ts';
export { createLogger, type Logger } from './observability/logger.ts';
export {
  type ControllerMetrics,
  type ReconcileResultLabel,
  RuntimeMetrics,
} from './observability/metrics.ts';
export { type Random, seededRandom, systemRandom } from './random.ts';
export {
  type UnfinishedWork,
  WorkQueue,
  type WorkQueueMetrics,
  type WorkQueueOptions,
} from './workqueue/queue.ts';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from './workqueue/rate-limiter.ts';
