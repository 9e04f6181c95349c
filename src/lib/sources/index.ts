import { LineCounter, isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { PARSE_ERROR, type Diagnostic } from '../engine/diagnostic.ts';
import type { RuleFile } from '../project/model.ts';
import { yamlComments } from '../text/yaml-comments.ts';
import { fastYamlDocuments } from '../text/fast-yaml-nodes.ts';
import { PositionMapper } from '../text/positions.ts';
import { parseYaml, type ParsedYaml } from '../text/yaml.ts';
import { isGrafanaProvisioning, readGrafanaDocument } from './grafana.ts';
import { readPrometheusRule } from './prometheus-operator.ts';
import { readPrometheusDocument, type GroupContext } from './prometheus.ts';
import { readVmRule } from './vmrule.ts';
import { deref, entry, items, readingDocument, scalarString } from './yaml-nodes.ts';

/** Lines that only a Go template (Helm, Jsonnet output is plain YAML) would have. */
const TEMPLATE_LINE =
  /^\s*\{\{-?\s*(if|else|end|range|with|define|template|include|toYaml|\/\*|\.Values|\.Release|\$)|\{\{-?\s*\.(Values|Release|Chart|Capabilities)\b|\{\{-?\s*(include|template|toYaml|tpl)\b/;

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

/**
 * Reads a rule file in any format the tool knows, one reader per format: Prometheus rule files
 * (and vmalert's, Thanos', Loki's, Mimir's), PrometheusRule and VMRule manifests (one or several
 * documents, or a `kind: List`), and Grafana alert provisioning files.
 *
 * With `fast`, a text in the block-style subset of text/fast-yaml-nodes.ts is composed by its line
 * scanner instead of `yaml`'s parser: the same nodes and ranges, walked by the same readers below.
 */
export function readRuleFile(text: string, file: string, { fast = false }: { fast?: boolean } = {}): RuleFile {
  const out: RuleFile = { file, rules: [], recordingRules: 0, diagnostics: [] };
  // A lone CR ends a line, as in parseYaml; one for one, so offsets agree.
  const source = text.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n');
  const parsed = (fast ? fastParse(source) : undefined) ?? parseYaml(source, file);
  if (parsed.diagnostics.length > 0) {
    const template = templateDiagnostic(source, file);
    out.diagnostics.push(...(template ? [template] : parsed.diagnostics));
  }
  const comments = yamlComments(
    parsed.text ?? source,
    'runbooks-',
    parsed.documents.map((d) => d.doc),
  );
  if (comments.length > 0) out.comments = comments;
  for (const { doc, positions } of parsed.documents) {
    readingDocument(doc);
    const root = deref(doc.contents as Node | null);
    if (root === null || root === undefined) continue;
    if (!isMap(root)) {
      out.diagnostics.push({
        file,
        ...positions.node(root as Node),
        ruleId: PARSE_ERROR,
        severity: 'error',
        message: 'Not a rule file: the document is not a mapping',
        hint: 'A rule file starts with `groups:`; a manifest with `apiVersion:` and `kind: PrometheusRule`.',
      });
      continue;
    }
    readDocument(root, { file, source: parsed.text ?? source, positions, out });
  }
  readingDocument(undefined);
  return out;
}

/** The documents of the fast line scanner, as parseYaml gives them (no data: the readers walk the nodes), or undefined when it declines. */
function fastParse(source: string): ParsedYaml | undefined {
  let docs: ReturnType<typeof fastYamlDocuments>;
  try {
    docs = fastYamlDocuments(source);
  } catch {
    // A fault of the fast path (a bug, a stack too deep) must not cost the file: the exact reader reads it.
    return undefined;
  }
  if (docs === undefined) return undefined;
  const positions = new PositionMapper(new LineCounter(), 0, source);
  return { documents: docs.map((doc) => ({ doc, data: undefined, positions })), diagnostics: [] };
}

function readDocument(root: YAMLMap, context: GroupContext): void {
  const kind = scalarString(entry(root, 'kind')?.value);
  if (kind === 'List') {
    for (const item of items(entry(root, 'items')?.value)) if (isMap(item)) readDocument(item, context);
    return;
  }
  if (kind === 'PrometheusRule') return readPrometheusRule(root, context);
  if (kind === 'VMRule') return readVmRule(root, context);
  // Other Kubernetes kinds (a ConfigMap, a Deployment) may share the file; they hold no rules.
  if (kind !== undefined) return;
  if (isGrafanaProvisioning(root)) return readGrafanaDocument(root, context);
  if (entry(root, 'groups')) return readPrometheusDocument(root, context);
  context.out.diagnostics.push({
    file: context.file,
    ...context.positions.node(root),
    ruleId: PARSE_ERROR,
    severity: 'warning',
    message: 'Not a rule file: no `groups` and no `kind: PrometheusRule` or `kind: VMRule`',
    hint: 'Exclude this file from `rules` in the config (a leading ! excludes), or add its rule groups.',
  });
}

/** An alerting rule's YAML map and the key that names it (`alert`, or `title` in Grafana's files), as readRuleFile walks them. */
export interface AlertRuleMap {
  map: YAMLMap;
  nameKey: 'alert' | 'title';
}

/** Every alerting rule map of a rule file document, in the order readRuleFile reads them: what `runbooks fix` edits. */
export function alertRuleMaps(root: Node | null | undefined): AlertRuleMap[] {
  const found: AlertRuleMap[] = [];
  const visitGroups = (groups: Node | null | undefined, nameKey: AlertRuleMap['nameKey']): void => {
    if (!isSeq(groups)) return;
    for (const group of groups.items) {
      if (!isMap(group)) continue;
      const rules = entry(group, 'rules')?.value;
      if (!isSeq(rules)) continue;
      for (const rule of rules.items) {
        if (isMap(rule) && (nameKey === 'title' || !entry(rule, 'record')) && scalarString(entry(rule, nameKey)?.value))
          found.push({ map: rule, nameKey });
      }
    }
  };
  const visitDocument = (node: Node | null | undefined): void => {
    if (!isMap(node)) return;
    const kind = scalarString(entry(node, 'kind')?.value);
    if (kind === 'List') {
      const items = entry(node, 'items')?.value;
      if (isSeq(items)) for (const item of items.items) visitDocument(item as Node);
    } else if (kind === 'PrometheusRule' || kind === 'VMRule') {
      const spec = entry(node, 'spec')?.value;
      if (isMap(spec)) visitGroups(entry(spec, 'groups')?.value, 'alert');
    } else if (kind === undefined) {
      visitGroups(entry(node, 'groups')?.value, isGrafanaProvisioning(node) ? 'title' : 'alert');
    }
  };
  visitDocument(root);
  return found;
}
