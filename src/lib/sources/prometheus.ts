import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node, type YAMLMap } from 'yaml';
import { PARSE_ERROR, type Diagnostic, type Location } from '../diagnostic.ts';
import type { AlertRule, RuleFile } from '../model.ts';
import type { PositionMapper } from '../positions.ts';
import { yamlComments } from '../yaml-comments.ts';
import { parseYaml } from '../yaml.ts';

/** The document being read: aliases (`*name`) resolve against it. */
let current: Document | undefined;

/** The node an alias stands for (the anchored node), or the node itself. */
function deref(node: Node | null | undefined): Node | null | undefined {
  if (!isAlias(node) || !current) return node;
  const target = node.resolve(current) as Node | undefined;
  return isAlias(target) ? undefined : target;
}

/**
 * The key/value pairs of a map as Prometheus (Go's yaml.v3) reads them: aliases resolved, and
 * merge keys (`<<: *base`, `<<: [*a, *b]`) expanded, a map's own keys winning over merged ones.
 */
function pairsOf(node: Node | null | undefined, depth = 0): { name: string; key: Node; value: Node | null }[] {
  const map = deref(node);
  if (!isMap(map) || depth > 10) return [];
  const merged: { name: string; key: Node; value: Node | null }[] = [];
  const own: { name: string; key: Node; value: Node | null }[] = [];
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const name = scalarString(pair.key) ?? '';
    const value = pair.value as Node | null;
    if (name === '<<' && pair.key.type === Scalar.PLAIN) {
      const sources = deref(value);
      for (const source of isSeq(sources) ? sources.items : [sources]) merged.push(...pairsOf(source as Node, depth + 1));
    } else {
      own.push({ name, key: pair.key, value: deref(value) ?? null });
    }
  }
  if (merged.length === 0) return own;
  const names = new Set(own.map((p) => p.name));
  const kept = new Map<string, { name: string; key: Node; value: Node | null }>();
  for (const pair of merged) if (!names.has(pair.name) && !kept.has(pair.name)) kept.set(pair.name, pair);
  return [...kept.values(), ...own];
}

/** The value node of `key` in a YAML map (aliases and merge keys followed), and the key node itself. */
function entry(map: Node | null | undefined, key: string): { key: Node; value: Node | null } | undefined {
  return pairsOf(map).find((pair) => pair.name === key);
}

/**
 * A scalar as the string Prometheus keeps: Go decodes a rule's fields into strings, so `.nan`,
 * `1e3` or `0x10` stay as written, where a YAML 1.2 reader would make them numbers.
 */
function scalarString(node: Node | null | undefined): string | undefined {
  const scalar = deref(node);
  if (!isScalar(scalar) || scalar.value === null || scalar.value === undefined) return undefined;
  if (typeof scalar.value !== 'string' && scalar.type === Scalar.PLAIN && typeof scalar.source === 'string') return scalar.source;
  return String(scalar.value);
}

/** Lines that only a Go template (Helm, Jsonnet output is plain YAML) would have. */
const TEMPLATE_LINE = /^\s*\{\{-?\s*(if|else|end|range|with|define|template|include|toYaml|\/\*|\.Values|\.Release|\$)|\{\{-?\s*\.(Values|Release|Chart|Capabilities)\b|\{\{-?\s*(include|template|toYaml|tpl)\b/;

/** The index of the first line that looks like a Go template, outside block scalars (`|`, `>`), whose text may be anything. */
function templateLine(lines: readonly string[]): number {
  let blockIndent = -1;
  for (const [index, line] of lines.entries()) {
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (TEMPLATE_LINE.test(line)) return index;
    if (/(?:^|[\s:-])[|>][-+0-9]*(?:\s+#.*)?$/.test(line.trimEnd())) blockIndent = indent;
  }
  return -1;
}

function templateDiagnostic(text: string, file: string): Diagnostic | undefined {
  const lines = text.split('\n');
  const index = templateLine(lines);
  if (index < 0) return undefined;
  const column = (lines[index] ?? '').indexOf('{{') + 1;
  return {
    file,
    line: index + 1,
    column: Math.max(column, 1),
    ruleId: PARSE_ERROR,
    severity: 'error',
    message: 'This rule file is a template (Helm or Go template syntax), not YAML',
    hint: 'Render it first, e.g. `helm template <release> <chart> > rendered.yaml`, and point `rules` at the rendered file.',
  };
}

function stringMap(node: Node | null | undefined, file: string, positions: PositionMapper): { values: Record<string, string>; at: Record<string, Location> } {
  // No prototype: a label named `constructor` or `__proto__` is an ordinary key (see encoding.ts's revive).
  const values: Record<string, string> = Object.create(null);
  const at: Record<string, Location> = Object.create(null);
  for (const { name, key, value } of pairsOf(node)) {
    values[name] = scalarString(value) ?? '';
    at[name] = { file, ...positions.node(value ?? key) };
  }
  return { values, at };
}

/** Reads the rules of one group list (`groups:`), alerting and recording. */
function readGroups(groupsNode: Node | null, file: string, positions: PositionMapper, format: AlertRule['format'], out: RuleFile): void {
  if (!isSeq(groupsNode)) {
    out.diagnostics.push({ file, ...positions.node(groupsNode), ruleId: PARSE_ERROR, severity: 'error',
      message: '`groups` must be a list of rule groups', hint: 'Write `groups:` followed by items like `- name: my-group` with a `rules:` list.' });
    return;
  }
  for (const groupItem of groupsNode.items) {
    const group = deref(groupItem as Node);
    if (!isMap(group)) continue;
    const groupName = scalarString(entry(group, 'name')?.value) ?? '';
    const rules = entry(group, 'rules')?.value;
    if (!isSeq(rules)) continue;
    for (const ruleItem of rules.items) {
      const ruleNode = deref(ruleItem as Node);
      if (!isMap(ruleNode)) continue;
      if (entry(ruleNode, 'record')) {
        out.recordingRules++;
        continue;
      }
      const alert = entry(ruleNode, 'alert');
      const name = scalarString(alert?.value);
      if (!alert || name === undefined || name === '') {
        out.diagnostics.push({ file, ...positions.node(alert?.key ?? (ruleNode as Node)), ruleId: PARSE_ERROR, severity: 'error',
          message: 'Rule has neither an `alert` name nor a `record` name', hint: 'Add `alert: <AlertName>` (or `record:` for a recording rule).' });
        continue;
      }
      const expr = entry(ruleNode, 'expr');
      const labels = stringMap(entry(ruleNode, 'labels')?.value, file, positions);
      const annotationsEntry = entry(ruleNode, 'annotations');
      const annotations = stringMap(annotationsEntry?.value, file, positions);
      out.rules.push({
        name,
        at: { file, ...positions.node(alert.value) },
        group: groupName,
        expr: scalarString(expr?.value) ?? '',
        exprAt: expr ? { file, ...positions.node(expr.value ?? expr.key) } : undefined,
        for: scalarString(entry(ruleNode, 'for')?.value),
        keepFiringFor: scalarString(entry(ruleNode, 'keep_firing_for')?.value),
        labels: labels.values,
        labelsAt: labels.at,
        annotations: annotations.values,
        annotationsAt: annotations.at,
        annotationsBlockAt: { file, ...positions.node(annotationsEntry?.key ?? (ruleNode as Node)) },
        format,
        span: positions.node(ruleNode as Node),
      });
    }
  }
}

/**
 * Reads a Prometheus rule file or PrometheusRule manifests (one or several documents, or a
 * `kind: List`). Accepts the extra group and rule fields of Thanos, Loki, Mimir, Cortex and vmalert.
 */
export function readRuleFile(text: string, file: string): RuleFile {
  const out: RuleFile = { file, rules: [], recordingRules: 0, diagnostics: [] };
  // A lone CR ends a line, as in parseYaml; one for one, so offsets agree.
  const source = text.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n');
  const parsed = parseYaml(source, file);
  if (parsed.diagnostics.length > 0) {
    const template = templateDiagnostic(source, file);
    out.diagnostics.push(...(template ? [template] : parsed.diagnostics));
  }
  const comments = yamlComments(source, 'runbooks-', parsed.documents.map((d) => d.doc));
  if (comments.length > 0) out.comments = comments;
  for (const { doc, positions } of parsed.documents) {
    current = doc;
    const root = deref(doc.contents as Node | null);
    if (root === null || root === undefined) continue;
    if (!isMap(root)) {
      out.diagnostics.push({ file, ...positions.node(root as Node), ruleId: PARSE_ERROR, severity: 'error',
        message: 'Not a rule file: the document is not a mapping', hint: 'A rule file starts with `groups:`; a manifest with `apiVersion:` and `kind: PrometheusRule`.' });
      continue;
    }
    readDocument(root, file, positions, out);
  }
  current = undefined;
  return out;
}

function readDocument(root: YAMLMap, file: string, positions: PositionMapper, out: RuleFile): void {
  const kind = scalarString(entry(root, 'kind')?.value);
  if (kind === 'List') {
    const items = entry(root, 'items')?.value;
    if (isSeq(items)) for (const itemNode of items.items) {
      const item = deref(itemNode as Node);
      if (isMap(item)) readDocument(item, file, positions, out);
    }
    return;
  }
  if (kind === 'PrometheusRule') {
    const spec = entry(root, 'spec')?.value;
    const groups = isMap(spec) ? entry(spec, 'groups') : undefined;
    if (groups) readGroups(groups.value, file, positions, 'prometheus-operator', out);
    return;
  }
  // Other Kubernetes kinds (a ConfigMap, a Deployment) may share the file; they hold no rules.
  if (kind !== undefined) return;
  const groups = entry(root, 'groups');
  if (groups) {
    readGroups(groups.value, file, positions, 'prometheus', out);
    return;
  }
  out.diagnostics.push({ file, ...positions.node(root), ruleId: PARSE_ERROR, severity: 'warning',
    message: 'Not a rule file: no `groups` and no `kind: PrometheusRule`',
    hint: 'Exclude this file from `rules` in the config (a leading ! excludes), or add its rule groups.' });
}
