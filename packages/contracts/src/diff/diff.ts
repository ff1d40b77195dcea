import { containerOf, type FieldNode, flattenFields, isInside } from '../field-tree.ts';
import type { CompatibilityMode, ContractSchema } from '../schema.ts';
import { Change, type Direction, type Finding, type RawChange, severityOf } from './findings.ts';
import { compareNodes } from './rules.ts';

export interface DiffOptions {
  /**
   * Pair a removed and an added field with the same container and identical definition (nested
   * fields included) into one `field-renamed` finding. Default true.
   */
  detectRenames?: boolean;
}

type Nodes = ReadonlyMap<string, FieldNode>;

/**
 * Whether an added or removed node is worth its own finding: one inside a removed, added or retyped
 * container is folded into that container's finding, so removing an object reports one change, not
 * one per nested field.
 */
function isTopLevelChange(path: string, before: Nodes, after: Nodes): boolean {
  const container = containerOf(path);
  if (container === undefined) return true;
  const was = before.get(container);
  const is = after.get(container);
  return was !== undefined && is !== undefined && was.type === is.type;
}

function descendants(path: string, nodes: Nodes): FieldNode[] {
  return [...nodes.values()].filter((node) => isInside(node.path, path));
}

/** The definition of a subtree, independent of where it sits and of its documentation. */
function subtreeSignature(path: string, nodes: Nodes): string {
  const shape = (node: FieldNode) => {
    const { path: nodePath, description: _description, ...rest } = node;
    return [nodePath.slice(path.length), rest];
  };
  const root = nodes.get(path);
  return JSON.stringify(root === undefined ? [] : [shape(root), ...descendants(path, nodes).map(shape)]);
}

function nestedSuffix(path: string, nodes: Nodes): string {
  const count = descendants(path, nodes).filter((node) => !node.path.endsWith('[]')).length;
  return count === 0 ? '' : ` (with ${count} nested field${count === 1 ? '' : 's'})`;
}

function removal(node: FieldNode, before: Nodes): RawChange {
  const consequence = node.required
    ? 'existing consumers read it from every prediction'
    : 'existing consumers that read it silently lose it';
  return {
    path: node.path,
    change: Change.fieldRemoved,
    from: node.type,
    breaks: ['backward'],
    reason: `${node.required ? 'required' : 'optional'} field removed${nestedSuffix(node.path, before)}: ${consequence}`,
  };
}

function addition(node: FieldNode, after: Nodes): RawChange {
  const suffix = nestedSuffix(node.path, after);
  return node.required
    ? {
        path: node.path,
        change: Change.fieldAdded,
        to: node.type,
        breaks: ['forward'],
        reason: `required field added${suffix}: outputs of the previous version lack it`,
      }
    : {
        path: node.path,
        change: Change.fieldAdded,
        to: node.type,
        breaks: [],
        reason: `optional field added${suffix}; consumers that do not know it ignore it`,
      };
}

function rename(from: FieldNode, to: FieldNode): RawChange {
  const breaks: Direction[] = to.required ? ['backward', 'forward'] : ['backward'];
  return {
    path: from.path,
    change: Change.fieldRenamed,
    from: from.path,
    to: to.path,
    breaks,
    reason: `field renamed to '${to.path}' (same definition): existing consumers look it up under the old name`,
  };
}

/** Pairs removals and additions that are the same field under a new name (only unambiguous pairs). */
function pairRenames(removed: FieldNode[], added: FieldNode[], before: Nodes, after: Nodes) {
  const key = (node: FieldNode, nodes: Nodes) =>
    `${containerOf(node.path) ?? ''}\u0000${subtreeSignature(node.path, nodes)}`;
  const groups = new Map<string, { removed: FieldNode[]; added: FieldNode[] }>();
  const groupOf = (k: string) => {
    const group = groups.get(k) ?? { removed: [], added: [] };
    groups.set(k, group);
    return group;
  };
  for (const node of removed) groupOf(key(node, before)).removed.push(node);
  for (const node of added) groupOf(key(node, after)).added.push(node);
  const pairs = new Map<FieldNode, FieldNode>();
  for (const group of groups.values()) {
    const [from] = group.removed;
    const [to] = group.added;
    if (group.removed.length === 1 && group.added.length === 1 && from && to) pairs.set(from, to);
  }
  return pairs;
}

/**
 * Every change from `previous` to `next`, each with the field path, a reason and a severity under
 * `mode`. Pure: the OutputContract controller and `steward contract diff` share it.
 */
export function diffContracts(
  previous: ContractSchema,
  next: ContractSchema,
  mode: CompatibilityMode = 'backward',
  options: DiffOptions = {},
): Finding[] {
  const before = flattenFields(previous.fields);
  const after = flattenFields(next.fields);
  const changes: RawChange[] = [];
  const removed: FieldNode[] = [];
  for (const node of before.values()) {
    const counterpart = after.get(node.path);
    if (counterpart !== undefined) changes.push(...compareNodes(node, counterpart));
    else if (isTopLevelChange(node.path, before, after)) removed.push(node);
  }
  const added = [...after.values()].filter(
    (node) => !before.has(node.path) && isTopLevelChange(node.path, before, after),
  );
  const renames = options.detectRenames === false ? new Map() : pairRenames(removed, added, before, after);
  const renamedTo = new Set(renames.values());
  for (const node of removed) {
    const to = renames.get(node);
    changes.push(to === undefined ? removal(node, before) : rename(node, to));
  }
  for (const node of added) if (!renamedTo.has(node)) changes.push(addition(node, after));
  return changes.map((change) => {
    const { cosmetic: _cosmetic, ...finding } = change;
    return { ...finding, severity: severityOf(change, mode) };
  });
}
