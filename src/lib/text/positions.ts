import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Position } from '../engine/diagnostic.ts';

/** Where a key and its value stand, for one JSON pointer. */
export interface PointerSpan {
  key?: Position;
  value: Position;
}

/** A line and a column, 1-based; the column counts UTF-16 code units, as JavaScript strings and editors do. */
export interface LineColumn {
  line: number;
  column: number;
}

/**
 * The one line index: character offsets in a text to 1-based lines and columns, and back. Lines
 * end at LF (the readers turn a lone CR into LF first, one character for one, so no offset moves);
 * the CR of a CRLF belongs to the line break, not to the line. `origin` is where the text itself
 * starts, for a stretch of a file (a text node, an HTML comment, the frontmatter's YAML).
 */
export class LineIndex {
  readonly #text: string;
  readonly #origin: LineColumn;
  #starts: number[] | undefined;

  constructor(text: string, origin: LineColumn = { line: 1, column: 1 }) {
    this.#text = text;
    this.#origin = origin;
  }

  /** Offsets at which each line starts, counted on first use. */
  get #lineStarts(): number[] {
    if (this.#starts) return this.#starts;
    const text = this.#text;
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return (this.#starts = starts);
  }

  /**
   * The position of an offset: an offset outside the text is taken as its nearest end, and the
   * column is at most one past the line's last character.
   */
  at(offset: number): LineColumn {
    const text = this.#text;
    const starts = this.#lineStarts;
    const at = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= at) low = middle;
      else high = middle - 1;
    }
    const start = starts[low] as number;
    const next = starts[low + 1];
    let end = next === undefined ? text.length : next - 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const column = Math.min(at, end) - start + 1;
    return { line: this.#origin.line + low, column: low === 0 ? column + this.#origin.column - 1 : column };
  }

  /** The offset of a position, the inverse of {@link at}; a line past the last is taken as the first. */
  offsetOf(position: LineColumn): number {
    const line = position.line - this.#origin.line;
    return (this.#lineStarts[line] ?? 0) + position.column - (line === 0 ? this.#origin.column : 1);
  }
}

/** The position of `index` in `slice`, a stretch of the source that starts at `start`. */
export function pointIn(slice: string, start: LineColumn, index: number): LineColumn {
  return new LineIndex(slice, start).at(index);
}

/**
 * Turns character offsets of YAML into 1-based positions. `lineOffset` shifts every line, for
 * YAML that starts below the top of its file (frontmatter starts on line 2).
 */
export class PositionMapper {
  readonly #lines: LineCounter;
  readonly #lineOffset: number;
  readonly #index: LineIndex | undefined;

  /**
   * With the `text`, lines are counted from it (the parser's counter misses the lines inside a
   * token it gave up on), and no position goes past the end of its line or of the text.
   */
  constructor(lines: LineCounter, lineOffset = 0, text?: string) {
    this.#lines = lines;
    this.#lineOffset = lineOffset;
    this.#index = text === undefined ? undefined : new LineIndex(text);
  }

  /** Line and column of an offset, 1-based. */
  #pos(offset: number): { line: number; col: number } {
    if (!this.#index) return this.#lines.linePos(offset);
    const { line, column } = this.#index.at(offset);
    return { line, col: column };
  }

  /** The position of a character offset. */
  at(offset: number): Position {
    const { line, col } = this.#pos(offset);
    return { line: line + this.#lineOffset, column: col };
  }

  /** The span between two offsets. */
  span(start: number, end: number): Position {
    const from = this.#pos(start);
    const to = this.#pos(end);
    return { line: from.line + this.#lineOffset, column: from.col, endLine: to.line + this.#lineOffset, endColumn: to.col };
  }

  /** The span of a YAML node, or of its whole document when the node has no range. */
  node(node: Node | null | undefined, fallback = 0): Position {
    const range = node?.range;
    return range ? this.span(range[0], range[1]) : this.at(fallback);
  }
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function escapePointer(segment: string | number): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Indexes every key and value of a YAML document by JSON pointer, so that a schema error's
 * instancePath leads straight to the text that is wrong.
 */
export function indexPointers(doc: Document, positions: PositionMapper): Record<string, PointerSpan> {
  const index: Record<string, PointerSpan> = Object.create(null);
  const visit = (node: unknown, pointer: string, key?: Position): void => {
    if (!node || typeof node !== 'object') return;
    const yamlNode = node as Node;
    index[pointer] = { key, value: positions.node(yamlNode) };
    if (isMap(yamlNode)) {
      for (const pair of yamlNode.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const keyPos = positions.node(keyNode as Node);
        const child = `${pointer}/${escapePointer(name)}`;
        if (pair.value) visit(pair.value, child, keyPos);
        else index[child] = { key: keyPos, value: keyPos };
      }
    } else if (isSeq(yamlNode)) {
      yamlNode.items.forEach((item, i) => visit(item, `${pointer}/${i}`));
    }
  };
  visit(doc.contents, '');
  return index;
}

/** Finds the span for a JSON pointer, or for its nearest indexed ancestor. */
export function lookupPointer(index: Record<string, PointerSpan>, pointer: string): PointerSpan | undefined {
  let current = pointer;
  for (;;) {
    const hit = index[current];
    if (hit) return hit;
    if (current === '') return undefined;
    current = current.slice(0, current.lastIndexOf('/'));
  }
}
