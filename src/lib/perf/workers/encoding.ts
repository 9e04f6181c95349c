import type { RuleFile, Runbook } from '../../project/model.ts';

/** What parsing a file gives: plain data, the same in a worker and in the main thread. */
export type Parsed = Runbook | RuleFile;

/**
 * A parse result as it enters the cache: JSON text when JSON keeps it intact (nearly always),
 * otherwise the data itself. The JSON of a runbook whose source is the text parsed leaves the
 * source out: the file holds it, and the cache reads it from there only when it is wanted.
 */
export type Encoded = { json: string; data?: undefined } | { json?: undefined; data: Parsed };

/**
 * A parse result as it crosses threads: `Encoded`, and for a runbook whose source is the text
 * parsed, where that source's JSON ends (`restAt`, the comma after it). The main thread read that
 * text and holds it already: it parses only the rest of the JSON and takes its own string as the
 * source, instead of a copy of most of the file made by JSON.parse; the whole JSON, made in the
 * worker, is what the cache stores. JSON text passes between threads faster than a structured clone.
 */
export type Sent = { json: string; restAt?: number; data?: undefined } | { json?: undefined; restAt?: undefined; data: Parsed };

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

/*
 * A runbook's JSON names its source first, so that the rest of it starts at a known place, found
 * without parsing or searching the JSON.
 */
const SOURCE_KEY = '{"source":';

/** The JSON of a runbook with `source` as its first key, holding `sourceJson` (the source as JSON). */
function runbookJson(runbook: Runbook, sourceJson: string): string {
  const source = runbook.source;
  // Left out by JSON.stringify as undefined, put back at once: no copy of the object is made.
  (runbook as { source?: string }).source = undefined;
  let rest: string;
  try {
    rest = JSON.stringify(runbook);
  } finally {
    runbook.source = source;
  }
  // `rest` is `{"file":...}`: a runbook always has keys after its source.
  return `${SOURCE_KEY}${sourceJson},${rest.slice(1)}`;
}

/** Encodes a parse result as JSON when JSON carries it exactly. */
export function encode(parsed: Parsed): Encoded {
  if (!jsonCarries(parsed)) return { data: parsed };
  if ('source' in parsed) return { json: runbookJson(parsed, JSON.stringify(parsed.source)) };
  return { json: JSON.stringify(parsed) };
}

/** Encodes a parse result of `text` to send to the main thread, which holds `text` (see `Sent`). */
export function send(parsed: Parsed, text: string): Sent {
  if ('source' in parsed && parsed.source === text && text.length > 0 && jsonCarries(parsed)) {
    const sourceJson = JSON.stringify(text);
    return { json: runbookJson(parsed, sourceJson), restAt: SOURCE_KEY.length + sourceJson.length };
  }
  return encode(parsed);
}

/** `sent` as the cache stores it: without a source that is the text parsed (see `Encoded`). */
export function encodedOf(sent: Sent): Encoded {
  if (sent.json === undefined) return { data: sent.data };
  return { json: sent.restAt === undefined ? sent.json : `{${sent.json.slice(sent.restAt + 1)}` };
}

/** The inverse of `encode` and of `send`; `text` is the text parsed, which a runbook's source is when `restAt` is set. */
export function decode(sent: Sent, text?: string): Parsed {
  if (sent.json === undefined) return sent.data;
  if (sent.restAt === undefined) return revive(JSON.parse(sent.json) as Parsed);
  if (typeof text !== 'string') throw new TypeError('decode: this result takes its source from the text parsed, and no text was given');
  const parsed = revive(JSON.parse(`{${sent.json.slice(sent.restAt + 1)}`) as Parsed) as Runbook;
  parsed.source = text;
  return parsed;
}

/**
 * Gives back to parsed JSON what JSON cannot carry: the maps keyed by label and annotation names
 * have no prototype, so `rule.labels[name]` is never Object.prototype's `constructor`. And where
 * the parsers shared one string, JSON made a copy per value: the file's path in every position
 * of a rule file and every diagnostic is made one string again, a large share of a rule file's
 * memory otherwise.
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
