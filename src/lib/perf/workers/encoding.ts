import type { RuleFile, Runbook } from '../../project/model.ts';

/** What parsing a file gives: plain data, the same in a worker and in the main thread. */
export type Parsed = Runbook | RuleFile;

/**
 * A parse result as it crosses threads and enters the cache: JSON text when JSON keeps it intact
 * (nearly always; faster to pass between threads than a structured clone, and ready to store),
 * otherwise the data itself.
 */
export type Encoded = { json: string; data?: undefined } | { json?: undefined; data: Parsed };

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

/** Encodes a parse result as JSON when JSON carries it exactly. */
export function encode(parsed: Parsed): Encoded {
  if ('frontmatter' in parsed && parsed.frontmatter?.data !== undefined && !jsonSafe(parsed.frontmatter.data)) return { data: parsed };
  return { json: JSON.stringify(parsed) };
}

/** The inverse of `encode`. */
export function decode(encoded: Encoded): Parsed {
  return encoded.json !== undefined ? revive(JSON.parse(encoded.json) as Parsed) : encoded.data;
}

/**
 * Gives back to parsed JSON what JSON cannot carry: the maps keyed by label and annotation names
 * have no prototype, so `rule.labels[name]` is never Object.prototype's `constructor`.
 */
export function revive(parsed: Parsed): Parsed {
  if ('rules' in parsed && Array.isArray(parsed.rules)) {
    for (const rule of parsed.rules) {
      for (const map of [rule.labels, rule.annotations, rule.labelsAt, rule.annotationsAt]) {
        if (typeof map === 'object' && map !== null) Object.setPrototypeOf(map, null);
      }
    }
  }
  return parsed;
}
