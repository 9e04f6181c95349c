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

type Name = 'alert' | 'folder' | 'file' | 'anchor';

/** A pattern cut into its literal text and its placeholders, once per pattern: a project fills it for every alert. */
interface CompiledPattern {
  parts: (string | { name: Name; filter: string | undefined })[];
  /** Whether {folder} or {file} occurs, the only placeholders that need the runbook's path taken apart. */
  usesPath: boolean;
}

const compiledPatterns = new Map<string, CompiledPattern>();

function compilePattern(pattern: string): CompiledPattern {
  let compiled = compiledPatterns.get(pattern);
  if (compiled) return compiled;
  const parts: CompiledPattern['parts'] = [];
  let last = 0;
  for (const match of pattern.matchAll(PLACEHOLDER)) {
    parts.push(pattern.slice(last, match.index), { name: match[1] as Name, filter: match[2] });
    last = match.index + match[0].length;
  }
  parts.push(pattern.slice(last));
  compiled = { parts, usesPath: parts.some((part) => typeof part !== 'string' && (part.name === 'folder' || part.name === 'file')) };
  compiledPatterns.set(pattern, compiled);
  return compiled;
}

/** What encodeURIComponent leaves as it is, and the `/` kept between the segments. */
const UNESCAPED = /^[\w\-.!~*'()/]*$/;

/** A value percent-encoded segment by segment; a lone surrogate (a YAML escape can write one) cannot be, so U+FFFD stands in for it. */
function encodeValue(value: string): string {
  return UNESCAPED.test(value) ? value : value.toWellFormed().split('/').map(encodeURIComponent).join('/');
}

/** The folder and the file name (without its extension) of a runbook, relative to the runbooks folder, as posix.dirname and posix.basename give them. */
function folderAndFile(values: UrlValues): { folder: string; file: string } {
  const relative = relativeTo(values.runbooksDir === '.' ? '' : values.runbooksDir, values.runbookFile);
  let dir: string;
  let base: string;
  if (PLAIN_PATH.test(relative)) {
    const slash = relative.lastIndexOf('/');
    dir = slash === -1 ? '.' : relative.slice(0, slash);
    base = relative.slice(slash + 1);
  } else {
    dir = posix.dirname(relative);
    base = posix.basename(relative);
  }
  return { folder: dir === '.' ? '' : dir, file: base.replace(/\.[^.]+$/, '') };
}

/**
 * Fills a runbook URL pattern such as `https://runbooks.example.com/alerts/{alert}/` or
 * kube-prometheus' `https://runbooks.prometheus-operator.dev/runbooks/{folder}/{alert|lower}`.
 * Values are percent-encoded; an empty `{folder}` leaves no double slash.
 */
export function expandRunbookUrl(pattern: string, values: UrlValues): string {
  const { parts, usesPath } = compilePattern(pattern);
  const path = usesPath ? folderAndFile(values) : { folder: '', file: '' };
  let filled = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      filled += part;
      continue;
    }
    const raw = part.name === 'alert' ? values.alert : part.name === 'anchor' ? (values.anchor ?? '') : path[part.name];
    filled += encodeValue(part.filter ? (filters[part.filter] as (v: string) => string)(raw) : raw);
  }
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
