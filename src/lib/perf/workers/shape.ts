import type { Parsed } from './encoding.ts';

/*
 * What a parse result must look like, checked on every entry read from the cache: a cache file is
 * outside the tool's control (another version, an editor, a disk), and an entry of the wrong shape
 * must be a miss, never a TypeError in a check or a finding at a line the file does not have.
 */

// Plain functions and loops, no closures per entry: this runs on every entry a warm run reads
// (10,000 runbooks), and must cost a fraction of the JSON.parse before it.
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isStr = (value: unknown): value is string => typeof value === 'string';
const SEVERITIES = new Set(['error', 'warning', 'info']);
const STATES = new Set(['ok', 'invalid', 'unclosed']);
const LINK_KINDS = new Set(['link', 'image', 'definition']);
const FORMATS = new Set(['prometheus', 'prometheus-operator']);
const FOOTNOTE_KINDS = new Set(['reference', 'definition', 'missing']);
const CONSTRUCTS = new Set(['hugo-shortcode', 'jinja', 'mdx-import', 'jsx']);

/** A position inside a file of `lines` lines (a position may name the line after the last). */
function isPosition(value: unknown, lines: number): boolean {
  if (!isObject(value)) return false;
  const { line, column, endLine, endColumn } = value;
  return (
    isInt(line) &&
    isInt(column) &&
    line >= 1 &&
    column >= 1 &&
    line <= lines + 1 &&
    (endLine === undefined || (isInt(endLine) && endLine <= lines + 1)) &&
    (endColumn === undefined || isInt(endColumn))
  );
}

const isLocation = (value: unknown, lines: number): boolean => isPosition(value, lines) && isStr((value as { file?: unknown }).file);

function isDiagnostic(value: unknown, lines: number): boolean {
  if (!isLocation(value, lines)) return false;
  const d = value as Record<string, unknown>;
  return isStr(d.ruleId) && SEVERITIES.has(d.severity as string) && isStr(d.message) && (d.hint === undefined || isStr(d.hint));
}

function every(value: unknown, check: (item: unknown, lines: number) => boolean, lines: number): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!check(item, lines)) return false;
  return true;
}

function isHeading(h: unknown, lines: number): boolean {
  if (!isPosition(h, lines)) return false;
  const o = h as Record<string, unknown>;
  return isInt(o.depth) && isStr(o.text) && isStr(o.slug) && isInt(o.blocks) && isInt(o.sectionEndLine);
}

function isLink(l: unknown, lines: number): boolean {
  return isPosition(l, lines) && isStr((l as Record<string, unknown>).url) && LINK_KINDS.has((l as Record<string, unknown>).kind as string);
}

const isComment = (c: unknown, lines: number): boolean => isPosition(c, lines) && isStr((c as Record<string, unknown>).value);

function isFootnote(f: unknown, lines: number): boolean {
  return (
    isPosition(f, lines) && isStr((f as Record<string, unknown>).label) && FOOTNOTE_KINDS.has((f as Record<string, unknown>).kind as string)
  );
}

function isForeign(f: unknown, lines: number): boolean {
  if (!isPosition(f, lines)) return false;
  const o = f as Record<string, unknown>;
  return (
    CONSTRUCTS.has(o.construct as string) &&
    isStr(o.text) &&
    (o.name === undefined || isStr(o.name)) &&
    (o.linkText === undefined || isStr(o.linkText))
  );
}

function isPointerSpan(p: unknown, lines: number): boolean {
  return isObject(p) && isPosition(p.value, lines) && (p.key === undefined || isPosition(p.key, lines));
}

/** A runbook's core (see encoding.ts): what every run reads. */
function runbookCoreShape(value: Record<string, unknown>): boolean {
  const lines = value.lines;
  if (!isInt(lines)) return false;
  const fm = value.frontmatter;
  if (fm !== undefined) {
    if (!isObject(fm) || !STATES.has(fm.state as string) || !isPosition(fm.at, lines) || !isObject(fm.pointers)) return false;
    for (const span of Object.values(fm.pointers)) if (!isPointerSpan(span, lines)) return false;
  }
  return every(value.comments, isComment, lines) && every(value.diagnostics, isDiagnostic, lines);
}

/** Whether `value` is a runbook's rest (see encoding.ts) in a file of `lines` lines. No source: the cache left out a source that is the file's text. */
export function isRunbookRest(value: unknown, lines: number): boolean {
  return (
    isObject(value) &&
    (value.source === undefined || isStr(value.source)) &&
    every(value.headings, isHeading, lines) &&
    every(value.links, isLink, lines) &&
    every(value.footnotes, isFootnote, lines) &&
    every(value.html, isComment, lines) &&
    every(value.foreign, isForeign, lines)
  );
}

function allValues(map: unknown, check: (item: unknown, lines: number) => boolean, lines: number): boolean {
  if (!isObject(map)) return false;
  for (const item of Object.values(map)) if (!check(item, lines)) return false;
  return true;
}

function isRuleCore(r: unknown, lines: number): boolean {
  if (!isObject(r)) return false;
  return (
    isStr(r.name) &&
    isStr(r.group) &&
    (r.for === undefined || isStr(r.for)) &&
    (r.keepFiringFor === undefined || isStr(r.keepFiringFor)) &&
    allValues(r.labels, isStr, lines) &&
    allValues(r.annotations, isStr, lines) &&
    FORMATS.has(r.format as string)
  );
}

function isRuleRest(r: unknown, lines: number): boolean {
  if (!isObject(r)) return false;
  return (
    isLocation(r.at, lines) &&
    isStr(r.expr) &&
    (r.exprAt === undefined || isLocation(r.exprAt, lines)) &&
    allValues(r.labelsAt, isLocation, lines) &&
    allValues(r.annotationsAt, isLocation, lines) &&
    isLocation(r.annotationsBlockAt, lines) &&
    (r.span === undefined || isPosition(r.span, lines))
  );
}

// A rule file's entry does not carry its line count; its positions are checked for form only.
const ANY_LINES = Number.MAX_SAFE_INTEGER;

function ruleFileCoreShape(value: Record<string, unknown>): boolean {
  return (
    every(value.rules, isRuleCore, ANY_LINES) &&
    isInt(value.recordingRules) &&
    every(value.diagnostics, isDiagnostic, ANY_LINES) &&
    (value.comments === undefined || every(value.comments, isComment, ANY_LINES))
  );
}

/** Whether `value` is the rest of a rule file of `rules` rules: an object per rule (see encoding.ts). */
export function isRuleFileRest(value: unknown, rules: number): boolean {
  return Array.isArray(value) && value.length === rules && every(value, isRuleRest, ANY_LINES);
}

const isRelated = (r: unknown): boolean => isLocation(r, ANY_LINES) && isStr((r as Record<string, unknown>).message);

function isFix(fix: unknown): boolean {
  if (!isObject(fix) || !isLocation(fix.within, ANY_LINES) || !isStr(fix.value) || !Array.isArray(fix.path)) return false;
  for (const key of fix.path) if (!isStr(key)) return false;
  return true;
}

/** A check's report (checks/define.ts), in every field the engine and the reporters read; its line is checked against the runbook's by the engine. */
function isReport(report: unknown): boolean {
  return (
    isObject(report) &&
    isStr(report.message) &&
    isStr(report.key) &&
    isLocation(report.at, ANY_LINES) &&
    (report.hint === undefined || isStr(report.hint)) &&
    (report.severity === undefined || SEVERITIES.has(report.severity as string)) &&
    (report.related === undefined || every(report.related, isRelated, ANY_LINES)) &&
    (report.fix === undefined || isFix(report.fix))
  );
}

/**
 * Whether `value` is what the cache keeps of a runbook's findings (engine/each-runbook.ts): check
 * id → reports, each with a place and its text, and the other files read, each a kind, a path and
 * what it was (a hash, null, or whether it existed).
 */
export function isFindings(value: unknown): value is { found: Record<string, unknown[]>; uses: unknown[] } {
  if (!isObject(value) || !isObject(value.found) || !Array.isArray(value.uses)) return false;
  for (const reports of Object.values(value.found)) {
    if (!Array.isArray(reports)) return false;
    for (const report of reports) if (!isReport(report)) return false;
  }
  for (const use of value.uses) {
    if (!Array.isArray(use) || use.length !== 3 || !isStr(use[1])) return false;
    const [kind, , was] = use;
    if (!(kind === 'runbook' ? was === null || isStr(was) : kind === 'file' && typeof was === 'boolean')) return false;
  }
  return true;
}

/** Whether `value` is the core of a parse result of `file` (see encoding.ts), in every field the checks read. */
export function isParsedCore(value: unknown, file: string): value is Parsed {
  if (!isObject(value) || value.file !== file) return false;
  return 'rules' in value ? ruleFileCoreShape(value) : runbookCoreShape(value);
}
