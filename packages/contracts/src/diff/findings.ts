import type { CompatibilityMode } from '../schema.ts';

/**
 * What each severity means for a release: breaking needs a major version, additive a minor one,
 * cosmetic a patch. Whether a change is breaking depends on the compatibility mode.
 */
export const SEVERITIES = ['breaking', 'additive', 'cosmetic'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every kind of change the diff reports; stable strings for status, metrics and JSON output. */
export const Change = {
  fieldRemoved: 'field-removed',
  fieldAdded: 'field-added',
  fieldRenamed: 'field-renamed',
  typeChanged: 'type-changed',
  requiredChanged: 'required-changed',
  nullableChanged: 'nullable-changed',
  enumValueAdded: 'enum-value-added',
  enumValueRemoved: 'enum-value-removed',
  enumAdded: 'enum-added',
  enumRemoved: 'enum-removed',
  rangeWidened: 'range-widened',
  rangeNarrowed: 'range-narrowed',
  unitChanged: 'unit-changed',
  descriptionChanged: 'description-changed',
} as const;
export type ChangeKind = (typeof Change)[keyof typeof Change];

/**
 * The two parties a change can break. backward: consumers written against the previous version
 * reading outputs of the new one. forward: consumers written against the new version reading outputs
 * of the previous one (e.g. after a rollback).
 */
export type Direction = 'backward' | 'forward';

/** A change as the rules see it, before the compatibility mode turns it into a severity. */
export interface RawChange {
  path: string;
  change: ChangeKind;
  reason: string;
  from?: string;
  to?: string;
  breaks: readonly Direction[];
  /** Documentation only (descriptions, units being named): never more than a patch. */
  cosmetic?: boolean;
}

export interface Finding {
  /** Field path in the previous version (the new one for additions). */
  path: string;
  change: ChangeKind;
  severity: Severity;
  reason: string;
  from?: string;
  to?: string;
  /** The directions this change breaks, whatever the mode; empty for safe changes. */
  breaks: readonly Direction[];
}

const PROTECTED: Record<CompatibilityMode, readonly Direction[]> = {
  backward: ['backward'],
  forward: ['forward'],
  full: ['backward', 'forward'],
  none: [],
};

export function severityOf(change: RawChange, mode: CompatibilityMode): Severity {
  if (change.cosmetic === true) return 'cosmetic';
  return change.breaks.some((direction) => PROTECTED[mode].includes(direction)) ? 'breaking' : 'additive';
}

export interface FindingSummary {
  breaking: number;
  additive: number;
  cosmetic: number;
  /** No breaking finding under the mode the findings were classified with. */
  compatible: boolean;
}

export function summarizeFindings(findings: readonly Finding[]): FindingSummary {
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  const breaking = count('breaking');
  return { breaking, additive: count('additive'), cosmetic: count('cosmetic'), compatible: breaking === 0 };
}
