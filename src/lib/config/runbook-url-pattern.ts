import { slug } from 'github-slugger';
import { posix } from 'node:path';

/** What a runbook URL pattern can name. */
export interface UrlValues {
  alert: string;
  /** The runbook's repo-relative path. */
  runbookFile: string;
  /** The repo-relative folder that holds all runbooks. */
  runbooksDir: string;
  /** The anchor of the alert's section (match: heading); empty for a whole-file runbook. */
  anchor?: string;
}

const filters: Record<string, (value: string) => string> = {
  lower: (value) => value.toLowerCase(),
  upper: (value) => value.toUpperCase(),
  slug: (value) => slug(value),
};

const PLACEHOLDER = /\{(alert|folder|file|anchor)(?:\|(lower|upper|slug))?\}/g;

/** The placeholders and filters a pattern may use, for config validation messages. */
export const URL_PLACEHOLDERS = '{alert}, {folder}, {file}, {anchor}, with optional |lower, |upper or |slug';

/** Names placeholders in `pattern` that are not known, e.g. `{name}`. */
export function unknownPlaceholders(pattern: string): string[] {
  return [...pattern.matchAll(/\{[^}]*\}/g)].map((m) => m[0]).filter((p) => !new RegExp(`^${PLACEHOLDER.source}$`).test(p));
}

/** A relative POSIX path without `.` or `..` segments, empty segments or a leading or trailing slash. */
const PLAIN_PATH = /^(?!\.\.?(?:\/|$))(?!.*\/\.\.?(?:\/|$))(?!.*\/\/)[^/](?:.*[^/])?$/s;

/**
 * posix.relative(dir, file) for repo-relative paths: a file below a folder, both plain as the
 * globs and the config give them, is answered without resolving both against the working folder
 * (which was most of the time to fill every alert's URL).
 */
function relativeTo(dir: string, file: string): string {
  if (PLAIN_PATH.test(file) && (dir === '' || (PLAIN_PATH.test(dir) && file.startsWith(`${dir}/`))))
    return dir === '' ? file : file.slice(dir.length + 1);
  return posix.relative(dir, file);
}

/**
 * Fills a runbook URL pattern such as `https://runbooks.example.com/alerts/{alert}/` or
 * kube-prometheus' `https://runbooks.prometheus-operator.dev/runbooks/{folder}/{alert|lower}`.
 * Values are percent-encoded; an empty `{folder}` leaves no double slash.
 */
export function expandRunbookUrl(pattern: string, values: UrlValues): string {
  // Most patterns name only the alert: the runbook's folder and file are worked out when one names them.
  let place: { folder: string; file: string } | undefined;
  const placeOf = (): { folder: string; file: string } => {
    if (place) return place;
    const relative = relativeTo(values.runbooksDir === '.' ? '' : values.runbooksDir, values.runbookFile);
    const folder = posix.dirname(relative) === '.' ? '' : posix.dirname(relative);
    place = { folder, file: posix.basename(relative).replace(/\.[^.]+$/, '') };
    return place;
  };
  const rawValue = (name: string): string =>
    name === 'alert' ? values.alert : name === 'anchor' ? (values.anchor ?? '') : name === 'folder' ? placeOf().folder : placeOf().file;
  const filled = pattern.replace(PLACEHOLDER, (_match, name: string, filter?: string) => {
    const value = filter ? (filters[filter] as (v: string) => string)(rawValue(name)) : rawValue(name);
    // A lone surrogate (a YAML escape can write one) cannot be percent-encoded: U+FFFD stands in for it.
    const wellFormed = value.toWellFormed();
    return wellFormed.includes('/') ? wellFormed.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(wellFormed);
  });
  // Collapse the `//` an empty {folder} leaves, but not the one after the scheme; an empty {anchor} leaves no `#`.
  return filled.replace(/([^:/])\/{2,}/g, '$1/').replace(/#$/, '');
}

/** A URL's page (before any query or fragment) and its fragment, decoded; undefined when it has none. */
export function splitFragment(url: string): { page: string; fragment: string | undefined } {
  const page = url.replace(/[?#].*$/s, '');
  const hash = url.indexOf('#');
  if (hash === -1) return { page, fragment: undefined };
  const raw = url.slice(hash + 1);
  try {
    return { page, fragment: decodeURIComponent(raw) };
  } catch {
    return { page, fragment: raw };
  }
}

/** Compares two URLs as a web server would route them: encoding and a trailing slash do not matter. */
export function sameUrl(a: string, b: string): boolean {
  const normalize = (url: string): string => {
    let decoded = url.trim();
    try {
      decoded = decodeURI(decoded);
    } catch {
      // A malformed escape stays as written; it then simply does not match.
    }
    return decoded.replace(/\/+(?=$|[?#])/, '');
  };
  return normalize(a) === normalize(b);
}
