import { Gauge, type Registry } from 'prom-client';
import type { ModelMetricValues } from './decide.ts';

const INFO_LABELS = ['namespace', 'model', 'version', 'owner', 'team', 'risk_class'] as const;
const OVERDUE_LABELS = ['namespace', 'model', 'owner'] as const;
const BLOCKED_LABELS = ['namespace', 'model', 'reason', 'owner'] as const;

type Labels<T extends readonly string[]> = Record<T[number], string>;

/**
 * Gauges that say what holds now (so an alert fires while a problem lasts and resolves with it, and a
 * restarted operator reports the same). `model` is the ModelDeployment's name; `owner` its owner's
 * e-mail, so an alert routes to a person. Label sets that no longer hold are removed, not zeroed.
 */
export class ModelDeploymentMetrics {
  readonly #info: Gauge<(typeof INFO_LABELS)[number]>;
  readonly #overdue: Gauge<(typeof OVERDUE_LABELS)[number]>;
  readonly #blocked: Gauge<(typeof BLOCKED_LABELS)[number]>;
  /** The label sets last set per ModelDeployment, to remove them when they change. */
  readonly #last = new Map<
    string,
    {
      info: Labels<typeof INFO_LABELS> | undefined;
      overdue: Labels<typeof OVERDUE_LABELS>;
      blocked: Labels<typeof BLOCKED_LABELS>[];
    }
  >();

  constructor(registry: Registry) {
    this.#info = new Gauge({
      name: 'steward_model_info',
      help: 'Always 1: the admitted version of a ModelDeployment, its owner, team and risk class',
      labelNames: INFO_LABELS,
      registers: [registry],
    });
    this.#overdue = new Gauge({
      name: 'steward_owner_review_overdue',
      help: '1 while the owner review of a ModelDeployment is overdue (new versions are blocked), else 0',
      labelNames: OVERDUE_LABELS,
      registers: [registry],
    });
    this.#blocked = new Gauge({
      name: 'steward_rollout_blocked',
      help: '1 for each reason the desired version of a ModelDeployment is blocked; absent when nothing is',
      labelNames: BLOCKED_LABELS,
      registers: [registry],
    });
  }

  set(namespace: string, model: string, values: ModelMetricValues): void {
    this.forget(namespace, model);
    const info =
      values.info === undefined
        ? undefined
        : {
            namespace,
            model,
            version: values.info.version,
            owner: values.info.owner,
            team: values.info.team,
            risk_class: values.info.riskClass,
          };
    const overdue = { namespace, model, owner: values.owner };
    const blocked = values.blockedReasons.map((reason) => ({
      namespace,
      model,
      reason,
      owner: values.owner,
    }));
    if (info !== undefined) this.#info.set(info, 1);
    this.#overdue.set(overdue, values.reviewOverdue ? 1 : 0);
    for (const labels of blocked) this.#blocked.set(labels, 1);
    this.#last.set(`${namespace}/${model}`, { info, overdue, blocked });
  }

  /** A deleted ModelDeployment must not keep firing alerts. */
  forget(namespace: string, model: string): void {
    const last = this.#last.get(`${namespace}/${model}`);
    if (last === undefined) return;
    if (last.info !== undefined) this.#info.remove(last.info);
    this.#overdue.remove(last.overdue);
    for (const labels of last.blocked) this.#blocked.remove(labels);
    this.#last.delete(`${namespace}/${model}`);
  }
}
