import { isMap, type YAMLMap } from 'yaml';
import { PROMETHEUS_GROUP_KEYS, PROMETHEUS_RULE_KEYS, readGroups, type Dialect, type GroupContext } from './prometheus.ts';
import { entry } from './yaml-nodes.ts';

/**
 * The PrometheusRule CRD (monitoring.coreos.com/v1): `spec.groups` in Prometheus's format, plus
 * the group keys the operator passes to Thanos Ruler.
 */
const OPERATOR: Dialect = {
  format: 'prometheus-operator',
  groupKeys: new Set([...PROMETHEUS_GROUP_KEYS, 'partial_response_strategy']),
  ruleKeys: new Set(PROMETHEUS_RULE_KEYS),
  promql: true,
};

/** Reads one `kind: PrometheusRule` manifest. */
export function readPrometheusRule(root: YAMLMap, context: GroupContext): void {
  const spec = entry(root, 'spec')?.value;
  const groups = isMap(spec) ? entry(spec, 'groups') : undefined;
  if (groups) readGroups(groups.value, context, OPERATOR);
}
