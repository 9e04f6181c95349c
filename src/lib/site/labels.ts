/**
 * Label placeholders: `{{ $labels.instance }}` in a runbook (the Prometheus template form, so
 * runbooks and annotations read alike) or `{{ .Labels.instance }}` (Alertmanager's form). The page
 * fills them from the query string of the alert's link; without a value they show as a token.
 */

/** One placeholder form or the other; group 1 or 2 is the label name. */
export const PLACEHOLDER = /\{\{-?\s*(?:\$labels\.([A-Za-z_][A-Za-z0-9_]*)|\.Labels\.([A-Za-z_][A-Za-z0-9_]*))\s*-?\}\}/g;

/** A run of text, or a placeholder with its label name. */
export type Part = { text: string; label?: undefined } | { text: string; label: string };

/** Splits text into literal runs and placeholders; `text` of a placeholder is its source. */
export function splitPlaceholders(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: match[0], label: (match[1] ?? match[2]) as string });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** The label names a text uses, in order of first use. */
export function labelNames(text: string): string[] {
  return [...new Set(splitPlaceholders(text).flatMap((p) => (p.label === undefined ? [] : [p.label])))];
}

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
