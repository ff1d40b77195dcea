import type { KubeConfig } from '@kubernetes/client-node';
import { API_VERSION } from '@steward/api';
import { KubeClient } from '@steward/runtime';
import { kubeRequest } from '../harness/crds.ts';
import { eventually } from '../harness/eventually.ts';

// How the demo's steps talk to the cluster: server-side apply as the demo's field manager, reads, and
// waits that name what they waited for when they time out.

export const namespace = 'fraud-scoring';
export const contractName = 'fraud-score';
export const modelName = 'fraud-scorer';
const stewardApi = `/apis/${API_VERSION}/namespaces/${namespace}`;
// The operator needs a few seconds to start on a busy 2-core machine, a reconcile well under one.
export const STEP_TIMEOUT_MS = 60_000;

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

type Pod = {
  metadata: { name: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; message?: string }[];
    containerStatuses?: { name: string; state?: Record<string, { reason?: string; message?: string }> }[];
  };
};

type Condition = { type: string; reason: string; status: string; message: string };
export type Conditioned = { status?: { conditions?: Condition[] } };

export function conditionOf(object: Conditioned, type: string): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}

/** The demo's view of its namespace, as the cluster admin (the GitOps tool of the story). */
export class DemoKube {
  readonly kc: KubeConfig;
  readonly client: KubeClient;

  constructor(kc: KubeConfig) {
    this.kc = kc;
    this.client = new KubeClient(kc);
  }

  /** Server-side applies one manifest as the demo's field manager, as `kubectl apply --server-side` would. */
  async apply(manifest: Manifest, plural: string): Promise<void> {
    const [group, version] = manifest.apiVersion.includes('/')
      ? manifest.apiVersion.split('/')
      : ['', manifest.apiVersion];
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const path = `${base}/namespaces/${namespace}/${plural}/${manifest.metadata.name}?fieldManager=steward-demo&force=true`;
    const res = await kubeRequest(this.kc, 'PATCH', path, {
      body: manifest,
      contentType: 'application/apply-patch+yaml',
    });
    if (res.status >= 300)
      throw new Error(`applying ${manifest.kind} ${manifest.metadata.name}: ${res.status} ${res.body}`);
  }

  /** GETs one object; undefined when it does not exist (yet). */
  async read<T>(path: string): Promise<T | undefined> {
    const res = await kubeRequest(this.kc, 'GET', path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`reading ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as T;
  }

  /** One line per Pod of the namespace with its phase and each container's state: what a failed step shows. */
  async podSummary(): Promise<string[]> {
    const pods = await this.read<{ items: Pod[] }>(`/api/v1/namespaces/${namespace}/pods`);
    return (pods?.items ?? []).map((pod) => {
      const containers = (pod.status?.containerStatuses ?? []).map((c) => {
        const [state, detail] = Object.entries(c.state ?? {})[0] ?? ['unknown', {}];
        return `${c.name} ${state}${detail.reason ? ` ${detail.reason}` : ''}${detail.message ? `: ${detail.message}` : ''}`;
      });
      const unscheduled = pod.status?.conditions?.find(
        (c) => c.type === 'PodScheduled' && c.status !== 'True',
      );
      const why = unscheduled ? `not scheduled: ${unscheduled.message}` : containers.join('; ');
      return `${pod.metadata.name} ${pod.status?.phase} ${why}`;
    });
  }

  /**
   * Waits until the controller has written status for the object's current generation and `done` holds;
   * the timeout message shows the last conditions seen, so a failed step says where it stopped.
   */
  async reaches<T extends Conditioned & { metadata?: { generation?: number } }>(
    kind: string,
    plural: string,
    name: string,
    what: string,
    done: (object: T) => boolean,
    timeoutMs = STEP_TIMEOUT_MS,
  ): Promise<T> {
    let last: T | undefined;
    return eventually(
      () => `${kind} ${name} to be ${what} (last status: ${JSON.stringify(last?.status)})`,
      async () => {
        last = await this.read<T>(`${stewardApi}/${plural}/${name}`);
        const status = last?.status as { observedGeneration?: number } | undefined;
        const current = last !== undefined && status?.observedGeneration === last.metadata?.generation;
        return current && last && done(last) ? last : undefined;
      },
      timeoutMs,
    );
  }
}
