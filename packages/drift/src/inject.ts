/**
 * Synthetic drift for fire drills: a copy of a baseline with a known change injected, which a drift
 * check configured for that data must detect. Two reads of the baseline: the first profiles it (and gives
 * each feature's standard deviation and categories), the second streams the changed copy.
 */
import type { Dataset } from './check/check.ts';
import { profileData } from './dataset.ts';
import type { Cell } from './profile/feature.ts';
import { parseNumber } from './profile/feature.ts';
import { type Profile, ProfileBuilder, type ProfileOptions, type TableChunk } from './profile/profile.ts';
import { type ReadOptions, readTable } from './read/table.ts';

export const InjectionKind = { Shift: 'shift', Scale: 'scale', CategoryFlip: 'categoryFlip' } as const;
export type InjectionKind = (typeof InjectionKind)[keyof typeof InjectionKind];

/** What the RetrainPipeline's spec.fireDrill.injection says (the same shape). */
export interface DriftInjection {
  features: readonly string[];
  /** shift: add magnitude standard deviations; scale: multiply by magnitude; categoryFlip: move that share of rows to another category. */
  kind: InjectionKind;
  magnitude: number;
}

interface FeatureChange {
  column: number;
  change: (cell: Cell, row: number) => Cell;
}

function numericChange(profile: Profile, name: string, injection: DriftInjection): (cell: Cell) => Cell {
  const summary = profile.features.get(name)?.numeric;
  const sd = summary === undefined || summary.count === 0 ? 0 : Math.sqrt(summary.m2 / summary.count);
  return (cell) => {
    const x = typeof cell === 'number' ? cell : typeof cell === 'string' ? parseNumber(cell) : undefined;
    if (x === undefined || !Number.isFinite(x)) return cell;
    return injection.kind === InjectionKind.Shift ? x + injection.magnitude * sd : x * injection.magnitude;
  };
}

/**
 * Moves every row whose running share crosses a whole number to the next category (in sorted order):
 * deterministic, exactly `magnitude` of the rows (capped at all of them), each to a category that exists.
 */
function categoryChange(profile: Profile, name: string, share: number): (cell: Cell, row: number) => Cell {
  const categories = [...(profile.features.get(name)?.text.categories.keys() ?? [])].sort();
  const rate = Math.min(1, share);
  return (cell, row) => {
    if (categories.length < 2 || cell === null || cell === undefined) return cell;
    if (Math.floor((row + 1) * rate) === Math.floor(row * rate)) return cell;
    const at = categories.indexOf(String(cell));
    return at < 0 ? cell : categories[(at + 1) % categories.length];
  };
}

function describeMissing(profile: Profile, injection: DriftInjection): string | undefined {
  const missing = injection.features.filter((name) => !profile.features.has(name));
  return missing.length === 0
    ? undefined
    : `the baseline has no column ${missing.join(', ')} to inject drift into`;
}

export class InjectionError extends Error {
  override name = 'InjectionError';
}

/** The baseline as read, and a copy of it with `injection` applied, both ready for `checkDrift`. */
export async function baselineWithInjectedCopy(
  location: string,
  injection: DriftInjection,
  options: ProfileOptions & ReadOptions = {},
): Promise<{ baseline: Dataset; injected: Dataset }> {
  const baseline = await profileData(location, { ...options, keepSamples: true });
  const problem = describeMissing(baseline.profile, injection);
  if (problem !== undefined) throw new InjectionError(problem);
  const changeOf = (name: string) =>
    injection.kind === InjectionKind.CategoryFlip
      ? categoryChange(baseline.profile, name, injection.magnitude)
      : numericChange(baseline.profile, name, injection);
  const builder = new ProfileBuilder({ ...options, keepSamples: true });
  let row = 0;
  for await (const chunk of readTable(location, options)) {
    const changes: FeatureChange[] = injection.features
      .map((name) => ({ column: chunk.columns.indexOf(name), change: changeOf(name) }))
      .filter((c) => c.column >= 0);
    const changed: TableChunk = {
      columns: chunk.columns,
      rows: chunk.rows.map((cells, i) => {
        const copy = [...cells];
        for (const { column, change } of changes) copy[column] = change(copy[column], row + i);
        return copy;
      }),
    };
    row += chunk.rows.length;
    builder.add(changed);
  }
  return { baseline, injected: { profile: builder.profile, samples: builder.samples() } };
}
