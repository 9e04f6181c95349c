/**
 * Placeholders as the linter and the site both read them: `{{ $labels.instance }}` (the Prometheus
 * template form) or `{{ .Labels.instance }}` (Alertmanager's), with or without spaces inside the
 * braces, and the other Go-template expressions annotations carry (`{{ $value | printf "%.1f" }}`).
 * One module, so that what the linter skips or checks is exactly what the site fills in.
 */

/** A label placeholder; group 1 or 2 is the label name. Spaces may be any whitespace (see {@link protectPlaceholders}). */
const PLACEHOLDER = /\{\{-?\s*(?:\$labels\.([A-Za-z_][A-Za-z0-9_]*)|\.Labels\.([A-Za-z_][A-Za-z0-9_]*))\s*-?\}\}/g;

/** Any Go-template action on one line: `{{ ... }}`. Group 1 is what is inside. */
export const TEMPLATE = /\{\{-?\s*((?:(?!\}\})[^\n])*?)\s*-?\}\}/g;

/** A run of text, or a placeholder with its label name. */
export type Part = { text: string; label?: undefined } | { text: string; label: string };

/** Splits text into literal runs and label placeholders; `text` of a placeholder is its source. */
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

/** Whether `text` holds a label placeholder. */
export function hasPlaceholder(text: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(text);
}

/** Whether `text` holds any Go-template or Hugo action (`{{ … }}`): an address the linter cannot follow. */
export function hasTemplate(text: string): boolean {
  return /\{\{.*?\}\}/s.test(text);
}

/** The label names a text uses, in order of first use. */
export function labelNames(text: string): string[] {
  return [...new Set(splitPlaceholders(text).flatMap((p) => (p.label === undefined ? [] : [p.label])))];
}

/**
 * The same text with the spaces inside each label placeholder of a link or image destination made
 * no-break spaces (one UTF-16 unit each, so every line and column stays put). CommonMark ends a
 * destination at a space, so `[logs](https://g.example/?pod={{ $labels.pod }})`, the form
 * annotations use, would not be a link; with no-break spaces it is one, and PLACEHOLDER (`\s`)
 * still reads the placeholder. Placeholders elsewhere (headings, code) are left alone.
 */
export function protectPlaceholders(text: string): string {
  if (!text.includes('{{')) return text;
  let out = '';
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    out += text.slice(last, match.index);
    const before = out.slice(out.lastIndexOf('\n') + 1);
    const inDestination = /\]\([^ \t)]*$/.test(before) || /^ {0,3}\[[^\]]+\]:[ \t]*[^ \t]*$/.test(before);
    out += inDestination ? match[0].replaceAll(' ', '\u00a0') : match[0];
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}

/** Undoes {@link protectPlaceholders} inside placeholders: the template as the author wrote it. */
export function restorePlaceholders(text: string): string {
  return text.replace(PLACEHOLDER, (match) => match.replaceAll('\u00a0', ' '));
}

/** Each label placeholder replaced by its label name: a sample value that is valid in any part of a URL. */
export function withSampleValues(text: string): string {
  // Every placeholder starts so; most URLs hold none, and replace would still scan them with the pattern.
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (_match, a: string | undefined, b: string | undefined) => (a ?? b) as string);
}

/**
 * The word a Go-template expression shows as when the page cannot fill it: `$value | printf "%.1f"`
 * → `value`, `$labels.pod` → `pod`, `$externalLabels.cluster` → `cluster`; anything else → `expression`.
 */
export function templateWord(expression: string): string {
  const label = /(?:\$labels|\.Labels|\$externalLabels|\.ExternalLabels)\.([A-Za-z_][A-Za-z0-9_]*)/.exec(expression);
  if (label) return label[1] as string;
  if (/\$value\b|\.Value\b/.test(expression)) return 'value';
  const variable = /\$([A-Za-z_][A-Za-z0-9_]*)/.exec(expression);
  return variable ? (variable[1] as string) : 'expression';
}
