/**
 * Where a kind lives in the API. Stated by the caller rather than discovered, so a controller never
 * needs discovery permissions and a typo fails on the first request with the path in the message.
 */
export interface ResourceType {
  /** `v1` for the core group, `group/version` otherwise. */
  readonly apiVersion: string;
  readonly kind: string;
  /** The lower-case plural used in URLs, e.g. `configmaps`. */
  readonly plural: string;
  readonly namespaced: boolean;
}

export const ConfigMapType: ResourceType = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};
export const LeaseType: ResourceType = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
};
export const EventType: ResourceType = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
};

/** The URL path of a collection (no name) or of one object, optionally of its subresource. */
export function resourcePath(
  type: ResourceType,
  namespace: string | undefined,
  name?: string,
  subresource?: 'status',
): string {
  const root = type.apiVersion.includes('/') ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  if (type.namespaced && name !== undefined && !namespace) {
    throw new Error(`${type.kind} ${name} is namespaced: a namespace is required`);
  }
  const scope = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  const sub = name !== undefined && subresource ? `/${subresource}` : '';
  return `${root}${scope}/${type.plural}${object}${sub}`;
}
