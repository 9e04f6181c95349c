import type { Parsed } from './encoding.ts';

/*
 * What a parse result must look like, checked on every entry read from the cache: a cache file is
 * outside the tool's control (another version, an editor, a disk), and an entry of the wrong shape
 * must be a miss, never a TypeError in a check or a finding at a line the file does not have.
 */

type Check = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const int = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;
const str = (value: unknown): boolean => typeof value === 'string';
const optional = (check: Check): Check => (value) => value === undefined || check(value);
const list = (check: Check): Check => (value) => Array.isArray(value) && value.every(check);
const oneOf = (...values: string[]): Check => (value) => typeof value === 'string' && values.includes(value);
const record = (check: Check): Check => (value) => isObject(value) && Object.values(value).every(check);

/** A position inside a file of `lines` lines (a position may name the line after the last). */
const position = (lines: number): Check => (value) => isObject(value) && int(value.line) && int(value.column) &&
  (value.line as number) >= 1 && (value.column as number) >= 1 && (value.line as number) <= lines + 1 &&
  optional(int)(value.endLine) && optional(int)(value.endColumn) && (value.endLine === undefined || (value.endLine as number) <= lines + 1);

const location = (lines: number): Check => (value) => position(lines)(value) && str((value as { file: unknown }).file);

const diagnostic = (lines: number): Check => (value) => location(lines)(value) && isObject(value) && str(value.ruleId) &&
  oneOf('error', 'warning', 'info')(value.severity) && str(value.message) && optional(str)(value.hint);

function runbookShape(value: Record<string, unknown>): boolean {
  const lines = value.lines;
  if (!int(lines) || !str(value.source)) return false;
  const n = lines as number;
  const fm = value.frontmatter;
  return (fm === undefined || (isObject(fm) && oneOf('ok', 'invalid', 'unclosed')(fm.state) && position(n)(fm.at) &&
      record((p) => isObject(p) && position(n)(p.value) && optional(position(n))(p.key))(fm.pointers))) &&
    list((h) => position(n)(h) && isObject(h) && int(h.depth) && str(h.text) && str(h.slug) && int(h.blocks) && int(h.sectionEndLine))(value.headings) &&
    list((l) => position(n)(l) && isObject(l) && str(l.url) && oneOf('link', 'image', 'definition')(l.kind))(value.links) &&
    list((c) => position(n)(c) && isObject(c) && str(c.value))(value.comments) &&
    list(diagnostic(n))(value.diagnostics);
}

function ruleFileShape(value: Record<string, unknown>): boolean {
  // A rule file's entry does not carry its line count; positions are checked for form only.
  const any = Number.MAX_SAFE_INTEGER;
  const rule: Check = (r) => isObject(r) && str(r.name) && location(any)(r.at) && str(r.group) && str(r.expr) &&
    optional(location(any))(r.exprAt) && optional(str)(r.for) && optional(str)(r.keepFiringFor) &&
    record(str)(r.labels) && record(str)(r.annotations) && record(location(any))(r.labelsAt) && record(location(any))(r.annotationsAt) &&
    location(any)(r.annotationsBlockAt) && oneOf('prometheus', 'prometheus-operator')(r.format) && optional(position(any))(r.span);
  return list(rule)(value.rules) && int(value.recordingRules) && list(diagnostic(any))(value.diagnostics) &&
    optional(list((c) => position(any)(c) && isObject(c) && str(c.value)))(value.comments);
}

/** Whether `value` is a parse result of `file` of the given kind, in every field the checks read. */
export function isParsed(value: unknown, file: string): value is Parsed {
  if (!isObject(value) || value.file !== file) return false;
  if ('headings' in value) return runbookShape(value);
  if ('rules' in value) return ruleFileShape(value);
  return false;
}
