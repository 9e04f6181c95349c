import { isMap, type Node, type YAMLMap } from 'yaml';
import { PARSE_ERROR } from '../engine/diagnostic.ts';
import { alertRuleFacts, type GroupContext } from './prometheus.ts';
import { entry, items, scalarString } from './yaml-nodes.ts';

/**
 * Whether a document is a Grafana provisioning file (`apiVersion: 1` at the top, as Grafana's
 * file provisioning documents it) rather than a Prometheus rule file, which has no apiVersion.
 */
export function isGrafanaProvisioning(root: YAMLMap): boolean {
  return entry(root, 'kind') === undefined && scalarString(entry(root, 'apiVersion')?.value) === '1';
}

/** The first query of a Grafana rule's `data` that has a PromQL-like `expr` (Prometheus and Loki data sources). */
function firstExpression(rule: YAMLMap): string {
  for (const query of items(entry(rule, 'data')?.value)) {
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
  for (const group of items(entry(root, 'groups')?.value)) {
    if (!isMap(group)) continue;
    const groupName = scalarString(entry(group, 'name')?.value) ?? '';
    const folder = scalarString(entry(group, 'folder')?.value);
    for (const ruleNode of items(entry(group, 'rules')?.value)) {
      if (!isMap(ruleNode)) continue;
      const title = entry(ruleNode, 'title');
      const name = scalarString(title?.value);
      const uid = entry(ruleNode, 'uid');
      if (!title || !name) {
        out.diagnostics.push({
          file,
          ...positions.node(uid?.key ?? (ruleNode as Node)),
          ruleId: PARSE_ERROR,
          severity: 'error',
          message: 'Grafana alert rule has no `title`',
          hint: 'Add `title: <AlertName>`: Grafana names the alert by its title.',
        });
        continue;
      }
      const uidText = scalarString(uid?.value);
      out.rules.push({
        name,
        ...alertRuleFacts(ruleNode, title.value, context),
        group: folder ? `${folder}/${groupName}` : groupName,
        expr: firstExpression(ruleNode),
        format: 'grafana',
        ...(uid && uidText ? { related: [{ file, ...positions.node(uid.value), message: `Grafana rule uid ${uidText}` }] } : {}),
      });
    }
  }
}
