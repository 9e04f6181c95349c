import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Check, Fix } from '../checks/define.ts';
import { IO_ERROR, type Diagnostic, type Position } from '../engine/diagnostic.ts';
import { offeredFixes } from '../engine/lint.ts';
import { readTextFile } from '../text/read-file.ts';
import { MAX_RULE_FILE_BYTES } from '../project/load-project.ts';
import type { Project } from '../project/build-project.ts';
import { alertRuleMaps, readRuleFile } from '../sources/index.ts';
import { writeFileAtomic } from '../text/atomic-write.ts';
import type { PositionMapper } from '../text/positions.ts';
import { parseYaml } from '../text/yaml.ts';

/** Rule id of fixes that were refused because the result would not have been safe. */
const FIX_ERROR = 'fix-error';

/** One rule file's text before and after fixing, and what the edits were about. */
export interface FileFix {
  /** Repo-relative POSIX path. */
  file: string;
  before: string;
  after: string;
  /** For each edit, the value that names the mapping it changed (an alert's name), in file order. */
  changed: string[];
}

/** What `runbooks fix` would do: the files to rewrite and the problems that stop others. */
export interface FixPlan {
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

/** Writes a key as YAML: plain when it reads back as itself. */
function renderKey(key: string): string {
  return /^[A-Za-z_][\w./-]*$/.test(key) && plainIsSafe(key, false) ? key : JSON.stringify(key);
}

/** `k1: {k2: value}` for the keys still to create inside a flow mapping. */
function flowPairs(keys: readonly string[], value: string): string {
  const [key, ...rest] = keys as [string, ...string[]];
  return `${renderKey(key)}: ${rest.length === 0 ? renderScalar(value, Scalar.PLAIN, true) : `{${flowPairs(rest, value)}}`}`;
}

/** The lines `k1:` / `  k2: value` for the keys still to create in block style, the first at `column`, without a final line ending. */
function blockPairs(keys: readonly string[], value: string, column: number, step: number, eol: string): string {
  const [key, ...rest] = keys as [string, ...string[]];
  const pad = ' '.repeat(column);
  return rest.length === 0
    ? `${pad}${renderKey(key)}: ${renderScalar(value, Scalar.PLAIN, false)}`
    : `${pad}${renderKey(key)}:${eol}${blockPairs(rest, value, column + step, step, eol)}`;
}

/** Whole lines inserted on a new line after `end`, ending as the line before them does; `lines` writes them (without a final line ending) given that ending. */
function insertLines(source: string, end: number, lines: (lineEnd: string) => string, eol: string): Edit {
  const at = lineAfter(source, end);
  const lineEnd = eolBefore(source, at, eol);
  // At the end of a file without a final line break, the new lines start with one instead.
  const lead = at === source.length && source.length > 0 && !source.endsWith('\n') ? lineEnd : '';
  return { start: at, end: at, text: lead ? `${lead}${lines(lineEnd)}` : `${lines(lineEnd)}${lineEnd}` };
}

/** How a file is laid out, for the lines a fix adds. */
interface Layout {
  eol: string;
  /** How far the file's rules indent a nested block, for a rule that has none to copy. */
  step: number;
}

type EditResult = { edits: Edit[]; problem?: string };

/** Text edits that set `keys` below `map` to `value`, adding the keys that are missing, or a reason why not. */
function editsToSet(text: string, map: YAMLMap, keys: readonly string[], value: string, layout: Layout): EditResult {
  const [key, ...rest] = keys as [string, ...string[]];
  const existing = entry(map, key);
  const { key: keyColumn, step } = indentation(text, map, layout.step);
  const items = map.items as Pair<Node, Node | null>[];
  const last = items[items.length - 1];
  if (!existing) {
    if (map.flow) {
      if (!last)
        return map.range
          ? { edits: [{ start: map.range[0] + 1, end: map.range[0] + 1, text: flowPairs(keys, value) }] }
          : { edits: [], problem: 'no position' };
      const after = (last.value ?? last.key)?.range?.[1];
      return after === undefined
        ? { edits: [], problem: `the mapping is written in flow style ({...}) and has no ${key}` }
        : { edits: [{ start: after, end: after, text: `, ${flowPairs(keys, value)}` }] };
    }
    if (!last) return { edits: [], problem: 'the mapping is empty' };
    return {
      edits: [
        insertLines(
          text,
          nodeEnd(last.value, last.key?.range?.[2] ?? 0),
          (lineEnd) => blockPairs(keys, value, keyColumn, step, lineEnd),
          layout.eol,
        ),
      ],
    };
  }
  const node = existing.value;
  const keyNode = existing.key as Node;
  if (rest.length > 0) {
    if (node === null || (isScalar(node) && node.value === null && node.range && node.range[0] === node.range[1])) {
      // `annotations:` with nothing under it: give it its first key.
      const column = (keyNode.range ? columnOf(text, keyNode.range[0]) : keyColumn) + step;
      return {
        edits: [insertLines(text, keyNode.range?.[2] ?? 0, (lineEnd) => blockPairs(rest, value, column, step, lineEnd), layout.eol)],
      };
    }
    if (!isMap(node)) return { edits: [], problem: `\`${key}\` is not a mapping` };
    return editsToSet(text, node, rest, value, layout);
  }
  if (isAlias(node)) return { edits: [], problem: `${key} is an alias (*name); change the anchor it points to by hand` };
  if (node !== null && !isScalar(node)) return { edits: [], problem: `${key} is not a plain value` };
  if (plainString(node) === value) return { edits: [] };
  if (node === null || !node.range) return { edits: [], problem: `${key} has no value whose place is known` };
  const [start, end] = node.range;
  if (start === end) {
    // `runbook_url:` with no value: write one after the colon.
    return {
      edits: [{ start, end, text: `${text[start - 1] === ' ' ? '' : ' '}${renderScalar(value, Scalar.PLAIN, map.flow === true)}` }],
    };
  }
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    if (/[\r\n]/.test(value)) return { edits: [], problem: `${key} is a block scalar and the new value has line breaks` };
    // Keep the block header and the content's indentation; a one-line value folds to itself.
    const source = text.slice(start, end);
    const header = source.slice(0, source.indexOf('\n') + 1);
    const indent = /^[ ]*/.exec(source.slice(header.length))?.[0] ?? '';
    const lineEnd = header.endsWith('\r\n') ? '\r\n' : '\n';
    const tail = source.endsWith('\n') ? lineEnd : '';
    return { edits: [{ start, end, text: `${header}${indent}${value}${tail}` }] };
  }
  return { edits: [{ start, end, text: renderScalar(value, node.type, map.flow === true) }] };
}

/** Where a value starts, as `line:column`: how a fix names the mapping it edits. */
function placeKey(at: Position): string {
  return `${at.line}:${at.column}`;
}

/** A mapping a fix can name: the one holding a value, with its path from the document's root. */
interface Target {
  map: YAMLMap;
  /** The value whose start names the mapping. */
  value: Node;
  path: (string | number)[];
  document: number;
}

/** Every mapping of the documents, by where each of its values starts. */
function targets(documents: readonly { doc: { contents: unknown }; positions: PositionMapper }[]): Map<string, Target> {
  const found = new Map<string, Target>();
  const visit = (node: unknown, path: (string | number)[], document: number, positions: PositionMapper): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const value = pair.value as Node | null;
        const key = String(pair.key.value);
        if (value?.range) {
          const place = placeKey(positions.node(value));
          if (!found.has(place)) found.set(place, { map: node, value, path, document });
        }
        visit(value, [...path, key], document, positions);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i], document, positions));
    }
  };
  documents.forEach(({ doc, positions }, i) => visit(doc.contents, [], i, positions));
  return found;
}

/** Sets `keys` below `path` in plain data, creating objects where they are missing: what a fix means for the data. */
function setIn(data: unknown, path: readonly (string | number)[], keys: readonly string[], value: string): void {
  const all = [...path, ...keys];
  let node = data as Record<string | number, unknown>;
  for (const [i, key] of all.entries()) {
    if (i === all.length - 1) node[key] = value;
    else {
      const next = node[key];
      node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string | number, unknown>;
    }
  }
}

/**
 * Applies the fixes checks offer for one rule file to its text, editing only the bytes each one
 * sets. Pure: returns the new text, or the old one and a diagnostic when the file or an edit cannot
 * be fixed safely. A file that does not parse is refused whether or not it has fixes.
 */
export function fixRuleText(
  text: string,
  file: string,
  fixes: readonly Fix[],
): { text: string; changed: string[]; diagnostics: Diagnostic[] } {
  const unchanged = { text, changed: [], diagnostics: [] };
  const parsed = parseYaml(text, file);
  if (parsed.diagnostics.length > 0) {
    return {
      ...unchanged,
      diagnostics: parsed.diagnostics.map((d) => ({
        ...d,
        severity: 'error' as const,
        hint: `${d.hint ?? ''} The file was not fixed.`.trim(),
      })),
    };
  }
  // A rule without nested maps indents a new block as the file's other rules do.
  const rules = parsed.documents.flatMap(({ doc }) => alertRuleMaps(doc.contents as Node | null));
  const layout: Layout = {
    eol: /\r\n/.test(text) ? '\r\n' : '\n',
    step: rules.map(({ map }) => indentation(text, map, 0).step).find((step) => step > 0) ?? 2,
  };
  const byPlace = fixes.length > 0 ? targets(parsed.documents) : new Map<string, Target>();
  const edits: Edit[] = [];
  const changed: string[] = [];
  const diagnostics: Diagnostic[] = [];
  // What the documents must read back as: the data as it was, with each applied fix's value set.
  const expected = fixes.length > 0 ? structuredClone(parsed.documents.map((d) => d.data)) : [];
  for (const fix of fixes) {
    const target = byPlace.get(placeKey(fix.within));
    const name = plainString(target?.value);
    const refuse = (at: Position, problem: string): void => {
      diagnostics.push({
        file,
        line: at.line,
        column: at.column,
        ruleId: FIX_ERROR,
        severity: 'error',
        message: `Cannot fix ${fix.path.join('.')} of ${name === undefined ? `the mapping at line ${fix.within.line}` : `"${name}"`}: ${problem}`,
        hint: `Set it to ${fix.value} by hand.`,
      });
    };
    if (!target || fix.path.length === 0) {
      refuse(fix.within, target ? 'it names no key to set' : 'the file no longer holds it where the check saw it');
      continue;
    }
    const result = editsToSet(text, target.map, fix.path, fix.value, layout);
    const at = parsed.documents[target.document]?.positions.node(target.value) ?? fix.within;
    // Two edits of one place (or two insertions at one offset) would garble it; the second waits for the next run, when the check offers it again.
    const overlaps = result.edits.some((e) => edits.some((o) => (e.start < o.end && o.start < e.end) || e.start === o.start));
    if (result.problem || overlaps) {
      refuse(at, result.problem ?? 'another fix edits the same place');
      continue;
    }
    if (result.edits.length === 0) continue;
    edits.push(...result.edits);
    changed.push(name ?? '');
    setIn(expected[target.document], target.path, fix.path, fix.value);
  }
  if (edits.length === 0) return { ...unchanged, diagnostics };
  let after = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) after = after.slice(0, edit.start) + edit.text + after.slice(edit.end);
  // The edits are small and local, but a YAML corner case must never turn into a broken or different rule file.
  const errors = (found: Diagnostic[]): number => found.filter((d) => d.severity === 'error').length;
  const reread = parseYaml(after, file);
  const problem =
    reread.diagnostics.length > 0 || errors(readRuleFile(after, file).diagnostics) > errors(readRuleFile(text, file).diagnostics)
      ? 'the result would not parse'
      : isDeepStrictEqual(
            reread.documents.map((d) => d.data),
            expected,
          )
        ? undefined
        : 'the result would not read back as the same data with only the fixed values changed';
  if (problem) {
    return {
      ...unchanged,
      diagnostics: [
        ...diagnostics,
        {
          file,
          line: 1,
          column: 1,
          ruleId: FIX_ERROR,
          severity: 'error',
          message: `Cannot fix this file safely: ${problem}`,
          hint: 'Fix this file by hand; please report the file so the fixer can learn it.',
        },
      ],
    };
  }
  return { text: after, changed, diagnostics };
}

/** Reads a rule file exactly as stored: a byte order mark is set apart, not lost. */
async function readExact(absolute: string, file: string): Promise<{ text: string; bom: string } | Diagnostic> {
  // Decoding would put U+FFFD in place of bytes that are not UTF-8, and writing back would change them: refused.
  const read = readTextFile(absolute, file, {
    maxBytes: MAX_RULE_FILE_BYTES,
    refuseNotUtf8: {
      ruleId: FIX_ERROR,
      consequence: 'It was not fixed: only UTF-8 files are edited, so that every other byte stays as it is',
    },
  });
  if (read.diagnostic) return read.diagnostic.ruleId === FIX_ERROR ? read.diagnostic : { ...read.diagnostic, hint: 'It was not fixed.' };
  return { text: read.text, bom: read.bom ? '\uFEFF' : '' };
}

/** Works out, without writing anything, how `runbooks fix` would change every rule file of the project: the edits its checks offer (offeredFixes). */
export async function planFixes(project: Project, checks?: readonly Check[]): Promise<FixPlan> {
  const plan: FixPlan = { fixes: [], diagnostics: [] };
  const byFile = new Map<string, Fix[]>();
  for (const { fix } of offeredFixes(project, checks)) {
    const list = byFile.get(fix.within.file);
    if (list) list.push(fix);
    else byFile.set(fix.within.file, [fix]);
  }
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
      plan.diagnostics.push({
        file: ruleFile.file,
        line: 1,
        column: 1,
        ruleId: FIX_ERROR,
        severity: 'error',
        message: 'The file mixes lone CR line endings with LF ones; it was not fixed',
        hint: 'Give the file one kind of line ending (e.g. `dos2unix`), then run `runbooks fix` again.',
      });
      continue;
    }
    const text = loneCr ? read.text.replaceAll('\r', '\n') : read.text;
    const result = fixRuleText(text, ruleFile.file, byFile.get(ruleFile.file) ?? []);
    plan.diagnostics.push(...result.diagnostics);
    const after = loneCr ? result.text.replaceAll('\n', '\r') : result.text;
    if (after !== read.text)
      plan.fixes.push({ file: ruleFile.file, before: read.bom + read.text, after: read.bom + after, changed: result.changed });
  }
  return plan;
}

/** A unified diff of one fix, with `a/` and `b/` file headers as `git apply` and `patch -p1` take them. */
export function unifiedDiff(fix: FileFix): string {
  return createTwoFilesPatch(`a/${fix.file}`, `b/${fix.file}`, fix.before, fix.after, undefined, undefined, {
    context: 3,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  });
}

/** Writes every fix of a plan; returns a diagnostic for each file that could not be written. */
export async function applyFixes(root: string, plan: FixPlan): Promise<Diagnostic[]> {
  const problems: Diagnostic[] = [];
  for (const fix of plan.fixes) {
    try {
      await writeFileAtomic(path.join(root, fix.file), fix.after, fix.before);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      problems.push({
        file: fix.file,
        line: 1,
        column: 1,
        ruleId: IO_ERROR,
        severity: 'error',
        message:
          code === 'ECHANGED' ? 'The file changed while it was being fixed; it was left as it is' : `Cannot write the file (${code})`,
        hint: code === 'ECHANGED' ? 'Run `runbooks fix` again.' : 'Check that the file and its folder are writable.',
      });
    }
  }
  return problems;
}
