import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { PARSE_ERROR } from '../diagnostic.ts';
import type { GroupContext } from './prometheus.ts';
import { entry, scalarString, stringMap } from './yaml-nodes.ts';

/**
 * Whether a document is a Grafana provisioning file (`apiVersion: 1` at the top, as Grafana's
 * file provisioning documents it) rather than a Prometheus rule file, which has no apiVersion.
 */
export function isGrafanaProvisioning(root: YAMLMap): boolean {
  const version = entry(root, 'apiVersion')?.value;
  return entry(root, 'kind') === undefined && isScalar(version) && String(version.value) === '1';
}

/** The first query of a Grafana rule's `data` that has a PromQL-like `expr` (Prometheus and Loki data sources). */
function firstExpression(rule: YAMLMap): string {
  const data = entry(rule, 'data')?.value;
  if (!isSeq(data)) return '';
  for (const query of data.items) {
    if (!isMap(query)) continue;
    const model = entry(query, 'model')?.value;
    const expr = isMap(model) ? scalarString(entry(model, 'expr')?.value) : undefined;
    if (expr) return expr;
  }
  return '';
}

/**
 * Reads Grafana-managed alert rules from a provisioning file (`groups[].rules[]`, each rule named
 * by `title` and identified by `uid`). Contact points, policies and the other provisioned kinds
 * hold no rules and are skipped.
 */
export function readGrafanaDocument(root: YAMLMap, context: GroupContext): void {
  const { file, positions, out } = context;
  const groups = entry(root, 'groups')?.value;
  if (!isSeq(groups)) return;
  for (const group of groups.items) {
    if (!isMap(group)) continue;
    const groupName = scalarString(entry(group, 'name')?.value) ?? '';
    const folder = scalarString(entry(group, 'folder')?.value);
    const rules = entry(group, 'rules')?.value;
    if (!isSeq(rules)) continue;
    for (const ruleNode of rules.items) {
      if (!isMap(ruleNode)) continue;
      const title = entry(ruleNode, 'title');
      const name = scalarString(title?.value);
      const uid = entry(ruleNode, 'uid');
      if (!title || !name) {
        out.diagnostics.push({ file, ...positions.node(uid?.key ?? (ruleNode as Node)), ruleId: PARSE_ERROR, severity: 'error',
          message: 'Grafana alert rule has no `title`', hint: 'Add `title: <AlertName>`: Grafana names the alert by its title.' });
        continue;
      }
      const labels = stringMap(entry(ruleNode, 'labels')?.value, file, positions);
      const annotationsEntry = entry(ruleNode, 'annotations');
      const annotations = stringMap(annotationsEntry?.value, file, positions);
      const uidText = scalarString(uid?.value);
      out.rules.push({
        name,
        at: { file, ...positions.node(title.value) },
        group: folder ? `${folder}/${groupName}` : groupName,
        expr: firstExpression(ruleNode),
        for: scalarString(entry(ruleNode, 'for')?.value),
        labels: labels.values,
        labelsAt: labels.at,
        annotations: annotations.values,
        annotationsAt: annotations.at,
        annotationsBlockAt: { file, ...positions.node(annotationsEntry?.key ?? (ruleNode as Node)) },
        format: 'grafana',
        span: positions.node(ruleNode as Node),
        ...(uid && uidText ? { related: [{ file, ...positions.node(uid.value), message: `Grafana rule uid ${uidText}` }] } : {}),
      });
    }
  }
}
