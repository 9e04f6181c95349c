import { isMap, type YAMLMap } from 'yaml';
import { readGroups, VMALERT, type GroupContext } from './prometheus.ts';
import { entry } from './yaml-nodes.ts';

/**
 * The VictoriaMetrics operator's VMRule (operator.victoriametrics.com/v1beta1): `spec.groups` in
 * vmalert's format. Expressions are MetricsQL, so the PromQL grammar does not judge them.
 */
export function readVmRule(root: YAMLMap, context: GroupContext): void {
  const spec = entry(root, 'spec')?.value;
  const groups = isMap(spec) ? entry(spec, 'groups') : undefined;
  if (groups) readGroups(groups.value, context, { ...VMALERT, format: 'vmrule' });
}
