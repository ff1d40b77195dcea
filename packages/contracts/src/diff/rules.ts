import type { FieldNode } from '../field-tree.ts';
import { Change, type Direction, type RawChange } from './findings.ts';

// The compatibility rules of a field that exists in both versions. Output contracts are covariant:
// a narrower output (fewer labels, tighter range, never null) is safe for existing consumers and
// breaks only `forward`; a wider one breaks existing consumers (`backward`). docs/contracts.md holds
// the same table for users; keep them in step.

const BACKWARD: readonly Direction[] = ['backward'];
const FORWARD: readonly Direction[] = ['forward'];
const BOTH: readonly Direction[] = ['backward', 'forward'];
const NUMERIC: ReadonlySet<string> = new Set(['number', 'integer']);

function typeChange(before: FieldNode, after: FieldNode): RawChange {
  const base = { path: before.path, change: Change.typeChanged, from: before.type, to: after.type };
  if (before.type === 'integer' && after.type === 'number') {
    return {
      ...base,
      breaks: BACKWARD,
      reason: 'type widened from integer to number: existing consumers may receive fractional values',
    };
  }
  if (before.type === 'number' && after.type === 'integer') {
    return {
      ...base,
      breaks: FORWARD,
      reason: 'type narrowed from number to integer: consumers of the new version may read fractions',
    };
  }
  return {
    ...base,
    breaks: BOTH,
    reason: `type changed from ${before.type} to ${after.type}: no consumer can read both`,
  };
}

function presenceChanges(before: FieldNode, after: FieldNode): RawChange[] {
  const changes: RawChange[] = [];
  const path = before.path;
  if (before.required !== after.required) {
    changes.push(
      before.required
        ? {
            path,
            change: Change.requiredChanged,
            from: 'required',
            to: 'optional',
            breaks: BACKWARD,
            reason: 'field became optional: existing consumers expect it in every prediction',
          }
        : {
            path,
            change: Change.requiredChanged,
            from: 'optional',
            to: 'required',
            breaks: FORWARD,
            reason: 'field became required: outputs of the previous version may lack it',
          },
    );
  }
  if (before.nullable !== after.nullable) {
    changes.push(
      after.nullable
        ? {
            path,
            change: Change.nullableChanged,
            from: 'not nullable',
            to: 'nullable',
            breaks: BACKWARD,
            reason: 'field became nullable: existing consumers do not expect null',
          }
        : {
            path,
            change: Change.nullableChanged,
            from: 'nullable',
            to: 'not nullable',
            breaks: FORWARD,
            reason: 'field is no longer nullable: outputs of the previous version may hold null',
          },
    );
  }
  return changes;
}

function enumChanges(before: FieldNode, after: FieldNode): RawChange[] {
  const path = before.path;
  if (before.enum === undefined && after.enum === undefined) return [];
  if (before.enum === undefined) {
    return [
      {
        path,
        change: Change.enumAdded,
        to: after.enum?.join(', '),
        breaks: FORWARD,
        reason: 'value restricted to a label set: outputs of the previous version may hold other values',
      },
    ];
  }
  if (after.enum === undefined) {
    return [
      {
        path,
        change: Change.enumRemoved,
        from: before.enum.join(', '),
        breaks: BACKWARD,
        reason: 'label set removed: existing consumers may receive values outside their label set',
      },
    ];
  }
  const beforeSet = new Set(before.enum);
  const afterSet = new Set(after.enum);
  const added: RawChange[] = after.enum
    .filter((value) => !beforeSet.has(value))
    .map((value) => ({
      path,
      change: Change.enumValueAdded,
      to: value,
      breaks: BACKWARD,
      reason: `label '${value}' added: existing consumers do not know it`,
    }));
  const removed: RawChange[] = before.enum
    .filter((value) => !afterSet.has(value))
    .map((value) => ({
      path,
      change: Change.enumValueRemoved,
      from: value,
      breaks: FORWARD,
      reason: `label '${value}' removed: outputs of the previous version may still carry it`,
    }));
  return [...removed, ...added];
}

type Bound = 'minimum' | 'maximum';

function boundChange(before: FieldNode, after: FieldNode, bound: Bound): RawChange | undefined {
  const from = before[bound];
  const to = after[bound];
  if (from === to) return undefined;
  const unbounded = bound === 'minimum' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  const fromValue = from ?? unbounded;
  const toValue = to ?? unbounded;
  const widened = bound === 'minimum' ? toValue < fromValue : toValue > fromValue;
  const describe = (value: number | undefined) => (value === undefined ? `no ${bound}` : `${bound} ${value}`);
  const base = { path: before.path, from: describe(from), to: describe(to) };
  return widened
    ? {
        ...base,
        change: Change.rangeWidened,
        breaks: BACKWARD,
        reason: `range widened (${describe(from)} -> ${describe(to)}): existing consumers may receive values outside the range they handle`,
      }
    : {
        ...base,
        change: Change.rangeNarrowed,
        breaks: FORWARD,
        reason: `range narrowed (${describe(from)} -> ${describe(to)}): outputs of the previous version may fall outside it`,
      };
}

function documentationChanges(before: FieldNode, after: FieldNode): RawChange[] {
  const changes: RawChange[] = [];
  const path = before.path;
  if (before.unit !== after.unit) {
    const renamed = before.unit !== undefined && after.unit !== undefined;
    changes.push({
      path,
      change: Change.unitChanged,
      from: before.unit,
      to: after.unit,
      breaks: renamed ? BOTH : [],
      ...(renamed ? {} : { cosmetic: true }),
      reason: renamed
        ? `unit changed from ${before.unit} to ${after.unit}: the same number now means something else`
        : 'unit documented or undocumented; the values are unchanged',
    });
  }
  if (before.description !== after.description) {
    changes.push({
      path,
      change: Change.descriptionChanged,
      from: before.description,
      to: after.description,
      breaks: [],
      cosmetic: true,
      reason: 'description changed; the values are unchanged',
    });
  }
  return changes;
}

/** Every change between two versions of the same field. */
export function compareNodes(before: FieldNode, after: FieldNode): RawChange[] {
  const bounds = [boundChange(before, after, 'minimum'), boundChange(before, after, 'maximum')].filter(
    (change): change is RawChange => change !== undefined,
  );
  if (before.type !== after.type) {
    // Constraints of unrelated types are not comparable (the type change says it all); bounds of
    // integer and number are.
    const numeric = NUMERIC.has(before.type) && NUMERIC.has(after.type);
    return [
      typeChange(before, after),
      ...presenceChanges(before, after),
      ...(numeric ? bounds : []),
      ...documentationChanges(before, after),
    ];
  }
  return [
    ...presenceChanges(before, after),
    ...enumChanges(before, after),
    ...bounds,
    ...documentationChanges(before, after),
  ];
}
