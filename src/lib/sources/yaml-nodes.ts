import { isMap, isPair, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Location } from '../diagnostic.ts';
import type { PositionMapper } from '../positions.ts';

/** The value node of `key` in a YAML map, and the key node itself. */
export function entry(map: YAMLMap, key: string): { key: Node; value: Node | null } | undefined {
  for (const pair of map.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return { key: pair.key, value: pair.value as Node | null };
  }
  return undefined;
}

/** The pairs of a map whose keys are scalars, with the key as text. */
export function pairs(map: YAMLMap): { name: string; key: Node; value: Node | null; pair: Pair }[] {
  const out: { name: string; key: Node; value: Node | null; pair: Pair }[] = [];
  for (const pair of map.items) {
    if (isPair(pair) && isScalar(pair.key)) out.push({ name: String(pair.key.value), key: pair.key, value: pair.value as Node | null, pair });
  }
  return out;
}

/** A scalar's value as text; undefined for a missing, null or non-scalar node. */
export function scalarString(node: Node | null | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

/** A map of strings (labels, annotations) with where each value stands. */
export function stringMap(node: Node | null | undefined, file: string, positions: PositionMapper): { values: Record<string, string>; at: Record<string, Location> } {
  const values: Record<string, string> = {};
  const at: Record<string, Location> = {};
  if (!isMap(node)) return { values, at };
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    const value = pair.value as Node | null;
    values[name] = isScalar(value) ? String(value.value ?? '') : '';
    at[name] = { file, ...positions.node(value ?? (pair.key as Node)) };
  }
  return { values, at };
}
