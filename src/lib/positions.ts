import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { Position } from './diagnostic.ts';

/** Where a key and its value stand, for one JSON pointer. */
export interface PointerSpan {
  key?: Position;
  value: Position;
}

/**
 * Turns character offsets into 1-based positions. `lineOffset` shifts every line, for YAML that
 * starts below the top of its file (frontmatter starts on line 2).
 */
export class PositionMapper {
  readonly #lines: LineCounter;
  readonly #lineOffset: number;

  constructor(lines: LineCounter, lineOffset = 0) {
    this.#lines = lines;
    this.#lineOffset = lineOffset;
  }

  /** The position of a character offset. */
  at(offset: number): Position {
    const { line, col } = this.#lines.linePos(offset);
    return { line: line + this.#lineOffset, column: col };
  }

  /** The span between two offsets. */
  span(start: number, end: number): Position {
    const from = this.#lines.linePos(start);
    const to = this.#lines.linePos(end);
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
