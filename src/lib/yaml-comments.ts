import { Parser } from 'yaml';
import type { Comment } from './model.ts';

/** Line starts of `text`, for turning offsets into lines without a second YAML parse. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function visit(node: unknown, found: { offset: number; source: string }[]): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, found);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const token = node as { type?: unknown; offset?: unknown; source?: unknown };
  if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
    found.push({ offset: token.offset, source: token.source });
    return;
  }
  // The CST is plain objects and arrays of tokens; walking every value finds comments wherever they sit.
  for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value, found);
}

/**
 * The YAML comments of `text` whose content starts with `prefix`, with their positions. Uses the
 * YAML parser's concrete syntax tree, so a `#` inside a block scalar (a PromQL comment in `expr: |`)
 * is not taken for a comment. Costs nothing when `prefix` does not occur in the text.
 */
export function yamlComments(text: string, prefix: string): Comment[] {
  if (!text.includes(prefix)) return [];
  const found: { offset: number; source: string }[] = [];
  for (const token of new Parser().parse(text)) visit(token, found);
  const starts = lineStarts(text);
  const comments: Comment[] = [];
  for (const { offset, source } of found) {
    const value = source.replace(/^#/, '').trim();
    if (!value.startsWith(prefix)) continue;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    const column = offset - (starts[low] ?? 0) + 1;
    comments.push({ value, line: low + 1, column, endLine: low + 1, endColumn: column + source.length });
  }
  return comments.sort((a, b) => a.line - b.line || a.column - b.column);
}
