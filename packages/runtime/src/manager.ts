import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { type Act, createAct } from './act/act.ts';
import { KubeClient } from './client/kube-client.ts';
import type { ResourceType } from './client/resource.ts';
import { type Clock, systemClock } from './clock.ts';
import { ControllerBuilder } from './controller/builder.ts';
import type { Controller } from './controller/controller.ts';
import { EventRecorder } from './helpers/events.ts';
import { Informer, type InformerOptions } from './informer/informer.ts';
import { type LeaderElectionOptions, LeaderElector } from './leader/leader-election.ts';
import { ProbeServer } from './observability/http-server.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { RuntimeMetrics } from './observability/metrics.ts';
import { type Random, systemRandom } from './random.ts';

// The port controller-runtime serves metrics on by default; probes share it (one port to expose).
export const DEFAULT_HTTP_PORT = 8080;
// Kubernetes' default terminationGracePeriodSeconds is 30 s; finish a little before SIGKILL comes.
export const DEFAULT_GRACEFUL_SHUTDOWN_MS = 25_000;

export interface ManagerOptions {
  kubeConfig: KubeConfig;
  /** Port for /metrics, /healthz, /readyz; 0 picks a free one; `false` serves nothing. */
  httpPort?: number | false;
  httpHost?: string;
  /** The Lease to hold; the manager supplies the client, clock, logger and callbacks. */
  leaderElection?: Pick<
    LeaderElectionOptions,
    'namespace' | 'name' | 'identity' | 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'
  >;
  gracefulShutdownMs?: number;
  /** Stop on SIGTERM/SIGINT (default true). */
  handleSignals?: boolean;
  /** Called after leadership was lost and the manager stopped; default: exit with status 1. */
  onLostLeadership?: () => void;
  clock?: Clock;
  /** Jitter of informer restarts and leader-election retries; seed it in tests. */
  random?: Random;
  logger?: Logger;
  metrics?: RuntimeMetrics;
}

type InformerScope = Pick<
  InformerOptions,
  'namespace' | 'labelSelector' | 'fieldSelector' | 'resyncPeriodMs'
>;

/**
 * Owns what controllers share: the client, one informer per watched kind, metrics, the probe server,
 * leader election and shutdown. Informers run on every replica (a standby's cache is warm when it
 * takes over); controllers run only on the leader, and only after every cache has synced.
 */
export class Manager {
  readonly client: KubeClient;
  readonly metrics: RuntimeMetrics;
  readonly logger: Logger;
  readonly #options: ManagerOptions;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #informers = new Map<string, Informer>();
  readonly #controllers: Controller[] = [];
  #elector: LeaderElector | undefined;
  #server: ProbeServer | undefined;
  #httpPort: number | undefined;
  #synced = false;
  #controllersRunning = false;
  #stopping: Promise<void> | undefined;
  #resolveStopped: () => void = () => {};
  readonly stopped: Promise<void> = new Promise((resolve) => (this.#resolveStopped = resolve));
  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.logger.info({ signal }, 'shutting down');
    void this.stop();
  };

  constructor(options: ManagerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.logger = options.logger ?? createLogger();
    this.client = new KubeClient(options.kubeConfig, { clock: this.#clock });
    this.metrics = options.metrics ?? new RuntimeMetrics();
  }

  /** The shared informer of a kind (one per kind and scope, however many controllers use it). */
  informer<T extends KubernetesObject>(type: ResourceType, scope: InformerScope = {}): Informer<T> {
    const id = JSON.stringify([
      type.apiVersion,
      type.kind,
      scope.namespace,
      scope.labelSelector,
      scope.fieldSelector,
    ]);
    let informer = this.#informers.get(id);
    if (informer === undefined) {
      informer = new Informer({
        client: this.client,
        type,
        ...scope,
        clock: this.#clock,
        random: this.#random,
        logger: this.logger,
      });
      this.#informers.set(id, informer);
      if (this.#stopping === undefined && this.#server !== undefined) informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  /** A builder whose controller is wired to this manager's clock, logs and metrics, and run by it. */
  controller(name: string): ControllerBuilder {
    // Names are metric labels and log fields: two controllers sharing one would be indistinguishable.
    if (this.controllerNamed(name)) throw new Error(`a controller named ${name} is already registered`);
    return new ControllerBuilder(name, (controller) => this.#controllers.push(controller))
      .withClock(this.#clock)
      .withLogger(this.logger)
      .withMetrics(this.metrics.forController(name));
  }

  /** An object from whichever informer of its kind holds it (informers of one kind may differ in scope). */
  cached(type: ResourceType, namespace: string | undefined, name: string): KubernetesObject | undefined {
    for (const informer of this.#informers.values()) {
      if (informer.type.apiVersion !== type.apiVersion || informer.type.kind !== type.kind) continue;
      const object = informer.get(namespace, name);
      if (object !== undefined) return object;
    }
    return undefined;
  }

  /**
   * The `act` of the controller `name`: carries out a plan with this manager's client, caches and
   * event recorder (see act/act.ts for the order).
   */
  actor(name: string): Act {
    // Made on first use: by then leader election has started, so Events name this replica's identity.
    let recorder: EventRecorder | undefined;
    return createAct({
      client: this.client,
      cache: (type, namespace, objectName) => this.cached(type, namespace, objectName),
      recordEvent: (regarding, event) => {
        recorder ??= this.eventRecorder(name);
        return recorder.record(regarding, event);
      },
    });
  }

  informers(): Iterable<Informer> {
    return this.#informers.values();
  }

  controllerNamed(name: string): Controller | undefined {
    return this.#controllers.find((controller) => controller.name === name);
  }

  eventRecorder(controller: string): EventRecorder {
    return new EventRecorder(this.client, {
      controller: `steward.dev/${controller}`,
      clock: this.#clock,
      logger: this.logger.child({ controller }),
      ...(this.#elector ? { instance: this.#elector.identity } : {}),
    });
  }

  /** Every informer has synced, including those created after start (until then they are not ready). */
  isReady(): boolean {
    if (!this.#synced || this.#stopping !== undefined) return false;
    for (const informer of this.#informers.values()) if (!informer.hasSynced()) return false;
    return true;
  }

  isLeader(): boolean {
    return this.#elector?.isLeader() ?? true;
  }

  /** The bound probe port once started (useful with httpPort 0). */
  get httpPort(): number | undefined {
    return this.#httpPort;
  }

  async start(): Promise<void> {
    const { httpPort = DEFAULT_HTTP_PORT, handleSignals = true } = this.#options;
    this.#server = new ProbeServer({
      port: httpPort === false ? 0 : httpPort,
      ...(this.#options.httpHost ? { host: this.#options.httpHost } : {}),
      registry: this.metrics.registry,
      isReady: () => this.isReady(),
      isHealthy: () => this.#stopping === undefined,
    });
    if (httpPort !== false) this.#httpPort = await this.#server.listen();
    if (handleSignals) {
      process.once('SIGTERM', this.#onSignal);
      process.once('SIGINT', this.#onSignal);
    }
    for (const informer of this.#informers.values()) informer.start();
    this.#startElection();
    void Promise.all([...this.#informers.values()].map((informer) => informer.waitForSync())).then(() => {
      if (this.#stopping !== undefined) return;
      this.#synced = true;
      this.logger.info({ informers: this.#informers.size }, 'all caches synced');
      this.#maybeStartControllers();
    });
  }

  /** Drains controllers (bounded by gracefulShutdownMs), releases the lease, stops watching. */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  #startElection(): void {
    const election = this.#options.leaderElection;
    if (election === undefined) {
      this.metrics.leaderStatus('none', true);
      return;
    }
    const lease = `${election.namespace}/${election.name}`;
    this.#elector = new LeaderElector({
      client: this.client,
      ...election,
      clock: this.#clock,
      random: this.#random,
      logger: this.logger,
      onLeaderChange: (isLeader) => this.metrics.leaderStatus(lease, isLeader),
      onStartedLeading: () => this.#maybeStartControllers(),
      onStoppedLeading: () => {
        // Another replica may already be reconciling: stop at once, then let the process restart.
        void this.stop().then(this.#options.onLostLeadership ?? (() => process.exit(1)));
      },
    });
    this.metrics.leaderStatus(lease, false);
    this.#elector.start();
  }

  #maybeStartControllers(): void {
    if (this.#controllersRunning || !this.#synced || !this.isLeader() || this.#stopping !== undefined) return;
    this.#controllersRunning = true;
    this.logger.info(
      { controllers: this.#controllers.map((controller) => controller.name) },
      'starting controllers',
    );
    for (const controller of this.#controllers) controller.start();
  }

  async #shutdown(): Promise<void> {
    process.off('SIGTERM', this.#onSignal);
    process.off('SIGINT', this.#onSignal);
    const graceMs = this.#options.gracefulShutdownMs ?? DEFAULT_GRACEFUL_SHUTDOWN_MS;
    const drained = Promise.all(this.#controllers.map((controller) => controller.stop())).then(() => true);
    let cancelGrace = () => {};
    const timedOut = new Promise<boolean>((resolve) => {
      cancelGrace = this.#clock.schedule(() => resolve(false), graceMs);
    });
    if (!(await Promise.race([drained, timedOut]))) {
      this.logger.warn({ graceMs }, 'reconciles still running at the shutdown deadline; aborting them');
      // Their requests fail at once, so none writes after the lease is released below.
      for (const controller of this.#controllers) controller.abortInFlight('the manager is shutting down');
    }
    cancelGrace();
    await this.#elector?.stop();
    await Promise.all([...this.#informers.values()].map((informer) => informer.stop()));
    await this.#server?.close();
    this.logger.info('stopped');
    this.#resolveStopped();
  }
}
