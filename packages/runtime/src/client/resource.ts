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

function namespacedType(apiVersion: string, kind: string, plural: string): ResourceType {
  return { apiVersion, kind, plural, namespaced: true };
}

// The built-in kinds Steward's controllers read or write. Their TypeScript shapes are in ./types.ts.
export const ConfigMapType = namespacedType('v1', 'ConfigMap', 'configmaps');
export const PodType = namespacedType('v1', 'Pod', 'pods');
export const ServiceType = namespacedType('v1', 'Service', 'services');
export const ServiceAccountType = namespacedType('v1', 'ServiceAccount', 'serviceaccounts');
export const DeploymentType = namespacedType('apps/v1', 'Deployment', 'deployments');
export const JobType = namespacedType('batch/v1', 'Job', 'jobs');
export const CronJobType = namespacedType('batch/v1', 'CronJob', 'cronjobs');
export const LeaseType = namespacedType('coordination.k8s.io/v1', 'Lease', 'leases');
export const EventType = namespacedType('events.k8s.io/v1', 'Event', 'events');

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
