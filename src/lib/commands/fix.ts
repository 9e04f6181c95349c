import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { isAlias, isMap, isPair, isScalar, parseDocument, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Config } from '../config/config.ts';
import { checks } from '../checks/index.ts';
import { checkOptions } from '../checks/options.ts';
import runbookUrlCheck from '../checks/runbook-url.ts';
import { IO_ERROR, type Diagnostic, type Position } from '../engine/diagnostic.ts';
import { readTextFile } from '../text/read-file.ts';
import { MAX_RULE_FILE_BYTES } from '../project/load-project.ts';
import type { AlertRule } from '../project/model.ts';
import type { Project } from '../project/build-project.ts';
import { alertRuleMaps, readRuleFile } from '../sources/index.ts';
import { writeFileAtomic } from '../text/atomic-write.ts';
import { applySuppressions } from '../engine/suppressions.ts';
import { sameUrl, splitFragment } from '../config/runbook-url-pattern.ts';
import { parseYaml } from '../text/yaml.ts';

/** Rule id of fixes that were refused because the result would not have been safe. */
const FIX_ERROR = 'fix-error';

/** One rule file's text before and after fixing, and the alerts whose links changed. */
export interface FileFix {
  /** Repo-relative POSIX path. */
  file: string;
  before: string;
  after: string;
  /** Alert names whose annotation was written or corrected, once per rule. */
  changed: string[];
}

/** What `runbooks fix` would do: the files to rewrite and the problems that stop others. */
export interface FixPlan {
  annotation: string;
  fixes: FileFix[];
  /** Rule files that could not be fixed (parse errors, unsafe edits), as diagnostics. */
  diagnostics: Diagnostic[];
}

/** One replacement of the byte range [start, end) of a text. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The annotation `runbooks fix` writes: the runbook-url check's `annotation` option, default `runbook_url`. */
function fixAnnotation(config: Config): string {
  return String(checkOptions(config, runbookUrlCheck).annotation);
}

/**
 * The value an annotation should hold, or undefined when it is right already. A query string
 * (label values such as `?instance={{ $labels.instance }}`) is kept: only the page is the
 * runbook's, the rest is the author's. So is a fragment, unless the expected URL has its own (the
 * alert's section, runbookUrl with {anchor}): then that one replaces it, exactly once, so a second
 * run changes nothing.
 */
export function correctedUrl(current: string | undefined, expected: string): string | undefined {
  if (current === undefined || current.trim() === '') return expected;
  const { page, fragment } = splitFragment(current);
  const wanted = splitFragment(expected);
  const hash = current.indexOf('#');
  const query = current.slice(page.length, hash === -1 ? undefined : hash);
  if (wanted.fragment === undefined) {
    if (sameUrl(page, expected)) return undefined;
    return expected + current.slice(page.length);
  }
  if (sameUrl(page, wanted.page) && fragment === wanted.fragment) return undefined;
  return `${expected.slice(0, expected.indexOf('#'))}${query}${expected.slice(expected.indexOf('#'))}`;
}

function entry(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  for (const pair of map.items) if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return pair as Pair<Node, Node | null>;
  return undefined;
}

function plainString(node: Node | null | undefined): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/** Whether `value` reads back as the same string when written plain after `key: ` (or inside `{}`). */
function plainIsSafe(value: string, flow: boolean): boolean {
  if (value === '' || /[\r\n]/.test(value) || value.trim() !== value) return false;
  const probe = parseDocument(flow ? `{k: ${value}}` : `k: ${value}`);
  if (probe.errors.length > 0) return false;
  const data = probe.toJS() as unknown;
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>).k === value;
}

/** Writes a string as a YAML scalar, in the style the file already used where that style can hold it. */
function renderScalar(value: string, style: Scalar['type'], flow: boolean): string {
  if (style === Scalar.QUOTE_SINGLE && !/[\r\n]/.test(value)) return `'${value.replaceAll("'", "''")}'`;
  if (style !== Scalar.QUOTE_DOUBLE && plainIsSafe(value, flow)) return value;
  // JSON's string escapes are a subset of YAML's double-quoted ones.
  return JSON.stringify(value);
}

/** Offset of the first character of the line that holds `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Column (0-based) of `offset` within its line. */
function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The offset where a new line can go after the node that ends at `end` (past its line's comment). */
function lineAfter(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const newline = text.indexOf('\n', end);
  return newline === -1 ? text.length : newline + 1;
}

/** The line ending of the line before `offset`, or the file's usual one. */
function eolBefore(text: string, offset: number, fallback: string): string {
  if (offset > 0 && text[offset - 1] === '\n') return text[offset - 2] === '\r' ? '\r\n' : '\n';
  return fallback;
}

function nodeEnd(node: Node | null | undefined, fallback: number): number {
  const range = node?.range;
  return range ? range[2] : fallback;
}

/** Where a rule map's keys start, and how far its nested maps indent theirs (`fallback` when it has none). */
function indentation(text: string, rule: YAMLMap, fallback = 2): { key: number; step: number } {
  const first = rule.items[0];
  const key = isPair(first) && (first.key as Node | null)?.range ? columnOf(text, (first.key as Node).range![0]) : 0;
  for (const pair of rule.items) {
    const value = isPair(pair) ? (pair.value as Node | null) : null;
    if (isMap(value) && !value.flow) {
      const inner = value.items[0];
      const innerKey = isPair(inner) ? (inner.key as Node | null) : null;
      if (innerKey?.range) {
        const step = columnOf(text, innerKey.range[0]) - key;
        if (step > 0) return { key, step };
      }
    }
  }
  return { key, step: fallback };
}

/** Text edits that give one rule map the right annotation value, or a reason why not. */
function editsForRule(text: string, rule: YAMLMap, annotation: string, expected: string, eol: string, fileStep: number): { edits: Edit[]; problem?: string } {
  const annotations = entry(rule, 'annotations');
  const { key: keyColumn, step } = indentation(text, rule, fileStep);
  if (!annotations) {
    if (rule.flow) {
      const last = rule.items[rule.items.length - 1] as Pair<Node, Node | null> | undefined;
      if (!last?.value?.range) return { edits: [], problem: 'the rule is written in flow style ({...}) and has no annotations' };
      return { edits: [{ start: last.value.range[1], end: last.value.range[1], text: `, annotations: {${annotation}: ${renderScalar(expected, Scalar.PLAIN, true)}}` }] };
    }
    const last = rule.items[rule.items.length - 1] as Pair<Node, Node | null> | undefined;
    if (!last) return { edits: [], problem: 'the rule is empty' };
    const at = lineAfter(text, nodeEnd(last.value, (last.key as Node).range?.[2] ?? 0));
    const lineEnd = eolBefore(text, at, eol);
    const lead = at === text.length && text.length > 0 && !text.endsWith('\n') ? lineEnd : '';
    const pad = ' '.repeat(keyColumn);
    return { edits: [{ start: at, end: at,
      text: `${lead}${pad}annotations:${lineEnd}${pad}${' '.repeat(step)}${annotation}: ${renderScalar(expected, Scalar.PLAIN, false)}${lead ? '' : lineEnd}` }] };
  }
  const block = annotations.value;
  if (block === null || (isScalar(block) && block.value === null && block.range && block.range[0] === block.range[1])) {
    // `annotations:` with nothing under it: give it its first key.
    const keyNode = annotations.key as Node;
    const at = lineAfter(text, keyNode.range?.[2] ?? 0);
    const lineEnd = eolBefore(text, at, eol);
    const lead = at === text.length && !text.endsWith('\n') ? lineEnd : '';
    return { edits: [{ start: at, end: at,
      text: `${lead}${' '.repeat(keyColumn + step)}${annotation}: ${renderScalar(expected, Scalar.PLAIN, false)}${lead ? '' : lineEnd}` }] };
  }
  if (!isMap(block)) return { edits: [], problem: '`annotations` is not a mapping' };
  const existing = entry(block, annotation);
  if (existing) {
    const value = existing.value;
    if (isAlias(value)) return { edits: [], problem: `${annotation} is an alias (*name); change the anchor it points to by hand` };
    if (value !== null && !isScalar(value)) return { edits: [], problem: `${annotation} is not a plain value` };
    const current = plainString(value);
    const wanted = correctedUrl(current, expected);
    if (wanted === undefined) return { edits: [] };
    if (value === null || !value.range) return { edits: [], problem: `${annotation} has no value whose place is known` };
    if (value.range[0] === value.range[1]) {
      // `runbook_url:` with no value: write one after the colon.
      const at = value.range[0];
      return { edits: [{ start: at, end: at, text: `${text[at - 1] === ' ' ? '' : ' '}${renderScalar(wanted, Scalar.PLAIN, block.flow === true)}` }] };
    }
    const [start, end] = value.range;
    if (value.type === Scalar.BLOCK_LITERAL || value.type === Scalar.BLOCK_FOLDED) {
      // Keep the block header and the content's indentation; a URL is one line, so folding cannot change it.
      const source = text.slice(start, end);
      const header = source.slice(0, source.indexOf('\n') + 1);
      const indent = /^[ ]*/.exec(source.slice(header.length))?.[0] ?? '';
      const lineEnd = header.endsWith('\r\n') ? '\r\n' : '\n';
      const tail = source.endsWith('\n') ? lineEnd : '';
      return { edits: [{ start, end, text: `${header}${indent}${wanted}${tail}` }] };
    }
    return { edits: [{ start, end, text: renderScalar(wanted, value.type, block.flow === true) }] };
  }
  if (block.flow) {
    const last = block.items[block.items.length - 1] as Pair<Node, Node | null> | undefined;
    const pair = `${annotation}: ${renderScalar(expected, Scalar.PLAIN, true)}`;
    if (!last) return block.range ? { edits: [{ start: block.range[0] + 1, end: block.range[0] + 1, text: pair }] } : { edits: [], problem: 'no position' };
    const after = (last.value ?? last.key).range?.[1];
    return after === undefined ? { edits: [], problem: 'no position' } : { edits: [{ start: after, end: after, text: `, ${pair}` }] };
  }
  const first = block.items[0] as Pair<Node, Node | null> | undefined;
  const last = block.items[block.items.length - 1] as Pair<Node, Node | null> | undefined;
  const firstKey = first?.key;
  if (!first || !last || !firstKey?.range) return { edits: [], problem: '`annotations` has no keys to align with' };
  const at = lineAfter(text, nodeEnd(last.value, last.key.range?.[2] ?? 0));
  const lineEnd = eolBefore(text, at, eol);
  const lead = at === text.length && !text.endsWith('\n') ? lineEnd : '';
  return { edits: [{ start: at, end: at,
    text: `${lead}${' '.repeat(columnOf(text, firstKey.range[0]))}${annotation}: ${renderScalar(expected, Scalar.PLAIN, false)}${lead ? '' : lineEnd}` }] };
}


function sameRecord(a: Record<string, string>, b: Record<string, string>, skip?: string): boolean {
  const keys = (r: Record<string, string>): string[] => Object.keys(r).filter((k) => k !== skip);
  const ka = keys(a);
  return ka.length === keys(b).length && ka.every((k, i) => keys(b)[i] === k && a[k] === b[k]);
}

/** Whether the fixed text holds the same rules as the original, with only the annotation changed as wanted. */
function verify(before: AlertRule[], after: AlertRule[], annotation: string, wanted: Map<number, string>): string | undefined {
  if (before.length !== after.length) return `the fixed file has ${after.length} alerting rules instead of ${before.length}`;
  for (const [i, rule] of before.entries()) {
    const fixed = after[i] as AlertRule;
    const same = fixed.name === rule.name && fixed.expr === rule.expr && fixed.for === rule.for &&
      sameRecord(rule.labels, fixed.labels) && sameRecord(rule.annotations, fixed.annotations, annotation);
    const value = wanted.get(i) ?? rule.annotations[annotation];
    if (!same || fixed.annotations[annotation] !== value) return `alert "${rule.name}" would not read back as written`;
  }
  return undefined;
}

/**
 * Corrects the annotation of every alert in one rule file's text for which `urlFor` knows a URL,
 * by editing only the bytes of that annotation. Pure: returns the new text, or the old one and a
 * diagnostic when the file cannot be fixed safely.
 */
export function fixRuleText(text: string, file: string, urlFor: (alert: string, at: Position) => string | undefined, annotation: string): { text: string; changed: string[]; diagnostics: Diagnostic[] } {
  const unchanged = { text, changed: [], diagnostics: [] };
  const parsed = parseYaml(text, file);
  if (parsed.diagnostics.length > 0) {
    return { ...unchanged, diagnostics: parsed.diagnostics.map((d) => ({ ...d, severity: 'error' as const, hint: `${d.hint ?? ''} The file was not fixed.`.trim() })) };
  }
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const edits: Edit[] = [];
  const changed: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const wanted = new Map<number, string>();
  let index = 0;
  const rulesByDocument = parsed.documents.map(({ doc, positions }) => ({ positions, rules: alertRuleMaps(doc.contents as Node | null) }));
  // A rule without nested maps indents a new block as the file's other rules do.
  const fileStep = rulesByDocument.flatMap((d) => d.rules).map(({ map }) => indentation(text, map, 0).step).find((step) => step > 0) ?? 2;
  for (const { positions, rules } of rulesByDocument) {
    for (const { map: rule, nameKey } of rules) {
      const ruleIndex = index++;
      const nameNode = entry(rule, nameKey)?.value;
      const name = plainString(nameNode) as string;
      const expected = urlFor(name, positions.node(nameNode));
      if (!expected) continue;
      const result = editsForRule(text, rule, annotation, expected, eol, fileStep);
      if (result.problem) {
        diagnostics.push({ file, ...positions.node(nameNode), ruleId: FIX_ERROR, severity: 'error',
          message: `Cannot fix ${annotation} of alert "${name}": ${result.problem}`, hint: `Set it to ${expected} by hand.` });
        continue;
      }
      if (result.edits.length === 0) continue;
      const annotations = entry(rule, 'annotations')?.value;
      const current = isMap(annotations) ? plainString(entry(annotations, annotation)?.value) : undefined;
      wanted.set(ruleIndex, correctedUrl(current, expected) as string);
      edits.push(...result.edits);
      changed.push(name);
    }
  }
  if (edits.length === 0) return { ...unchanged, diagnostics };
  let after = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) after = after.slice(0, edit.start) + edit.text + after.slice(edit.end);
  // The edits are small and local, but a YAML corner case must never turn into a broken or different rule file.
  const original = readRuleFile(text, file);
  const fixed = readRuleFile(after, file);
  const errors = (diagnostics: Diagnostic[]): number => diagnostics.filter((d) => d.severity === 'error').length;
  const problem = errors(fixed.diagnostics) > errors(original.diagnostics) ? 'the result would not parse' : verify(original.rules, fixed.rules, annotation, wanted);
  if (problem) {
    return { ...unchanged, diagnostics: [...diagnostics, { file, line: 1, column: 1, ruleId: FIX_ERROR, severity: 'error',
      message: `Cannot fix ${annotation} annotations safely: ${problem}`, hint: 'Fix this file by hand; please report the file so the fixer can learn it.' }] };
  }
  return { text: after, changed, diagnostics };
}

/** Reads a rule file exactly as stored: a byte order mark is set apart, not lost. */
async function readExact(absolute: string, file: string): Promise<{ text: string; bom: string } | Diagnostic> {
  // Decoding would put U+FFFD in place of bytes that are not UTF-8, and writing back would change them: refused.
  const read = readTextFile(absolute, file, { maxBytes: MAX_RULE_FILE_BYTES,
    refuseNotUtf8: { ruleId: FIX_ERROR, consequence: 'It was not fixed: only UTF-8 files are edited, so that every other byte stays as it is' } });
  if (read.diagnostic) return read.diagnostic.ruleId === FIX_ERROR ? read.diagnostic : { ...read.diagnostic, hint: 'It was not fixed.' };
  return { text: read.text, bom: read.bom ? '\uFEFF' : '' };
}

/**
 * Rules whose runbook-url finding a `# runbooks-disable-next-line runbook-url -- reason` comment
 * excuses, as `name@line:column` of the alert name: an author who said why a link differs keeps it.
 */
function suppressedRules(project: Project, annotation: string): Set<string> {
  const probes = new Map<Diagnostic, AlertRule>();
  for (const rule of project.ruleFiles.flatMap((f) => f.rules)) {
    const at = rule.annotationsAt[annotation] ?? rule.annotationsBlockAt;
    probes.set({ ...at, ruleId: 'runbook-url', severity: 'error', message: '' }, rule);
  }
  const ids = new Set(checks.map((c) => c.id));
  const { suppressed } = applySuppressions(project, [...probes.keys()], { known: ids, enabled: ids });
  const names = new Set<string>();
  for (const { diagnostic } of suppressed) {
    const rule = probes.get(diagnostic);
    if (rule) names.add(`${rule.name}@${rule.at.line}:${rule.at.column}`);
  }
  return names;
}

/** Works out, without writing anything, how `runbooks fix` would change every rule file of the project. */
export async function planFixes(project: Project, annotation = fixAnnotation(project.config)): Promise<FixPlan> {
  const plan: FixPlan = { annotation, fixes: [], diagnostics: [] };
  const excused = suppressedRules(project, annotation);
  const urlFor = (name: string, at: Position): string | undefined => excused.has(`${name}@${at.line}:${at.column}`) ? undefined : project.runbookUrlFor(name);
  for (const ruleFile of project.ruleFiles) {
    // A server's rules are fixed where they come from: the rule files it loads.
    if (ruleFile.server) continue;
    const readProblem = ruleFile.diagnostics.find((d) => d.ruleId === IO_ERROR);
    if (readProblem) {
      plan.diagnostics.push(readProblem);
      continue;
    }
    const read = await readExact(path.join(project.config.root, ruleFile.file), ruleFile.file);
    if ('ruleId' in read) {
      plan.diagnostics.push(read);
      continue;
    }
    // The edits are computed on LF lines; a file of CR-only lines is edited as LF and turned back, one
    // character for one, so every byte outside the edits stays. Lone CRs among LFs are refused.
    const loneCr = /\r(?!\n)/.test(read.text);
    if (loneCr && read.text.includes('\n')) {
      plan.diagnostics.push({ file: ruleFile.file, line: 1, column: 1, ruleId: FIX_ERROR, severity: 'error',
        message: 'The file mixes lone CR line endings with LF ones; it was not fixed',
        hint: 'Give the file one kind of line ending (e.g. `dos2unix`), then run `runbooks fix` again.' });
      continue;
    }
    const text = loneCr ? read.text.replaceAll('\r', '\n') : read.text;
    const result = fixRuleText(text, ruleFile.file, urlFor, annotation);
    plan.diagnostics.push(...result.diagnostics);
    const after = loneCr ? result.text.replaceAll('\n', '\r') : result.text;
    if (after !== read.text) plan.fixes.push({ file: ruleFile.file, before: read.bom + read.text, after: read.bom + after, changed: result.changed });
  }
  return plan;
}

/** A unified diff of one fix, with `a/` and `b/` file headers as `git apply` and `patch -p1` take them. */
export function unifiedDiff(fix: FileFix): string {
  return createTwoFilesPatch(`a/${fix.file}`, `b/${fix.file}`, fix.before, fix.after, undefined, undefined,
    { context: 3, headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true } });
}

/** Writes every fix of a plan; returns a diagnostic for each file that could not be written. */
export async function applyFixes(root: string, plan: FixPlan): Promise<Diagnostic[]> {
  const problems: Diagnostic[] = [];
  for (const fix of plan.fixes) {
    try {
      await writeFileAtomic(path.join(root, fix.file), fix.after, fix.before);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      problems.push({ file: fix.file, line: 1, column: 1, ruleId: IO_ERROR, severity: 'error',
        message: code === 'ECHANGED' ? 'The file changed while it was being fixed; it was left as it is' : `Cannot write the file (${code})`,
        hint: code === 'ECHANGED' ? 'Run `runbooks fix` again.' : 'Check that the file and its folder are writable.' });
    }
  }
  return problems;
}
