export { type Clock, ManualClock, systemClock } from './clock.ts';
export { WorkQueue, type WorkQueueMetrics, type WorkQueueOptions } from './workqueue/queue.ts';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from './workqueue/rate-limiter.ts';
