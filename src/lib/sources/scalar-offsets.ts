import { isScalar, type Node } from 'yaml';

const SPACE = /\s/;

/**
 * The source offset of a character of a scalar's value. YAML folds lines, strips indentation and
 * resolves escapes, so the value and its source differ in whitespace and escapes only: the n-th
 * non-space character of the value is the n-th of the source, escapes counted as one.
 */
export function sourceOffset(source: string, node: Node | null | undefined, valueOffset: number): number | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const value = String(node.value ?? '');
  let wanted = 0;
  for (let i = 0; i < Math.min(valueOffset, value.length); i++) if (!SPACE.test(value[i] as string)) wanted++;
  const [start, end] = node.range;
  let i = start;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const newline = source.indexOf('\n', start);
    i = newline === -1 ? end : newline + 1;
  } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    i = start + 1;
  }
  const last = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? end - 1 : end;
  let seen = 0;
  // Past the value's last character (an expression that ends too early): just after that character.
  let after = i;
  for (; i < last; i++) {
    const c = source[i] as string;
    if (SPACE.test(c)) continue;
    if (seen === wanted) return i;
    seen++;
    after = i + 1;
    if (node.type === 'QUOTE_DOUBLE' && c === '\\') i++;
    else if (node.type === 'QUOTE_SINGLE' && c === "'" && source[i + 1] === "'") i++;
  }
  return after;
}
