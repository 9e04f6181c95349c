/**
 * Label placeholders: `{{ $labels.instance }}` in a runbook (the Prometheus template form, so
 * runbooks and annotations read alike) or `{{ .Labels.instance }}` (Alertmanager's form). The page
 * fills them from the query string of the alert's link; without a value they show as a token.
 */

import { splitPlaceholders, TEMPLATE, templateWord } from '../markdown/placeholders.ts';

// The placeholder syntax lives in src/lib/markdown/placeholders.ts, which the linter reads too.
export { labelNames, splitPlaceholders } from '../markdown/placeholders.ts';

/** What a placeholder shows when the link carries no value for it: readable, and plainly not a value. */
export function token(label: string): string {
  return `<${label}>`;
}

/**
 * Label values from a query string, as an Alertmanager template writes them with `urlquery`.
 * Empty values count as absent: Prometheus treats an empty label as no label.
 */
export function labelsFromQuery(search: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(search)) {
    if (value !== '' && !labels.has(name)) labels.set(name, value);
  }
  return labels;
}

/** Fills the placeholders of `text` with `labels`, and the rest with tokens: what the page shows and copies. */
export function fillPlaceholders(text: string, labels: ReadonlyMap<string, string>): string {
  return splitPlaceholders(text)
    .map((part) => (part.label === undefined ? part.text : (labels.get(part.label) ?? token(part.label))))
    .join('');
}

/** A run of text, a label placeholder, or another Go-template expression (`{{ $value }}`) shown as `<word>`. */
export type TemplatePart =
  | { text: string; label?: undefined; word?: undefined }
  | { text: string; label: string; word?: undefined }
  | { text: string; word: string; label?: undefined };

/** Splits an annotation's text into literal runs, label placeholders and other template expressions. */
export function splitTemplates(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  for (const part of splitPlaceholders(text)) {
    if (part.label !== undefined) {
      parts.push(part);
      continue;
    }
    let last = 0;
    for (const match of part.text.matchAll(TEMPLATE)) {
      if (match.index > last) parts.push({ text: part.text.slice(last, match.index) });
      parts.push({ text: match[0], word: templateWord(match[1] ?? '') });
      last = match.index + match[0].length;
    }
    if (last < part.text.length) parts.push({ text: part.text.slice(last) });
  }
  return parts;
}

/** An annotation as plain text: label placeholders and other expressions as `<word>` tokens. */
export function templateText(text: string): string {
  return splitTemplates(text)
    .map((p) => (p.label !== undefined ? token(p.label) : p.word !== undefined ? token(p.word) : p.text))
    .join('');
}
