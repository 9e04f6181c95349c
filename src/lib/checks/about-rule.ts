import type { Related } from '../engine/diagnostic.ts';
import type { AlertRule } from '../project/model.ts';

/** How a message names where a rule comes from when it is not (only) a rule file: the server and group. */
export function ruleOrigin(rule: AlertRule): string {
  return rule.format === 'served' && rule.server ? ` (served by ${rule.server}, group "${rule.group}")` : '';
}

/** What a finding about a rule carries besides its position: a Grafana uid, the server that serves it. */
export function ruleRelated(rule: AlertRule): Related[] | undefined {
  if (!rule.related || rule.related.length === 0) return undefined;
  return rule.related.map(({ file, line, column, message }) => ({ file, line, column, message }));
}
