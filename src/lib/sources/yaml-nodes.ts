import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import type { Location } from '../engine/diagnostic.ts';
import type { PositionMapper } from '../text/positions.ts';

/** The document being read: aliases (`*name`) resolve against it. Set by the reader around each document. */
let current: Document | undefined;

/** Makes aliases resolve against `doc` until the next call (undefined when reading is done). */
export function readingDocument(doc: Document | undefined): void {
  current = doc;
}

/** The node an alias stands for (the anchored node), or the node itself. */
export function deref(node: Node | null | undefined): Node | null | undefined {
  if (!isAlias(node) || !current) return node;
  const target = node.resolve(current) as Node | undefined;
  return isAlias(target) ? undefined : target;
}

/** One key and value of a map, the key as text. */
export interface KeyValue {
  name: string;
  key: Node;
  value: Node | null;
}

/**
 * The key/value pairs of a map as Prometheus (Go's yaml.v3) reads them: aliases resolved, and
 * merge keys (`<<: *base`, `<<: [*a, *b]`) expanded, a map's own keys winning over merged ones.
 */
export function pairs(node: Node | null | undefined, depth = 0): KeyValue[] {
  const map = deref(node);
  if (!isMap(map) || depth > 10) return [];
  const merged: KeyValue[] = [];
  const own: KeyValue[] = [];
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const name = scalarString(pair.key) ?? '';
    const value = pair.value as Node | null;
    if (name === '<<' && pair.key.type === Scalar.PLAIN) {
      const sources = deref(value);
      for (const source of isSeq(sources) ? sources.items : [sources]) merged.push(...pairs(source as Node, depth + 1));
    } else {
      own.push({ name, key: pair.key, value: deref(value) ?? null });
    }
  }
  if (merged.length === 0) return own;
  const names = new Set(own.map((p) => p.name));
  const kept = new Map<string, KeyValue>();
  for (const pair of merged) if (!names.has(pair.name) && !kept.has(pair.name)) kept.set(pair.name, pair);
  return [...kept.values(), ...own];
}

/** The value node of `key` in a YAML map (aliases and merge keys followed), and the key node itself. */
export function entry(map: Node | null | undefined, key: string): { key: Node; value: Node | null } | undefined {
  return pairs(map).find((pair) => pair.name === key);
}

/** The items of a sequence, aliases resolved. */
export function items(node: Node | null | undefined): (Node | null | undefined)[] {
  const seq = deref(node);
  return isSeq(seq) ? seq.items.map((item) => deref(item as Node)) : [];
}

/**
 * A scalar as the string Prometheus keeps: Go decodes a rule's fields into strings, so `.nan`,
 * `1e3` or `0x10` stay as written, where a YAML 1.2 reader would make them numbers.
 */
export function scalarString(node: Node | null | undefined): string | undefined {
  const scalar = deref(node);
  if (!isScalar(scalar) || scalar.value === null || scalar.value === undefined) return undefined;
  if (typeof scalar.value !== 'string' && scalar.type === Scalar.PLAIN && typeof scalar.source === 'string') return scalar.source;
  return String(scalar.value);
}

/** A map of strings (labels, annotations) with where each value stands. */
export function stringMap(
  node: Node | null | undefined,
  file: string,
  positions: PositionMapper,
): { values: Record<string, string>; at: Record<string, Location> } {
  // No prototype: a label named `constructor` or `__proto__` is an ordinary key (see encoding.ts's revive).
  const values: Record<string, string> = Object.create(null);
  const at: Record<string, Location> = Object.create(null);
  for (const { name, key, value } of pairs(node)) {
    values[name] = scalarString(value) ?? '';
    at[name] = { file, ...positions.node(value ?? key) };
  }
  return { values, at };
}
