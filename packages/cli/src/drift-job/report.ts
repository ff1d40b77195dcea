import { type DriftCheckReport, REPORT_KEY } from '@steward/api';

/** The field manager of the check Job's writes, distinct from the operator's `steward`. */
export const REPORT_FIELD_MANAGER = 'steward-drift-check';

/**
 * Writes the full report into the monitor's report ConfigMap with a JSON merge patch: the Job's
 * ServiceAccount may patch that one map by name (its Role lists the name), nothing else. The
 * Kubernetes client loads only here, so a local `steward job drift-check` without a cluster never
 * pays for it.
 */
export async function writeReport(
  namespace: string,
  configMap: string,
  report: DriftCheckReport,
): Promise<void> {
  const [{ KubeConfig }, { ConfigMapType, KubeClient, resourcePath }] = await Promise.all([
    import('@kubernetes/client-node'),
    import('@steward/runtime'),
  ]);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const client = new KubeClient(kubeConfig);
  await client.request('PATCH', resourcePath(ConfigMapType, namespace, configMap), {
    body: { data: { [REPORT_KEY]: JSON.stringify(report) } },
    contentType: 'application/merge-patch+json',
    query: { fieldManager: REPORT_FIELD_MANAGER },
  });
}
