/**
 * Code as hast: PromQL highlighted with Prometheus' own grammar (@prometheus-io/lezer-promql;
 * Shiki has none), other languages as plain text, and label placeholders as slots the page fills.
 * Highlighting happens at build time: the page ships class names and CSS, no highlighter.
 */
import { tagHighlighter, highlightTree, tags } from '@lezer/highlight';
import { parser } from '@prometheus-io/lezer-promql';
import type { Element, ElementContent } from 'hast';
import { splitPlaceholders, splitTemplates, token } from './labels.ts';

/** A run of source text with the CSS class of its kind of token. */
interface StyledRange {
  from: number;
  to: number;
  cls: string;
}

const promqlHighlighter = tagHighlighter([
  { tag: tags.comment, class: 'hl-comment' },
  { tag: tags.string, class: 'hl-string' },
  { tag: tags.number, class: 'hl-number' },
  { tag: tags.labelName, class: 'hl-label' },
  { tag: tags.function(tags.variableName), class: 'hl-function' },
  { tag: [tags.operatorKeyword, tags.modifier, tags.logicOperator], class: 'hl-keyword' },
  { tag: [tags.operator, tags.arithmeticOperator, tags.compareOperator], class: 'hl-operator' },
  { tag: tags.variableName, class: 'hl-metric' },
]);

/** Languages a code block may name to be highlighted as PromQL. */
const PROMQL_LANGS = new Set(['promql', 'prometheus', 'metricsql']);

/** The styled token ranges of a PromQL expression, in order; unstyled gaps are left out. */
function promqlRanges(code: string): StyledRange[] {
  const ranges: StyledRange[] = [];
  // The grammar recovers from errors, so a placeholder or a typo still highlights the rest.
  highlightTree(parser.parse(code), promqlHighlighter, (from, to, cls) => ranges.push({ from, to, cls }));
  return ranges;
}

/** A placeholder as the page shows it before (or without) JavaScript: a token in a slot the script fills. */
function slotElement(label: string): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: { className: ['slot'], dataLabel: label },
    children: [{ type: 'text', value: token(label) }],
  };
}

/** Text with its placeholders as slots. */
export function textWithSlots(text: string): ElementContent[] {
  return splitPlaceholders(text).map((part) => (part.label === undefined ? { type: 'text', value: part.text } : slotElement(part.label)));
}

/** Text with label placeholders as slots and other Go-template expressions (`{{ $value | printf "%.1f" }}`) as fixed tokens. */
export function templateWithSlots(text: string): ElementContent[] {
  return splitTemplates(text).map((part) => {
    if (part.label !== undefined) return slotElement(part.label);
    if (part.word === undefined) return { type: 'text', value: part.text };
    // Not a label: the page cannot fill it, so it reads as a token with the expression as its tooltip.
    return {
      type: 'element',
      tagName: 'span',
      properties: { className: ['slot', 'expr'], title: part.text },
      children: [{ type: 'text', value: token(part.word) }],
    };
  });
}

/**
 * The content of a `<code>` element: highlighted when the language is PromQL, with placeholders
 * as slots. A placeholder that crosses token boundaries becomes one slot, unstyled.
 */
export function codeToHast(code: string, lang: string | undefined): ElementContent[] {
  if (!lang || !PROMQL_LANGS.has(lang.toLowerCase())) return textWithSlots(code);
  const ranges = promqlRanges(code);
  const placeholders: { from: number; to: number; label: string }[] = [];
  let offset = 0;
  for (const part of splitPlaceholders(code)) {
    if (part.label !== undefined) placeholders.push({ from: offset, to: offset + part.text.length, label: part.label });
    offset += part.text.length;
  }
  const cuts = new Set<number>([0, code.length]);
  for (const r of [...ranges, ...placeholders]) cuts.add(r.from).add(r.to);
  const points = [...cuts].sort((a, b) => a - b);
  const out: ElementContent[] = [];
  let current: { cls: string; text: string } | undefined;
  const flush = (): void => {
    if (!current) return;
    out.push(
      current.cls === ''
        ? { type: 'text', value: current.text }
        : { type: 'element', tagName: 'span', properties: { className: [current.cls] }, children: [{ type: 'text', value: current.text }] },
    );
    current = undefined;
  };
  let rangeIndex = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i] as number;
    const to = points[i + 1] as number;
    const placeholder = placeholders.find((p) => p.from <= from && to <= p.to);
    if (placeholder) {
      if (from === placeholder.from) {
        flush();
        out.push(slotElement(placeholder.label));
      }
      continue;
    }
    while (rangeIndex < ranges.length && (ranges[rangeIndex] as StyledRange).to <= from) rangeIndex++;
    const range = ranges[rangeIndex];
    const cls = range && range.from <= from && to <= range.to ? range.cls : '';
    if (current && current.cls === cls) current.text += code.slice(from, to);
    else {
      flush();
      current = { cls, text: code.slice(from, to) };
    }
  }
  flush();
  return out;
}
