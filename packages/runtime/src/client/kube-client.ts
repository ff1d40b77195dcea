import {
  type HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  PatchStrategy,
  RequestContext,
} from '@kubernetes/client-node';
import { type Clock, systemClock } from '../clock.ts';
import { KubeApiError } from './errors.ts';
import { currentRequestSignal } from './request-scope.ts';
import { type ResourceType, resourcePath } from './resource.ts';

/** The field manager every Steward write uses, so server-side apply ownership is one name. */
export const FIELD_MANAGER = 'steward';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string };

// No request of ours legitimately takes a minute (lists are paged); a hung one must fail, so the
// reconcile retries or the informer restarts, instead of holding a worker or a cache forever.
export const REQUEST_TIMEOUT_MS = 60_000;
// Far shorter than any token lifetime (bound service-account tokens are refreshed at 80 % of 1 h).
const AUTH_REFRESH_MS = 60_000;

interface Authentication {
  headers: Record<string, string>;
  dispatcher: ReturnType<RequestContext['getDispatcher']>;
}

interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

/** How a delete treats what the object owns; see DeleteOptions.propagationPolicy in the API. */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/**
 * A small JSON client for any kind, on client-node's own transport (kubeconfig auth, TLS dispatcher).
 * It keeps objects as plain JSON — no model classes, no Date conversion — so what a controller reads
 * from the cache and what it writes have the same shape. A request made during a reconcile is
 * aborted with it (see request-scope.ts).
 */
export class KubeClient {
  readonly #kubeConfig: KubeConfig;
  readonly #clock: Clock;
  readonly #http = new IsomorphicFetchHttpLibrary();
  #auth: Promise<Authentication> | undefined;
  #authAt = 0;

  constructor(kubeConfig: KubeConfig, options: { clock?: Clock } = {}) {
    this.#kubeConfig = kubeConfig;
    this.#clock = options.clock ?? systemClock;
  }

  get kubeConfig(): KubeConfig {
    return this.#kubeConfig;
  }

  list<T extends KubernetesObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): Promise<KubernetesListObject<T>> {
    return this.request('GET', resourcePath(type, options.namespace), {
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit === undefined ? undefined : String(options.limit),
        continue: options.continue,
      },
    });
  }

  get<T extends KubernetesObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<T> {
    return this.request('GET', resourcePath(type, namespace, name));
  }

  create<T extends KubernetesObject>(type: ResourceType, object: T): Promise<T> {
    return this.request('POST', resourcePath(type, object.metadata?.namespace), {
      body: { apiVersion: type.apiVersion, kind: type.kind, ...object },
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  /** PUT: replaces the object; its metadata.resourceVersion makes the write conditional (409 if stale). */
  replace<T extends KubernetesObject>(type: ResourceType, object: T): Promise<T> {
    const name = object.metadata?.name;
    if (!name) throw new Error(`cannot replace a ${type.kind} without metadata.name`);
    return this.request('PUT', resourcePath(type, object.metadata?.namespace, name), {
      body: { apiVersion: type.apiVersion, kind: type.kind, ...object },
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  /**
   * Without a policy the server applies the kind's default, which for a Job (and for any object
   * deleted through the batch/v1 API) is to orphan its Pods; pass `Background` to delete them too.
   */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: { propagationPolicy?: PropagationPolicy } = {},
  ): Promise<unknown> {
    return this.request('DELETE', resourcePath(type, namespace, name), {
      ...(options.propagationPolicy
        ? { body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: options.propagationPolicy } }
        : {}),
    });
  }

  /**
   * Server-side apply: the server merges `object` into the live one and records `steward` as the owner
   * of exactly the fields sent. `force` takes fields over from other managers (our controllers own
   * their children outright; a human edit to them is reverted, which is the point of reconciling).
   */
  apply<T extends KubernetesObject>(
    type: ResourceType,
    object: T,
    options: { subresource?: 'status' } = {},
  ): Promise<T> {
    const name = object.metadata?.name;
    if (!name) throw new Error(`cannot apply a ${type.kind} without metadata.name`);
    return this.request('PATCH', resourcePath(type, object.metadata?.namespace, name, options.subresource), {
      body: { apiVersion: type.apiVersion, kind: type.kind, ...object },
      contentType: PatchStrategy.ServerSideApply,
      query: { fieldManager: FIELD_MANAGER, force: 'true' },
    });
  }

  mergePatch<T extends KubernetesObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: { subresource?: 'status' } = {},
  ): Promise<T> {
    return this.request('PATCH', resourcePath(type, namespace, name, options.subresource), {
      body: patch,
      contentType: PatchStrategy.MergePatch,
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  jsonPatch<T extends KubernetesObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    operations: readonly JsonPatchOperation[],
  ): Promise<T> {
    return this.request('PATCH', resourcePath(type, namespace, name), {
      body: operations,
      contentType: PatchStrategy.JsonPatch,
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  /**
   * client-node authenticates each request from scratch and builds a fresh undici Agent for it — a new
   * TLS connection per request, several times slower and far heavier under load. TLS settings never
   * change, so the first Agent (and its pooled keep-alive connections) is kept; the headers, which may
   * carry a rotating token, are refreshed every AUTH_REFRESH_MS.
   */
  #authentication(): Promise<Authentication> {
    const now = this.#clock.now();
    if (this.#auth === undefined || now - this.#authAt > AUTH_REFRESH_MS) {
      const previous = this.#auth;
      this.#authAt = now;
      this.#auth = (async () => {
        const probe = new RequestContext(this.#kubeConfig.getCurrentCluster()?.server ?? '', 'GET');
        await this.#kubeConfig.applySecurityAuthentication(probe);
        const { Accept: _accept, ...headers } = probe.getHeaders();
        const dispatcher = (await previous?.catch(() => undefined))?.dispatcher ?? probe.getDispatcher();
        return { headers, dispatcher };
      })();
      // A failed authentication (exec plugin down) must be retried by the next request, not cached.
      this.#auth.catch(() => {
        this.#auth = undefined;
      });
    }
    return this.#auth;
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const cluster = this.#kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(cluster.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const context = new RequestContext(url.toString(), method);
    context.setHeaderParam('Accept', 'application/json');
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const reconcile = currentRequestSignal();
    reconcile?.throwIfAborted();
    context.setSignal(reconcile === undefined ? timeout : AbortSignal.any([timeout, reconcile]));
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    const auth = await this.#authentication();
    for (const [key, value] of Object.entries(auth.headers)) context.setHeaderParam(key, value);
    if (auth.dispatcher !== undefined) context.setDispatcher(auth.dispatcher);
    const response = await this.#http.send(context).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw new KubeApiError(method, path, response.httpStatusCode, text);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}
