import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { PARSE_ERROR, type Position } from '../engine/diagnostic.ts';
import type { AlertRule, RuleFile, RuleProblem } from '../project/model.ts';
import { nearest } from '../text/nearest.ts';
import type { PositionMapper } from '../text/positions.ts';
import { templateError } from './go-template.ts';
import { promqlError } from './promql.ts';
import { sourceOffset } from './scalar-offsets.ts';
import { deref, entry, items, pairs, scalarString, stringMap } from './yaml-nodes.ts';

/** The dialect a group list is written in: which keys it may use and whether `expr` is PromQL. */
export interface Dialect {
  format: AlertRule['format'];
  groupKeys: ReadonlySet<string>;
  ruleKeys: ReadonlySet<string>;
  /** False where expressions are another language (MetricsQL is a superset the PromQL grammar refuses). */
  promql: boolean;
}

/** Prometheus's own group keys (rulefmt); `query_offset` (2.53) and group `labels` (3.0) included. */
export const PROMETHEUS_GROUP_KEYS = ['name', 'interval', 'limit', 'query_offset', 'labels', 'rules'];
/** Prometheus's own rule keys (rulefmt). */
export const PROMETHEUS_RULE_KEYS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

/** Keys that other evaluators add to the format, and who: a message names them rather than calling them typos. */
const EXTENSION_KEYS: Record<string, string> = {
  partial_response_strategy: 'Thanos Ruler',
  source_tenants: 'Mimir and Cortex',
  evaluation_delay: 'Mimir and Cortex',
  align_evaluation_time_on_interval: 'Mimir',
  eval_offset: 'vmalert',
  eval_delay: 'vmalert',
  eval_alignment: 'vmalert',
  concurrency: 'vmalert',
  type: 'vmalert',
  params: 'vmalert',
  headers: 'vmalert',
  notifier_headers: 'vmalert',
  tenant: 'vmalert',
  debug: 'vmalert',
  update_entries_limit: 'vmalert',
  extra_filter_labels: 'vmalert',
};

/** Group keys only vmalert has: a plain rule file that uses one is a vmalert file. */
const VMALERT_ONLY = [
  'eval_offset',
  'eval_delay',
  'eval_alignment',
  'concurrency',
  'type',
  'params',
  'headers',
  'notifier_headers',
  'tenant',
  'debug',
];
/** vmalert's group keys (its documentation's "Groups"). */
const VMALERT_GROUP_KEYS = [...PROMETHEUS_GROUP_KEYS, ...VMALERT_ONLY, 'extra_filter_labels'];
/** vmalert's rule keys. */
const VMALERT_RULE_KEYS = [...PROMETHEUS_RULE_KEYS, 'debug', 'update_entries_limit'];

/** Prometheus's dialect: its keys, PromQL expressions. */
const PROMETHEUS: Dialect = {
  format: 'prometheus',
  groupKeys: new Set(PROMETHEUS_GROUP_KEYS),
  ruleKeys: new Set(PROMETHEUS_RULE_KEYS),
  promql: true,
};
/** vmalert's dialect: its keys, MetricsQL expressions (not judged). */
export const VMALERT: Dialect = {
  format: 'vmalert',
  groupKeys: new Set(VMALERT_GROUP_KEYS),
  ruleKeys: new Set(VMALERT_RULE_KEYS),
  promql: false,
};

/** Prometheus's duration syntax (common/model.ParseDuration): units from years to milliseconds, largest first, or 0. */
const DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
/**
 * A log pipeline (`| json`, `|= "x"`) or a line filter (`!= "x"`) after a stream selector: a LogQL
 * expression (Loki's ruler), which the PromQL grammar refuses. PromQL has no `|`, and compares
 * with `!=` against numbers, not strings.
 */
const LOGQL = /\}\s*(?:\||!=\s*["`]|!~\s*["`])/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** What a reader of group lists needs: where the text is, and where to put what it finds. */
export interface GroupContext {
  file: string;
  source: string;
  positions: PositionMapper;
  out: RuleFile;
}

/** Whether a rule group uses keys only vmalert knows. */
function looksLikeVmalert(group: YAMLMap): boolean {
  return pairs(group).some((p) => VMALERT_ONLY.includes(p.name));
}

function problem(context: GroupContext, at: Position, message: string, hint: string, key?: string): void {
  const list: RuleProblem[] = (context.out.problems ??= []);
  list.push({ ...at, message, hint, ...(key !== undefined ? { key } : {}) });
}

function suggestion(name: string, list: readonly string[]): string {
  const near = nearest(name, list);
  return near ? `Did you mean \`${near}\`? ` : '';
}

function unknownKeys(context: GroupContext, map: YAMLMap, allowed: ReadonlySet<string>, where: string, list: readonly string[]): void {
  for (const { name, key } of pairs(map)) {
    if (allowed.has(name)) continue;
    const owner = EXTENSION_KEYS[name];
    problem(
      context,
      context.positions.node(key),
      owner ? `\`${name}\` is a ${owner} key, which Prometheus does not accept in a ${where}` : `Unknown key \`${name}\` in a ${where}`,
      owner
        ? `Remove it, or list it under \`checks.rule-valid.extraKeys\` in the config if ${owner} evaluates this file.`
        : `${suggestion(name, list)}A ${where} takes ${list.join(', ')}; check the spelling and the indentation.`,
      name,
    );
  }
}

function checkDuration(context: GroupContext, node: Node | null | undefined, key: string, what: string): void {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
  const text = isScalar(node) ? String(node.value) : undefined;
  if (text !== undefined && text !== '' && (text === '0' || DURATION.test(text))) return;
  problem(
    context,
    context.positions.node(node),
    `${what}: \`${key}\` is not a valid duration${text === undefined ? '' : `: ${JSON.stringify(text)}`}`,
    'Write a duration such as 30s, 5m, 1h30m or 2d: a number and a unit (ms, s, m, h, d, w, y), largest unit first.',
  );
}

/** Position of an offset inside a scalar's value. */
function inside(context: GroupContext, node: Node, offset: number): Position {
  const at = sourceOffset(context.source, node, offset);
  return at === undefined ? context.positions.node(node) : context.positions.at(at);
}

function checkNames(context: GroupContext, node: Node | null, what: string, ruleName: string): void {
  if (node === null || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) {
    problem(
      context,
      context.positions.node(node),
      `${ruleName}: \`${what}\` must be a mapping of names to values`,
      `Write \`${what}:\` followed by indented \`name: value\` lines.`,
    );
    return;
  }
  for (const { name, key, value } of pairs(node)) {
    if (!LABEL_NAME.test(name) || (what === 'labels' && name === '__name__')) {
      problem(
        context,
        context.positions.node(key),
        `${ruleName}: invalid ${what === 'labels' ? 'label' : 'annotation'} name "${name}"`,
        'Names are letters, digits and underscores, and do not start with a digit.',
      );
    }
    if (value !== null && !isScalar(value)) {
      problem(
        context,
        context.positions.node(value),
        `${ruleName}: the value of ${what === 'labels' ? 'label' : 'annotation'} "${name}" is not a string`,
        'Write the value as one string; quote it if it contains `: ` or starts with `{`, `[` or `*`.',
      );
    }
  }
}

function checkTemplates(context: GroupContext, node: Node | null, what: string, ruleName: string): void {
  if (!isMap(node)) return;
  for (const { name, value } of pairs(node)) {
    if (!isScalar(value) || value.value === null) continue;
    const error = templateError(String(value.value));
    if (!error) continue;
    problem(
      context,
      inside(context, value, error.offset),
      `${ruleName}: ${what === 'labels' ? 'label' : 'annotation'} "${name}" is not a valid Go template: ${error.message}`,
      'Fix the template syntax: every {{ has a }}, every {{ if }}/{{ range }}/{{ with }} an {{ end }}, and functions are those Prometheus defines. To write a literal {{, use {{ "{{" }}.',
    );
  }
}

/** Checks one rule at promtool's level; returns the alert name node when it is an alerting rule. */
function checkRule(context: GroupContext, dialect: Dialect, rule: YAMLMap, groupName: string, index: number, promql: boolean): void {
  const { positions } = context;
  unknownKeys(context, rule, dialect.ruleKeys, 'rule', [...dialect.ruleKeys]);
  const alert = entry(rule, 'alert');
  const record = entry(rule, 'record');
  const name = scalarString(alert?.value) ?? scalarString(record?.value);
  const ruleName = `Rule ${index + 1} of group "${groupName}"${name ? ` (${name})` : ''}`;
  if (alert && record) {
    problem(
      context,
      positions.node(record.key),
      `${ruleName} has both \`alert\` and \`record\``,
      'A rule is either an alerting rule (`alert:`) or a recording rule (`record:`); split it in two.',
    );
  }
  if (record && !alert) {
    const recordName = scalarString(record.value);
    if (recordName !== undefined && recordName !== '' && !METRIC_NAME.test(recordName)) {
      problem(
        context,
        positions.node(record.value ?? record.key),
        `${ruleName}: "${recordName}" is not a valid metric name for \`record\``,
        'A recorded metric name is letters, digits, underscores and colons (level:metric:operations), not starting with a digit.',
      );
    }
    for (const key of ['annotations', 'for', 'keep_firing_for']) {
      const found = entry(rule, key);
      if (found)
        problem(
          context,
          positions.node(found.key),
          `${ruleName}: a recording rule cannot have \`${key}\``,
          `Remove \`${key}\`, or make this an alerting rule with \`alert:\`.`,
        );
    }
  }
  const expr = entry(rule, 'expr');
  const exprText = scalarString(expr?.value);
  if (!expr || exprText === undefined || exprText.trim() === '') {
    problem(
      context,
      positions.node(expr?.key ?? rule),
      `${ruleName} has no \`expr\``,
      'Add `expr:` with the PromQL expression the rule evaluates.',
    );
  } else if (promql && !LOGQL.test(exprText)) {
    const error = promqlError(exprText);
    if (error) {
      problem(
        context,
        inside(context, expr.value as Node, error.offset),
        `${ruleName}: PromQL ${error.kind} error: ${error.message}`,
        'Fix the expression; `promtool check rules` and the Prometheus UI show the same error.',
      );
    }
  }
  if (alert) {
    checkDuration(context, entry(rule, 'for')?.value, 'for', ruleName);
    checkDuration(context, entry(rule, 'keep_firing_for')?.value, 'keep_firing_for', ruleName);
  }
  const labels = entry(rule, 'labels')?.value ?? null;
  checkNames(context, labels, 'labels', ruleName);
  const annotations = entry(rule, 'annotations')?.value ?? null;
  if (!record) checkNames(context, annotations, 'annotations', ruleName);
  if (alert && !record) {
    checkTemplates(context, labels, 'labels', ruleName);
    checkTemplates(context, annotations, 'annotations', ruleName);
  }
}

/** Reads the rules of one group list (`groups:`), alerting and recording, and checks them as promtool does. */
export function readGroups(groupsNode: Node | null, context: GroupContext, dialect: Dialect): void {
  const { file, positions, out } = context;
  if (groupsNode === null || (isScalar(groupsNode) && groupsNode.value === null)) return;
  if (!isSeq(deref(groupsNode))) {
    out.diagnostics.push({
      file,
      ...positions.node(groupsNode),
      ruleId: PARSE_ERROR,
      severity: 'error',
      message: '`groups` must be a list of rule groups',
      hint: 'Write `groups:` followed by items like `- name: my-group` with a `rules:` list.',
    });
    return;
  }
  const seen = new Map<string, Node>();
  for (const group of items(groupsNode)) {
    if (!isMap(group)) {
      problem(
        context,
        positions.node(group as Node),
        'A rule group must be a mapping with `name` and `rules`',
        'Write each group as `- name: my-group` followed by `rules:`.',
      );
      continue;
    }
    // A plain file may hold groups for several evaluators; a group with keys only vmalert has is vmalert's.
    const groupDialect = dialect === PROMETHEUS && looksLikeVmalert(group) ? VMALERT : dialect;
    unknownKeys(context, group, groupDialect.groupKeys, 'rule group', [...groupDialect.groupKeys]);
    const nameEntry = entry(group, 'name');
    const groupName = scalarString(nameEntry?.value) ?? '';
    if (groupName === '') {
      problem(
        context,
        positions.node(nameEntry?.value ?? nameEntry?.key ?? group),
        'Rule group has no name',
        'Give the group a `name:`, unique in this file.',
      );
    } else if (seen.has(groupName)) {
      problem(
        context,
        positions.node(nameEntry?.value),
        `Group name "${groupName}" is repeated in this file`,
        'Rename one of the groups: Prometheus refuses a file with two groups of one name.',
      );
    } else {
      seen.set(groupName, nameEntry?.value as Node);
    }
    checkDuration(context, entry(group, 'interval')?.value, 'interval', `Group "${groupName}"`);
    const type = scalarString(entry(group, 'type')?.value);
    const promql = groupDialect.promql && (type === undefined || type === 'prometheus');
    const rules = entry(group, 'rules')?.value ?? null;
    if (rules === null || (isScalar(rules) && rules.value === null)) continue;
    if (!isSeq(deref(rules))) {
      problem(
        context,
        positions.node(rules),
        `\`rules\` of group "${groupName}" must be a list`,
        'Write `rules:` followed by items like `- alert: Name`.',
      );
      continue;
    }
    items(rules).forEach((ruleNode, index) => {
      if (!isMap(ruleNode)) {
        problem(
          context,
          positions.node(ruleNode as Node),
          `Rule ${index + 1} of group "${groupName}" is not a mapping`,
          'Write each rule as `- alert: Name` (or `- record: name`) followed by `expr:`.',
        );
        return;
      }
      checkRule(context, groupDialect, ruleNode, groupName, index, promql);
      readRule(ruleNode, groupName, context, groupDialect.format);
    });
  }
}

/**
 * What every rule format writes the same way about an alerting rule: where its name stands, its
 * labels and annotations with their positions, `for`, and the span a suppression above it covers.
 */
export function alertRuleFacts(ruleNode: YAMLMap, nameNode: Node | null, context: GroupContext) {
  const { file, positions } = context;
  const labels = stringMap(entry(ruleNode, 'labels')?.value, file, positions);
  const annotationsEntry = entry(ruleNode, 'annotations');
  const annotations = stringMap(annotationsEntry?.value, file, positions);
  return {
    at: { file, ...positions.node(nameNode) },
    for: scalarString(entry(ruleNode, 'for')?.value),
    labels: labels.values,
    labelsAt: labels.at,
    annotations: annotations.values,
    annotationsAt: annotations.at,
    annotationsBlockAt: { file, ...positions.node(annotationsEntry?.key ?? (ruleNode as Node)) },
    span: positions.node(ruleNode as Node),
  } satisfies Partial<AlertRule>;
}

/** One rule's facts, for the project: alerting rules in full, recording rules counted. */
function readRule(ruleNode: YAMLMap, groupName: string, context: GroupContext, format: AlertRule['format']): void {
  const { file, positions, out } = context;
  if (entry(ruleNode, 'record')) {
    out.recordingRules++;
    return;
  }
  const alert = entry(ruleNode, 'alert');
  const name = scalarString(alert?.value);
  if (!alert || name === undefined || name === '') {
    out.diagnostics.push({
      file,
      ...positions.node(alert?.key ?? (ruleNode as Node)),
      ruleId: PARSE_ERROR,
      severity: 'error',
      message: 'Rule has neither an `alert` name nor a `record` name',
      hint: 'Add `alert: <AlertName>` (or `record:` for a recording rule).',
    });
    return;
  }
  const expr = entry(ruleNode, 'expr');
  out.rules.push({
    name,
    ...alertRuleFacts(ruleNode, alert.value, context),
    group: groupName,
    expr: scalarString(expr?.value) ?? '',
    exprAt: expr ? { file, ...positions.node(expr.value ?? expr.key) } : undefined,
    keepFiringFor: scalarString(entry(ruleNode, 'keep_firing_for')?.value),
    format,
  });
}

/** A plain rule file's document (`groups:` at the top), in Prometheus's dialect or, group by group, vmalert's. */
export function readPrometheusDocument(root: YAMLMap, context: GroupContext): void {
  const groups = entry(root, 'groups');
  unknownKeys(context, root, new Set(['groups']), 'rule file (at the top level)', ['groups']);
  readGroups(groups?.value ?? null, context, PROMETHEUS);
}
