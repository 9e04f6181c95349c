import { isMap, isPair, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { PARSE_ERROR, type Diagnostic, type Location } from '../diagnostic.ts';
import type { AlertRule, RuleFile } from '../model.ts';
import type { PositionMapper } from '../positions.ts';
import { yamlComments } from '../yaml-comments.ts';
import { parseYaml } from '../yaml.ts';

/** The value node of `key` in a YAML map, and the key node itself. */
function entry(map: YAMLMap, key: string): { key: Node; value: Node | null } | undefined {
  for (const pair of map.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return { key: pair.key, value: pair.value as Node | null };
  }
  return undefined;
}

function scalarString(node: Node | null | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

/** Lines that only a Go template (Helm, Jsonnet output is plain YAML) would have. */
const TEMPLATE_LINE = /^\s*\{\{-?\s*(if|else|end|range|with|define|template|include|toYaml|\/\*|\.Values|\.Release|\$)|\{\{-?\s*\.(Values|Release|Chart|Capabilities)\b|\{\{-?\s*(include|template|toYaml|tpl)\b/;

function templateDiagnostic(text: string, file: string): Diagnostic | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => TEMPLATE_LINE.test(line));
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
  if (!isMap(node)) return { values, at };
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    const value = pair.value as Node | null;
    values[name] = isScalar(value) ? String(value.value ?? '') : '';
    at[name] = { file, ...positions.node(value ?? (pair.key as Node)) };
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
  for (const group of groupsNode.items) {
    if (!isMap(group)) continue;
    const groupName = scalarString(entry(group, 'name')?.value) ?? '';
    const rules = entry(group, 'rules')?.value;
    if (!isSeq(rules)) continue;
    for (const ruleNode of rules.items) {
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
  const source = text.replace(/^\uFEFF/, '');
  const parsed = parseYaml(source, file);
  if (parsed.diagnostics.length > 0) {
    const template = templateDiagnostic(source, file);
    out.diagnostics.push(...(template ? [template] : parsed.diagnostics));
  }
  const comments = yamlComments(source, 'runbooks-', parsed.documents.map((d) => d.doc));
  if (comments.length > 0) out.comments = comments;
  for (const { doc, positions } of parsed.documents) {
    const root = doc.contents;
    if (root === null || root === undefined) continue;
    if (!isMap(root)) {
      out.diagnostics.push({ file, ...positions.node(root as Node), ruleId: PARSE_ERROR, severity: 'error',
        message: 'Not a rule file: the document is not a mapping', hint: 'A rule file starts with `groups:`; a manifest with `apiVersion:` and `kind: PrometheusRule`.' });
      continue;
    }
    readDocument(root, file, positions, out);
  }
  return out;
}

function readDocument(root: YAMLMap, file: string, positions: PositionMapper, out: RuleFile): void {
  const kind = scalarString(entry(root, 'kind')?.value);
  if (kind === 'List') {
    const items = entry(root, 'items')?.value;
    if (isSeq(items)) for (const item of items.items) if (isMap(item)) readDocument(item, file, positions, out);
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
