import { type KubernetesListObject, type KubernetesObject, ListWatch, Watch } from '@kubernetes/client-node';
import { errorMessage, statusCodeOf } from '../client/errors.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { type ResourceType, resourcePath } from '../client/resource.ts';
import { type Clock, systemClock } from '../clock.ts';
import { defaultLogger, type Logger } from '../observability/logger.ts';
import { type Random, systemRandom } from '../random.ts';
import { FieldIndex, type IndexFunction, ownerUids } from './field-index.ts';
import { objectKey } from './keys.ts';

/**
 * client-node's Watch throws, instead of reporting through `done`, when it cannot even build the
 * request (e.g. an exec credential plugin fails). ListWatch calls it from a callback nobody awaits,
 * so that throw would be an unhandled rejection, which ends the process. Report it as an error
 * instead; the informer then restarts with backoff like for any other failure.
 */
class ReportingWatch extends Watch {
  override async watch(...args: Parameters<Watch['watch']>): Promise<AbortController> {
    try {
      return await super.watch(...args);
    } catch (error) {
      args[3](error);
      return new AbortController();
    }
  }
}

export type InformerEvent = 'add' | 'update' | 'delete' | 'resync';
/**
 * Handlers must only enqueue: they run inside the watch's stream callback. `old` is the cached object
 * an `update` replaces (what event filters compare against); other events have none.
 */
export type InformerHandler<T> = (event: InformerEvent, object: T, old?: T) => void;

// The index behind ownedBy(); user indexes may not take its name.
const OWNER_INDEX = 'metadata.ownerReferences.uid';

// Pages keep a large initial list from arriving as one huge JSON document.
const LIST_PAGE_SIZE = 500;
// After ListWatch gives up on an error, retry from 1 s doubling to 30 s, the range client-node's own
// reconnect loop uses, so an API-server restart is picked up within seconds and an outage is not hammered.
export const RESTART_BASE_DELAY_MS = 1_000;
export const RESTART_MAX_DELAY_MS = 30_000;
// Up to +50 %: spreads the reconnects of every informer of every replica after a shared outage.
const RESTART_JITTER = 0.5;
// client-node aborts a watch that is silent for 30 s and reconnects, which shows up as a `connect`.
// Nothing at all for 4 such periods means the informer is wedged (a list or connect that never
// returns): start over with a fresh ListWatch.
export const DEFAULT_WATCHDOG_MS = 120_000;
// controller-runtime's SyncPeriod: a safety net that replays every cached object, not a poll interval.
export const DEFAULT_RESYNC_PERIOD_MS = 10 * 60 * 60 * 1000;

export interface InformerOptions {
  client: KubeClient;
  type: ResourceType;
  /** Only this namespace; all namespaces when omitted. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resyncPeriodMs?: number;
  watchdogMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Jitter of restart delays. */
  random?: Random;
  /** Keep metadata.managedFields in cached objects (default false: they are often half an object's size). */
  keepManagedFields?: boolean;
}

/**
 * The cache of one kind: an initial (paged) list, then a watch from its resourceVersion, kept up by
 * client-node's ListWatch (which relists on 410 Gone). What ListWatch does not do is done here:
 * restart with jittered backoff when it stops on an error, a watchdog for a wedged list/watch,
 * periodic resync, field indexes (the owner index and any `addIndex`), and sync tracking for /readyz.
 */
export class Informer<T extends KubernetesObject = KubernetesObject> {
  readonly type: ResourceType;
  readonly #options: InformerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #random: Random;
  readonly #store = new Map<string, T>();
  readonly #indexes = new Map<string, FieldIndex<T>>([[OWNER_INDEX, new FieldIndex<T>(ownerUids)]]);
  readonly #handlers: InformerHandler<T>[] = [];
  #listWatch: ListWatch<T> | undefined;
  #generation = 0;
  #pruneOnSync = false;
  #failures = 0;
  #lastActivity = 0;
  #synced = false;
  #syncWaiters: Array<() => void> = [];
  #stopped = true;
  #cancelRestart: (() => void) | undefined;
  #cancelWatchdog: (() => void) | undefined;
  #cancelResync: (() => void) | undefined;

  constructor(options: InformerOptions) {
    this.type = options.type;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? defaultLogger()).child({ informer: options.type.kind });
    this.#random = options.random ?? systemRandom;
  }

  /** Registers a handler; it sees `add` for objects already cached so late subscribers miss nothing. */
  subscribe(handler: InformerHandler<T>): void {
    this.#handlers.push(handler);
    for (const object of this.#store.values()) this.#call(handler, 'add', object);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#replaceListWatch();
    this.#armWatchdog();
    this.#armResync();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#generation++;
    this.#cancelRestart?.();
    this.#cancelWatchdog?.();
    this.#cancelResync?.();
    await this.#listWatch?.stop();
    this.#listWatch = undefined;
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  waitForSync(): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve) => this.#syncWaiters.push(resolve));
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#store.get(namespace ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): T | undefined {
    return this.#store.get(key);
  }

  list(namespace?: string): T[] {
    const all = [...this.#store.values()];
    return namespace === undefined ? all : all.filter((object) => object.metadata?.namespace === namespace);
  }

  /**
   * Indexes the cache under the values `valuesOf` returns, so `byIndex` answers "which objects name X"
   * without a scan. Objects already cached are indexed at once; an index may be added at any time.
   * Informers are shared, so two controllers may add the same index: the same name with the very same
   * function again is a no-op; another function under a name already taken is a mistake and throws.
   */
  addIndex(name: string, valuesOf: IndexFunction<T>): this {
    const existing = this.#indexes.get(name);
    if (existing?.uses(valuesOf)) return this;
    if (existing !== undefined)
      throw new Error(`${this.type.kind} informer: index "${name}" exists already, with another function`);
    const index = new FieldIndex(valuesOf);
    for (const [key, object] of this.#store) index.set(key, object);
    this.#indexes.set(name, index);
    return this;
  }

  /** Cached objects that the index `name` maps to `value`. */
  byIndex(name: string, value: string): T[] {
    const index = this.#indexes.get(name);
    if (index === undefined) {
      throw new Error(`${this.type.kind} informer has no index "${name}" (add it with addIndex)`);
    }
    return index
      .keysFor(value)
      .map((key) => this.#store.get(key))
      .filter((object): object is T => object !== undefined);
  }

  /** Cached objects whose ownerReferences name `ownerUid`. */
  ownedBy(ownerUid: string): T[] {
    return this.byIndex(OWNER_INDEX, ownerUid);
  }

  size(): number {
    return this.#store.size;
  }

  #replaceListWatch(): void {
    const generation = ++this.#generation;
    void this.#listWatch?.stop();
    const { client, type, namespace, labelSelector, fieldSelector } = this.#options;
    const listWatch = new ListWatch<T>(
      resourcePath(type, namespace),
      new ReportingWatch(client.kubeConfig),
      () => this.#listAllPages(),
      false,
      labelSelector,
      fieldSelector,
    );
    const current = () => generation === this.#generation;
    listWatch.on('add', (object) => current() && this.#upsert('add', object));
    listWatch.on('update', (object) => current() && this.#upsert('update', object));
    listWatch.on('delete', (object) => current() && this.#remove(object));
    listWatch.on('connect', () => {
      if (current()) this.#lastActivity = this.#clock.now();
    });
    listWatch.on('error', (error: unknown) => current() && this.#onError(error));
    this.#listWatch = listWatch;
    this.#pruneOnSync = true;
    this.#run(listWatch, generation);
  }

  #run(listWatch: ListWatch<T>, generation: number): void {
    const failuresBefore = this.#failures;
    this.#lastActivity = this.#clock.now();
    listWatch.start().then(
      () => {
        if (generation !== this.#generation || this.#failures !== failuresBefore) return;
        if (listWatch.latestResourceVersion() === '') return;
        // A fresh ListWatch started from an empty cache: whatever we hold that it did not list was
        // deleted while we were not watching.
        if (this.#pruneOnSync) {
          this.#pruneMissing(listWatch);
          this.#pruneOnSync = false;
        }
        this.#failures = 0;
        this.#markSynced();
      },
      (error: unknown) => this.#onError(error),
    );
  }

  async #listAllPages(): Promise<KubernetesListObject<T>> {
    const { client, type, namespace, labelSelector, fieldSelector } = this.#options;
    const items: T[] = [];
    let resourceVersion: string | undefined;
    let next: string | undefined;
    do {
      const page = await client.list<T>(type, {
        ...(namespace ? { namespace } : {}),
        ...(labelSelector ? { labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
        limit: LIST_PAGE_SIZE,
        ...(next ? { continue: next } : {}),
      });
      // The first page's resourceVersion is the snapshot the whole paged list belongs to.
      resourceVersion ??= page.metadata?.resourceVersion;
      for (const item of page.items) {
        // Lists omit apiVersion/kind on items; restore them so cached objects are self-describing.
        items.push({ ...item, apiVersion: type.apiVersion, kind: type.kind });
      }
      // Raw JSON: the field is `continue` (client-node's model classes rename it `_continue`).
      next = (page.metadata as { continue?: string } | undefined)?.continue || undefined;
    } while (next);
    return { metadata: { ...(resourceVersion ? { resourceVersion } : {}) }, items };
  }

  #onError(error: unknown): void {
    if (this.#stopped) return;
    this.#failures++;
    const backoff = Math.min(RESTART_BASE_DELAY_MS * 2 ** (this.#failures - 1), RESTART_MAX_DELAY_MS);
    const delayMs = Math.round(backoff * (1 + RESTART_JITTER * this.#random()));
    this.#log.warn(
      { err: errorMessage(error), status: statusCodeOf(error), delayMs },
      'list/watch stopped on an error; restarting',
    );
    this.#cancelRestart?.();
    this.#cancelRestart = this.#clock.schedule(() => {
      this.#cancelRestart = undefined;
      const listWatch = this.#listWatch;
      if (this.#stopped || listWatch === undefined) return;
      // Same ListWatch: it keeps its cache and resourceVersion, so the watch resumes where it was,
      // and a 410 from a too-old version makes it relist (and report deletions) by itself.
      this.#run(listWatch, this.#generation);
    }, delayMs);
  }

  #armWatchdog(): void {
    const watchdogMs = this.#options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
    this.#cancelWatchdog = this.#clock.schedule(() => {
      if (this.#stopped) return;
      const silentMs = this.#clock.now() - this.#lastActivity;
      if (silentMs >= watchdogMs && this.#cancelRestart === undefined) {
        this.#log.warn({ silentMs }, 'list/watch silent for too long; starting over');
        this.#replaceListWatch();
      }
      this.#armWatchdog();
    }, watchdogMs / 2);
  }

  #armResync(): void {
    const periodMs = this.#options.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS;
    this.#cancelResync = this.#clock.schedule(() => {
      if (this.#stopped) return;
      for (const object of this.#store.values()) this.#emit('resync', object);
      this.#armResync();
    }, periodMs);
  }

  #upsert(event: 'add' | 'update', object: T): void {
    this.#lastActivity = this.#clock.now();
    // In place, so ListWatch's own cache (same references) sheds them too. Reconciles never need
    // them: server-side apply computes ownership on the server. controller-runtime strips them too.
    if (!this.#options.keepManagedFields && object.metadata) delete object.metadata.managedFields;
    // Watch events carry apiVersion/kind already; list items got them in #listAllPages.
    const key = objectKey(object);
    const old = this.#store.get(key);
    this.#store.set(key, object);
    for (const index of this.#indexes.values()) index.set(key, object);
    this.#emit(event, object, old);
  }

  #remove(object: T): void {
    this.#lastActivity = this.#clock.now();
    const key = objectKey(object);
    this.#store.delete(key);
    for (const index of this.#indexes.values()) index.delete(key);
    this.#emit('delete', object);
  }

  #pruneMissing(listWatch: ListWatch<T>): void {
    const listed = new Set(listWatch.list().map(objectKey));
    for (const [key, object] of this.#store) {
      if (!listed.has(key)) this.#remove(object);
    }
  }

  #markSynced(): void {
    if (this.#synced) return;
    this.#synced = true;
    this.#log.info({ objects: this.#store.size }, 'cache synced');
    const waiters = this.#syncWaiters;
    this.#syncWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #emit(event: InformerEvent, object: T, old?: T): void {
    for (const handler of this.#handlers) this.#call(handler, event, object, old);
  }

  #call(handler: InformerHandler<T>, event: InformerEvent, object: T, old?: T): void {
    try {
      handler(event, object, old);
    } catch (error) {
      // A handler that throws must not take the watch (or the process) down with it.
      this.#log.error(
        { err: error instanceof Error ? error.message : String(error), event },
        'informer handler threw',
      );
    }
  }
}
