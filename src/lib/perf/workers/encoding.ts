import type { AlertRule, RuleFile, Runbook } from '../../project/model.ts';

/** What parsing a file gives: plain data, the same in a worker and in the main thread. */
export type Parsed = Runbook | RuleFile;

/**
 * A parse result as JSON, in two parts: `core`, what a run reads of every file (a runbook's
 * frontmatter and comments, a rule's name, labels and annotations), and `rest`, what only a
 * finding, a fix or the site reads (headings, links, positions in rule files). The cache decodes
 * the rest of a file only when something first reads it (perf/cache.ts). A runbook's source is
 * left out when it is the text parsed (`sourced`): the file holds it.
 */
export interface Parts {
  core: string;
  rest: string;
  sourced: boolean;
}

/**
 * A parse result as it crosses threads and enters the cache: its parts when JSON keeps it intact
 * (nearly always), otherwise the data itself. JSON text passes between threads faster than a
 * structured clone, and the main thread takes as the source its own text, not a copy from the JSON.
 */
export type Sent = (Parts & { data?: undefined }) | { core?: undefined; data: Parsed };

/** A runbook's fields that are its rest (see Parts); every other field is its core. */
export const RUNBOOK_REST = ['headings', 'links', 'footnotes', 'html', 'foreign', 'source'] as const;
/** A rule's fields that are its rest: where it and its parts are, and its expression (the site shows it). */
export const RULE_REST = ['at', 'labelsAt', 'annotationsAt', 'annotationsBlockAt', 'exprAt', 'span', 'expr'] as const;

type RuleRestKey = (typeof RULE_REST)[number];

/**
 * Whether JSON round-trips a value exactly. Only frontmatter data is arbitrary YAML; the rest of
 * the model is strings, integers and positions. YAML's .nan and .inf would come back as null.
 */
function jsonSafe(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every((item) => item !== undefined && jsonSafe(item));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((item) => item !== undefined && jsonSafe(item));
  }
  return false;
}

const jsonCarries = (parsed: Parsed): boolean =>
  !('frontmatter' in parsed && parsed.frontmatter?.data !== undefined && !jsonSafe(parsed.frontmatter.data));

/**
 * Encodes a parse result of `text` in its parts when JSON carries it exactly; a runbook whose
 * source is `text` leaves it out. Without `text`, a runbook keeps its source.
 */
export function send(parsed: Parsed, text?: string): Sent {
  if (!jsonCarries(parsed)) return { data: parsed };
  if ('headings' in parsed) {
    const sourced = text !== undefined && text.length > 0 && parsed.source === text;
    // Destructured, as a rule's below: RUNBOOK_REST names the same keys; any other key is core.
    const { headings, links, footnotes, html, foreign, source, ...core } = parsed;
    const rest = sourced ? { headings, links, footnotes, html, foreign } : { headings, links, footnotes, html, foreign, source };
    return { core: JSON.stringify(core), rest: JSON.stringify(rest), sourced };
  }
  const cores: Omit<AlertRule, RuleRestKey>[] = [];
  const rests: Pick<AlertRule, RuleRestKey>[] = [];
  // Destructured, not looped over: a rule file has thousands of rules. RULE_REST names the same keys.
  for (const { at, labelsAt, annotationsAt, annotationsBlockAt, exprAt, span, expr, ...core } of parsed.rules) {
    cores.push(core);
    rests.push({ at, labelsAt, annotationsAt, annotationsBlockAt, exprAt, span, expr });
  }
  return { core: JSON.stringify({ ...parsed, rules: cores }), rest: JSON.stringify(rests), sourced: false };
}

/** The inverse of `send`; `text` is the text parsed, which a runbook's source is when `sourced`. */
export function decode(sent: Sent, text?: string): Parsed {
  if (sent.core === undefined) return sent.data;
  if (sent.sourced && typeof text !== 'string')
    throw new TypeError('decode: this result takes its source from the text parsed, and no text was given');
  let parsed: Parsed;
  // A runbook's rest is an object (a rule file's an array, a rule's fields each): its two parts
  // are two objects' JSON, read as one object in one parse.
  if (sent.rest.startsWith('{"')) {
    parsed = JSON.parse(`${sent.rest.slice(0, -1)},${sent.core.slice(1)}`) as Parsed;
  } else {
    parsed = JSON.parse(sent.core) as Parsed;
    restore(parsed, JSON.parse(sent.rest));
  }
  if (sent.sourced) (parsed as Runbook).source = text as string;
  return revive(parsed);
}

/** A result's core, as the cache reads it before its rest. */
export function decodeCore(core: string): Parsed {
  return revive(JSON.parse(core) as Parsed);
}

/** Gives `parsed` (its core, decoded) its rest, decoded: a runbook's fields, a rule file's rules' (one object per rule). */
function restore(parsed: Parsed, rest: unknown): void {
  if (!('rules' in parsed)) {
    Object.assign(parsed, rest);
    return;
  }
  const rules = parsed.rules;
  (rest as Partial<AlertRule>[]).forEach((fields, i) => Object.assign(rules[i] as AlertRule, fields));
}

/**
 * Gives back to parsed JSON what JSON cannot carry: the maps keyed by label and annotation names
 * have no prototype, so `rule.labels[name]` is never Object.prototype's `constructor`. And where
 * the parsers shared one string, JSON made a copy per value: the file's path in every position
 * of a rule file and every diagnostic is made one string again, a large share of a rule file's
 * memory otherwise. A part of a result (a core without its positions) is revived as far as it goes.
 */
export function revive(parsed: Parsed): Parsed {
  const file = parsed.file;
  if (Array.isArray(parsed.diagnostics)) for (const d of parsed.diagnostics) share(d, file);
  if ('rules' in parsed && Array.isArray(parsed.rules)) {
    for (const rule of parsed.rules) {
      for (const map of [rule.labels, rule.annotations, rule.labelsAt, rule.annotationsAt]) {
        if (typeof map === 'object' && map !== null) Object.setPrototypeOf(map, null);
      }
      share(rule.at, file);
      share(rule.exprAt, file);
      share(rule.annotationsBlockAt, file);
      for (const maps of [rule.labelsAt, rule.annotationsAt]) {
        if (typeof maps === 'object' && maps !== null) for (const key in maps) share(maps[key], file);
      }
    }
  }
  return parsed;
}

/** Makes `location.file` the string `file` when it is equal to it. */
function share(location: { file?: unknown } | undefined, file: string): void {
  if (typeof location === 'object' && location !== null && location.file === file) location.file = file;
}
