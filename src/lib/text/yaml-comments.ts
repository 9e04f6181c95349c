import { isScalar, visit, type Document } from 'yaml';
import type { Comment } from '../project/model.ts';
import { LineIndex } from './positions.ts';

/** Offsets of every scalar (keys and values, block scalars included) of the documents, as [start, end) pairs. */
function scalarRanges(docs: readonly Document[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const doc of docs) {
    visit(doc, {
      Scalar(_key, node) {
        if (isScalar(node) && node.range) ranges.push([node.range[0], node.range[1]]);
      },
    });
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

function insideAny(offset: number, ranges: readonly [number, number][]): boolean {
  let low = 0;
  let high = ranges.length - 1;
  // The last range starting at or before `offset`; scalars do not overlap, so it is the only candidate.
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((ranges[mid] as [number, number])[0] <= offset) low = mid;
    else high = mid - 1;
  }
  const range = ranges[low];
  return range !== undefined && range[0] <= offset && offset < range[1];
}

/**
 * The YAML comments of `text` whose content starts with `prefix`, with their positions. A `#` inside
 * a scalar of `docs` (a PromQL comment in `expr: |`, a quoted string) is not a comment. Reuses the
 * parsed documents instead of parsing again, and costs nothing when `prefix` does not occur.
 */
export function yamlComments(text: string, prefix: string, docs: readonly Document[]): Comment[] {
  if (!text.includes(prefix)) return [];
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const candidate = new RegExp(`(^|[ \\t])#[ \\t]*${escaped}[^\\r\\n]*`, 'gm');
  let ranges: [number, number][] | undefined;
  const comments: Comment[] = [];
  let lines: LineIndex | undefined;
  for (const match of text.matchAll(candidate)) {
    const offset = match.index + (match[1] ?? '').length;
    ranges ??= scalarRanges(docs);
    if (insideAny(offset, ranges)) continue;
    const { line, column } = (lines ??= new LineIndex(text)).at(offset);
    const source = match[0].slice((match[1] ?? '').length);
    comments.push({ value: source.replace(/^#/, '').trim(), line, column, endLine: line, endColumn: column + source.length });
  }
  return comments;
}
