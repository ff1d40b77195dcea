import { loadAll } from 'js-yaml';
import { type DriftCheckConfig, driftCheckConfigSchema } from './config.ts';

/** The manifest kind whose `spec.dataDrift` configures a check. */
export const DRIFT_MONITOR_KIND = 'DriftMonitor';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads `spec.dataDrift` from a DriftMonitor manifest (the YAML users apply; a multi-document file
 * may hold other kinds too). Only that part is validated: the rest belongs to the API server.
 */
export function parseDriftMonitorConfig(yamlText: string, source = 'config'): DriftCheckConfig {
  let documents: unknown[];
  try {
    documents = loadAll(yamlText);
  } catch (error) {
    throw new ConfigError(`${source}: invalid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const monitors = documents.filter(
    (d): d is { spec?: { dataDrift?: unknown } } =>
      typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === DRIFT_MONITOR_KIND,
  );
  if (monitors.length !== 1) {
    throw new ConfigError(`${source}: expected one ${DRIFT_MONITOR_KIND} document, found ${monitors.length}`);
  }
  const parsed = driftCheckConfigSchema.safeParse(monitors[0]?.spec?.dataDrift ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['spec', 'dataDrift', ...(issue?.path ?? [])].join('.');
    throw new ConfigError(`${source}: ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
