/**
 * The ModelDeployment controller's logic, pure: from the observed resource, what it references and what
 * it owns, to the objects to apply, the status, the events, the metric values and when to look again.
 * No I/O, no clock: `now` is passed in.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  type ModelDeploymentSpec,
  type ModelDeploymentStatus,
  modelDeploymentSpecSchema,
  Reason,
  RiskClass,
} from '@steward/api';
import {
  ConfigMapType,
  contains,
  DESIRED_HASH_ANNOTATION,
  type Deployment,
  DeploymentType,
  type Desired,
  ownedObject,
  type Plan,
  type RecordedEvent,
  ServiceType,
} from '@steward/runtime';
import { ModelDeploymentType } from '../kinds.ts';
import { describeIssues } from '../spec-issues.ts';
import { appendHistory, mergeAuditRecord, readAuditRecord, renderAuditRecord } from './audit.ts';
import { renderMlBom } from './card/cyclonedx.ts';
import { CARD_JSON_KEY, CARD_MARKDOWN_KEY, type CardFacts } from './card/facts.ts';
import { renderCardMarkdown } from './card/markdown.ts';
import { clip, evaluateGates, type GateFailure, type GateInputs, type GateReport } from './gates/index.ts';
import { labelValue, MODEL_DEPLOYMENT_LABEL } from './labels.ts';
import { auditRecordName, modelCardName } from './names.ts';
import { auditEntries, conditionsOf, eventOf, revertEvent, UNRESOLVED_VERSION } from './outcome.ts';
import { followRollout, type RolledBack, RolloutState, rollbackOf, sameRollout } from './rollout.ts';
import { type Admitted, desiredServing, handEdits } from './serving.ts';

/** The resource as the cache holds it: the spec passed the CRD schema but not yet the zod refinements. */
export type ObservedModelDeployment = KubernetesObject & { spec?: unknown; status?: ModelDeploymentStatus };

export type ConfigMapData = Readonly<Record<string, string>>;

export interface Observed extends GateInputs {
  model: ObservedModelDeployment;
  /** The owned Deployment, when it exists. */
  deployment: Deployment | undefined;
  /** The data of the owned audit record ConfigMap, when it exists. */
  auditRecord: ConfigMapData | undefined;
  driftMonitors: CardFacts['driftMonitors'];
  retrainPipelines: CardFacts['retrainPipelines'];
}

/** A status merge patch: `null` removes a field that no longer applies. */
export type StatusPatch = { [K in keyof ModelDeploymentStatus]?: ModelDeploymentStatus[K] | null };

export interface ModelMetricValues {
  /** Set while a version is admitted: steward_model_info's labels. */
  info: { version: string; owner: string; team: string; riskClass: string } | undefined;
  owner: string;
  reviewOverdue: boolean;
  /** Why the desired version is blocked; empty when nothing is. */
  blockedReasons: string[];
}

/**
 * Applies, in order: the admitted version's Deployment and Service (none while nothing was ever
 * admitted), the model card (only when this decision admits the spec: while a new version is blocked the
 * card of the serving one stays), and the audit record.
 */
export interface ModelDeploymentPlan extends Plan<StatusPatch, ModelMetricValues> {
  readonly apply: readonly Desired[];
  readonly status: StatusPatch;
  readonly events: RecordedEvent[];
  readonly metrics: ModelMetricValues;
  /** Lines of the audit record that could not be read; they are dropped. */
  readonly unreadableAuditLines: number;
}

// Re-check at least this often while a review is pending, so a due date is never missed by much even
// if no event arrives; also keeps timers far below Node's 24.8-day setTimeout limit.
const MAX_REQUEUE_MS = 6 * 3_600_000;

export function decide(observed: Observed): ModelDeploymentPlan {
  const { model, now } = observed;
  const previous = model.status ?? {};
  const generation = model.metadata?.generation ?? 0;
  const time = `${now.toISOString().slice(0, 19)}Z`;
  const parsed = modelDeploymentSpecSchema.safeParse(model.spec);
  const spec = parsed.success ? parsed.data : undefined;
  const report = spec === undefined ? undefined : evaluateGates(spec, observed);
  const failures: GateFailure[] =
    report?.failures ??
    (parsed.error === undefined
      ? []
      : [{ reason: Reason.InvalidSpec, message: `the spec is invalid: ${describeIssues(parsed.error)}` }]);

  const candidate = spec === undefined ? undefined : candidateOf(spec, report, generation);
  const replicas = spec?.serving.replicas ?? previous.admitted?.serving.replicas ?? 0;
  // A stuck rollout of the admitted version goes back to the last one that rolled out, unless this
  // decision admits something new instead.
  const rollback = rollbackOf(previous, observed.deployment, replicas, time);
  const current = rollback?.restore ?? previous.admitted;
  const isNew = candidate === undefined || !sameRollout(current, candidate);
  const failed = rollback?.failed ?? previous.rolledBack;
  if (isNew && candidate !== undefined && failed !== undefined && sameRollout(failed, candidate)) {
    failures.push({ reason: Reason.RolledBack, message: rolledBackMessage(failed) });
  }
  if (spec?.paused === true && isNew) {
    failures.push({ reason: Reason.Paused, message: 'spec.paused is true: no new version is admitted' });
  }
  const admit = failures.length === 0 && candidate !== undefined;
  const admitted: Admitted | undefined = admit
    ? { ...candidate, admittedAt: isNew ? time : (current?.admittedAt ?? time) }
    : current;
  // Failing gates block only something new: the admitted version itself keeps serving.
  const blocked = failures.length > 0 && isNew;
  const rolledBackNow = rollback !== undefined && sameRollout(admitted, rollback.restore);
  // The failed rollout stays blocked until something else is admitted; then it may be tried again.
  const rolledBack = rolledBackNow ? rollback.failed : admit && isNew ? undefined : previous.rolledBack;

  const name = model.metadata?.name ?? '';
  const namespace = model.metadata?.namespace ?? '';
  const serving =
    admitted === undefined
      ? undefined
      : desiredServing(admitted, {
          namespace,
          deploymentName: name,
          modelName: spec?.model.name ?? name,
          team: spec?.owner?.team,
          partOf: model.metadata?.labels?.['app.kubernetes.io/part-of'],
          replicas,
        });
  const rollout = admitted === undefined ? undefined : followRollout(observed.deployment, admitted, replicas);
  const rolledOut = rollout?.state === RolloutState.RolledOut;
  const servingVersion = rolledOut ? admitted?.version : previous.servingVersion;
  // A valid spec says which version it wants: none while versionFrom's pipeline has promoted nothing
  // (status then holds no desiredVersion, not the last one resolved). An invalid spec says nothing new.
  const desiredVersion =
    spec === undefined ? previous.desiredVersion : (candidate?.version ?? spec.model.version);

  const record = readAuditRecord(observed.auditRecord);
  const entries = auditEntries({
    spec,
    report,
    failures,
    previous,
    admitted: admit && isNew ? admitted : undefined,
    rolledBack: rolledBackNow ? rollback.failed : undefined,
    blocked,
    servingVersion,
    desiredVersion: desiredVersion ?? UNRESOLVED_VERSION,
    time,
    recorded: record.entries,
  });
  const history = appendHistory(previous.history ?? [], entries);
  const ownedLabels = { [MODEL_DEPLOYMENT_LABEL]: labelValue(name) };
  const configMap = (mapName: string, data: Record<string, string>): Desired => ({
    type: ConfigMapType,
    object: { metadata: { namespace, name: mapName, labels: ownedLabels }, data } as KubernetesObject,
  });
  const card =
    admit && spec !== undefined && admitted !== undefined
      ? renderCard({
          namespace,
          name,
          uid: model.metadata?.uid ?? '',
          spec,
          admitted,
          contract:
            spec.outputContract === undefined || admitted.contractVersion === undefined
              ? undefined
              : { name: spec.outputContract.name, version: admitted.contractVersion },
          driftMonitors: observed.driftMonitors,
          retrainPipelines: observed.retrainPipelines,
          history,
        })
      : undefined;
  // A hand edit: the live Deployment carries the hash of what we applied but no longer its values.
  // (A cache lagging behind our own write carries an older hash, and is not mistaken for one.)
  const edited =
    serving !== undefined && previous.admitted !== undefined && !(admit && isNew)
      ? handEdited(model, observed.deployment, serving.deployment)
      : false;

  return {
    apply: [
      ...(serving === undefined
        ? []
        : [
            { type: DeploymentType, object: serving.deployment },
            { type: ServiceType, object: serving.service },
          ]),
      ...(card === undefined ? [] : [configMap(modelCardName(name), card)]),
      configMap(auditRecordName(name), renderAuditRecord(mergeAuditRecord(record.entries, history))),
    ],
    status: {
      observedGeneration: generation,
      conditions: conditionsOf({ report, failures, blocked, admitted, rollout, generation, previous, now }),
      admitted: admitted ?? null,
      lastRolledOut: (rolledOut ? admitted : previous.lastRolledOut) ?? null,
      rolledBack: rolledBack ?? null,
      servingVersion: servingVersion ?? null,
      servingUri:
        servingVersion === admitted?.version ? (admitted?.uri ?? null) : (previous.servingUri ?? null),
      desiredVersion: desiredVersion ?? null,
      blockedReasons: blocked ? failures.map((f) => ({ reason: f.reason, message: clip(f.message) })) : null,
      ownerReviewDue: report?.owner.reviewDue ?? null,
      availableReplicas: rollout?.available ?? null,
      modelCard:
        card === undefined || admitted === undefined
          ? (previous.modelCard ?? null)
          : { configMapName: modelCardName(name), version: admitted.version },
      history,
    },
    events: [
      ...entries.map(eventOf),
      ...(edited && serving !== undefined && admitted !== undefined
        ? [revertEvent(handEdits(observed.deployment, serving.deployment), admitted.version)]
        : []),
    ],
    metrics: {
      info:
        admitted === undefined
          ? undefined
          : {
              version: admitted.version,
              owner: spec?.owner?.email ?? '',
              team: spec?.owner?.team ?? '',
              riskClass: spec?.governance?.riskClass ?? RiskClass.Minimal,
            },
      owner: spec?.owner?.email ?? '',
      reviewOverdue: report?.owner.overdue ?? false,
      blockedReasons: blocked ? [...new Set(failures.map((f) => f.reason))] : [],
    },
    ...requeueAfter(report, now),
    unreadableAuditLines: record.unreadableLines,
  };
}

function handEdited(model: KubernetesObject, live: Deployment | undefined, desired: Deployment): boolean {
  if (live === undefined) return false;
  const wanted = ownedObject(ModelDeploymentType, model, DeploymentType, desired);
  const hash = wanted.metadata?.annotations?.[DESIRED_HASH_ANNOTATION];
  return live.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] === hash && !contains(live, wanted);
}

/** What admitting this spec would serve; undefined while its version cannot be resolved. */
function candidateOf(
  spec: ModelDeploymentSpec,
  report: GateReport | undefined,
  generation: number,
): Omit<Admitted, 'admittedAt'> | undefined {
  const resolved = report?.candidate;
  if (resolved === undefined) return undefined;
  return {
    version: resolved.version,
    uri: resolved.uri,
    serving: spec.serving,
    generation,
    ...(report?.contract.contractVersion === undefined
      ? {}
      : { contractVersion: report.contract.contractVersion }),
  };
}

function rolledBackMessage(failed: RolledBack): string {
  return `the rollout of ${failed.version} was rolled back at ${failed.rolledBackAt} (${failed.message}): change spec.model or spec.serving to try another rollout`;
}

function renderCard(facts: CardFacts): Record<string, string> {
  return {
    [CARD_MARKDOWN_KEY]: renderCardMarkdown(facts),
    [CARD_JSON_KEY]: `${JSON.stringify(renderMlBom(facts), null, 2)}\n`,
  };
}

function requeueAfter(report: GateReport | undefined, now: Date): { requeueAfterMs?: number } {
  const dueAt = report?.owner.dueAt;
  if (dueAt === undefined || report?.owner.overdue) return {};
  return { requeueAfterMs: Math.min(dueAt - now.getTime(), MAX_REQUEUE_MS) };
}
