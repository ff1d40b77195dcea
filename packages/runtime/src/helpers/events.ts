import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubernetesObject } from '@kubernetes/client-node';
import { isNotFound } from '../client/errors.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { EventType } from '../client/resource.ts';
import { microTime } from '../client/time.ts';
import { type Clock, systemClock } from '../clock.ts';
import { defaultLogger, type Logger } from '../observability/logger.ts';

export type EventKind = 'Normal' | 'Warning';

// client-go's EventSeries window: an identical event within 6 minutes counts as a repeat.
const SERIES_WINDOW_MS = 6 * 60 * 1000;
// Bounded memory: past this, the oldest series are forgotten (their next repeat starts a new Event).
const MAX_TRACKED_SERIES = 4096;
// The API server rejects an Event note longer than 1 kB.
const MAX_NOTE_LENGTH = 1024;

interface Series {
  readonly namespace: string;
  readonly name: string;
  count: number;
  lastSeen: number;
}

export interface RecordedEvent {
  type: EventKind;
  /** A CamelCase constant (`RolloutBlocked`), the thing alerts and docs refer to. */
  reason: string;
  /** What the controller did or failed to do (`Reconcile`, `Rollout`). */
  action: string;
  note: string;
}

/**
 * Emits events.k8s.io/v1 Events about objects. A repeat of the same event on the same object within
 * the series window updates the first Event's `series.count` instead of creating another, so a
 * failing reconcile retried 50 times leaves one Event saying "50 times", not 50 Events.
 * Recording never throws: an Event is a courtesy and must not fail the reconcile that emits it.
 */
export class EventRecorder {
  readonly #client: KubeClient;
  readonly #controller: string;
  readonly #instance: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #series = new Map<string, Series>();

  constructor(
    client: KubeClient,
    options: { controller: string; instance?: string; clock?: Clock; logger?: Logger },
  ) {
    this.#client = client;
    this.#controller = options.controller;
    this.#instance = options.instance ?? hostname();
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? defaultLogger();
  }

  async record(regarding: KubernetesObject, event: RecordedEvent): Promise<void> {
    const namespace = regarding.metadata?.namespace ?? 'default';
    const note =
      event.note.length > MAX_NOTE_LENGTH ? `${event.note.slice(0, MAX_NOTE_LENGTH - 3)}...` : event.note;
    const seriesKey = [regarding.metadata?.uid, event.type, event.reason, event.action, note].join('\u0000');
    const now = this.#clock.now();
    try {
      const series = this.#series.get(seriesKey);
      if (series !== undefined && now - series.lastSeen <= SERIES_WINDOW_MS) {
        if (await this.#bump(series, now)) return;
      }
      await this.#create(seriesKey, namespace, regarding, { ...event, note }, now);
    } catch (error) {
      this.#log.warn(
        { err: error instanceof Error ? error.message : String(error), reason: event.reason },
        'could not record event',
      );
    }
  }

  async #bump(series: Series, now: number): Promise<boolean> {
    series.count++;
    series.lastSeen = now;
    try {
      await this.#client.mergePatch(EventType, series.namespace, series.name, {
        series: { count: series.count, lastObservedTime: microTime(now) },
      });
      return true;
    } catch (error) {
      // The Event expired (TTL) or was deleted: start a new one.
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async #create(
    seriesKey: string,
    namespace: string,
    regarding: KubernetesObject,
    event: RecordedEvent,
    now: number,
  ) {
    const created = await this.#client.create(EventType, {
      // client-go's naming: the object's name and a hex timestamp (generateName may not end in '.').
      metadata: { namespace, name: `${regarding.metadata?.name ?? 'object'}.${uniqueSuffix(now)}` },
      eventTime: microTime(now),
      reportingController: this.#controller,
      reportingInstance: this.#instance,
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: regarding.metadata?.name,
        namespace: regarding.metadata?.namespace,
        uid: regarding.metadata?.uid,
        resourceVersion: regarding.metadata?.resourceVersion,
      },
      type: event.type,
      reason: event.reason,
      action: event.action,
      note: event.note,
    } as KubernetesObject);
    const name = created.metadata?.name;
    if (!name) return;
    this.#series.delete(seriesKey);
    this.#series.set(seriesKey, { namespace, name, count: 1, lastSeen: now });
    if (this.#series.size > MAX_TRACKED_SERIES) {
      const oldest = this.#series.keys().next().value;
      if (oldest !== undefined) this.#series.delete(oldest);
    }
  }
}

function uniqueSuffix(now: number): string {
  // Milliseconds alone collide when two replicas record in the same instant.
  return `${now.toString(16)}${randomBytes(3).toString('hex')}`;
}
