export { isConflict, isNotFound, KubeApiError, statusCodeOf, TerminalError } from './client/errors.ts';
export {
  FIELD_MANAGER,
  type JsonPatchOperation,
  KubeClient,
  type ListOptions,
} from './client/kube-client.ts';
export { ConfigMapType, EventType, LeaseType, type ResourceType, resourcePath } from './client/resource.ts';
export { type Clock, ManualClock, systemClock } from './clock.ts';
export { ControllerBuilder, controllerBuilder } from './controller/builder.ts';
export { Controller, type ControllerOptions } from './controller/controller.ts';
export type {
  MapFunction,
  ReconcileContext,
  ReconcileRequest,
  ReconcileResult,
  Reconciler,
  Source,
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
export { patchStatusIfChanged, sameJson, statusDiffers } from './helpers/status.ts';
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
export { WorkQueue, type WorkQueueMetrics, type WorkQueueOptions } from './workqueue/queue.ts';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from './workqueue/rate-limiter.ts';
