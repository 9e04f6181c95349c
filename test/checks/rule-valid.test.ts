import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateError } from '../../src/lib/sources/go-template.ts';
import { readRuleFile } from '../../src/lib/sources/index.ts';
import { promqlError } from '../../src/lib/sources/promql.ts';
import { columnOf, expectFixture, findingAt, findingAtText, FIXTURES } from '../harness.ts';

const root = path.join(FIXTURES, 'rule-valid/basic');
const file = 'rules/invalid.yaml';

describe('rule-valid', () => {
  it('reports what promtool refuses, and nothing in a valid file', async () => {
    await expectFixture('rule-valid', 'basic');
  });

  it('names unknown keys at the key, and says whose key an extension key is', async () => {
    const found = await expectFixture('rule-valid', 'basic');
    expect(findingAt(found, file, 3)).toMatchObject({ column: 5, message: 'Unknown key `interrrrrrrrval` in a rule group' });
    expect(findingAt(found, file, 3).hint).toContain('A rule group takes name, interval, limit');
    const near = readRuleFile(
      'groups:\n  - name: g\n    intervall: 1m\n    rules:\n      - alert: A\n        expr: up\n        anotations: {}\n',
      'x.yaml',
    ).problems;
    expect(near?.map((p) => p.hint.split('?')[0])).toEqual(['Did you mean `interval`', 'Did you mean `annotations`']);
    expect(findingAt(found, file, 4).message).toContain('Thanos Ruler');
    expect(findingAt(found, file, 4).hint).toContain('extraKeys');
  });

  it('points at the PromQL syntax error inside the expression, on one line and in a block scalar', async () => {
    const found = await expectFixture('rule-valid', 'basic');
    const oneLine = findingAtText(found, root, file, 8, 'by (job)');
    expect(oneLine.message).toBe('Rule 1 of group "api" (ApiDown): PromQL syntax error: unexpected "by"');
    const block = findingAt(found, file, 33);
    expect(block.column).toBe(columnOf(root, file, 33, '> 0') + 3);
    expect(block.message).toContain('unclosed left parenthesis');
  });

  it('reports durations, label names and templates at their values', async () => {
    const found = await expectFixture('rule-valid', 'basic');
    expect(findingAt(found, file, 9).message).toBe('Rule 1 of group "api" (ApiDown): `for` is not a valid duration: "5"');
    expect(findingAt(found, file, 10).message).toContain('`keep_firing_for` is not a valid duration');
    expect(findingAt(found, file, 13).message).toContain('invalid label name "team-name"');
    expect(findingAtText(found, root, file, 16, '{{ if')).toMatchObject({ message: expect.stringContaining('{{if}} has no {{end}}') });
    expect(findingAtText(found, root, file, 17, 'urlencode')).toMatchObject({
      message: expect.stringContaining('function "urlencode" not defined'),
    });
    expect(findingAt(found, file, 35).message).toContain('undefined variable "$undefined"');
    expect(findingAt(found, file, 40).message).toBe('Group "badinterval": `interval` is not a valid duration: "1 minute"');
  });

  it('reports groups without a name or with a repeated one, rules without expr, and recording-rule mistakes', async () => {
    const found = await expectFixture('rule-valid', 'basic');
    expect(findingAt(found, file, 36).message).toBe('Group name "api" is repeated in this file');
    expect(findingAt(found, file, 38).message).toBe('Rule group has no name');
    expect(findingAt(found, file, 18).message).toBe('Rule 2 of group "api" (NoExpr) has no `expr`');
    expect(findingAt(found, file, 21).message).toContain('has both `alert` and `record`');
    expect(findingAt(found, file, 25).message).toContain('a recording rule cannot have `for`');
    expect(findingAt(found, file, 26).message).toContain('"bad name" is not a valid metric name');
  });

  it('accepts vmalert keys in VMRule manifests and in files that use vmalert-only keys, and leaves MetricsQL alone', () => {
    const vmrule = `apiVersion: operator.victoriametrics.com/v1beta1
kind: VMRule
metadata: {name: x}
spec:
  groups:
    - name: vm
      concurrency: 2
      eval_offset: 1m
      rules:
        - alert: VmDown
          expr: rate(up) == 0
          debug: true
`;
    const read = readRuleFile(vmrule, 'vm.yaml');
    expect(read.problems ?? []).toEqual([]);
    expect(read.rules.map((r) => [r.name, r.format])).toEqual([['VmDown', 'vmrule']]);
    const vmalert = vmrule.split('spec:\n')[1]!.replace(/^ {2}/gm, '');
    const plain = readRuleFile(vmalert, 'vmalert.yaml');
    expect(plain.problems ?? []).toEqual([]);
    expect(plain.rules[0]?.format).toBe('vmalert');
    expect(readRuleFile(vmalert.replace('concurrency: 2', 'concurency: 2'), 'x.yaml').problems?.map((p) => p.message)).toEqual([
      'Unknown key `concurency` in a rule group',
    ]);
  });

  it("leaves Loki's LogQL expressions to Loki, and still checks the rest of their rules", () => {
    const loki = `groups:
  - name: loki
    rules:
      - alert: ErrorsInLogs
        expr: sum by (app) (count_over_time({app="api"} |= "error" | json | level="error" [5m])) > 10
        for: 5m
        annotations:
          summary: "{{ $labels.app }} logs errors"
      - alert: Typo
        expr: sum(rate({app="api"} != "debug" [5m])) > 1
        for: 5 minutes
      - alert: PromqlComparison
        expr: up{job="api"} != 0)
`;
    expect(readRuleFile(loki, 'loki.yaml').problems?.map((p) => p.message)).toEqual([
      'Rule 2 of group "loki" (Typo): `for` is not a valid duration: "5 minutes"',
      'Rule 3 of group "loki" (PromqlComparison): PromQL syntax error: unexpected ")"',
    ]);
  });

  // Verdicts of Debian's promtool check rules (Prometheus 2.42) on each template as an annotation.
  const VALID_TEMPLATES = [
    '{{ $labels.instance }}',
    '{{ printf "%.2f" $value }}',
    '{{ with printf "up{instance=\'%s\'}" .Labels.instance | query }}{{ . | first | value | humanize }}{{ end }}',
    '{{ range query "up" }}{{ .Labels.instance }} {{ .Value }}{{ end }}',
    '{{ "{{" }} literal',
    '{{- /* a comment */ -}}',
    '{{ index $labels "foo" }}',
    '{{ $externalLabels.cluster }} {{ $externalURL }}',
    '{{ if gt (len $labels) 0 }}x{{ end }}',
    '{{ $labels.pod | reReplaceAll "(.*)-[^-]+" "$1" }}',
    '{{ $v := query "up" }}{{ $v | first | value }}',
    '{{ range $i, $e := $labels }}{{ $i }}={{ $e }}{{ end }}',
    '{{ if eq $value 1.0 }}a{{ else if eq $value 2.0 }}b{{ else }}c{{ end }}',
    '{{ define "x" }}y{{ end }}{{ template "x" . }}',
    '{{ humanizeDuration $value }} {{ humanizeTimestamp $value }} {{ humanize1024 $value }}',
    '{{ $labels.instance | stripPort }} {{ toUpper "a" }} {{ title "a" }} {{ match "a" "b" }}',
    '{{ if true }}{{ end }}{{ with nil }}{{ end }}',
    '{{ range $labels }}{{ break }}{{ end }}',
    '{{ $labels.instance | }}',
  ];
  const INVALID_TEMPLATES = [
    '{{ .Labels.instance',
    '{{ $labels.instance }',
    '{{ if $value }}x',
    '{{ end }}',
    '{{ else }}',
    '{{ humanise $value }}',
    '{{ $nope }}',
    '{{ }}',
    '{{ (len $labels }}',
    '{{ printf "%s }}',
    '{{ break }}',
    '{{ template }}',
    '{{ $labels.instance ) }}',
  ];

  it('judges Go templates as promtool does: a table of valid and invalid ones', () => {
    expect(VALID_TEMPLATES.filter((t) => templateError(t) !== undefined)).toEqual([]);
    expect(INVALID_TEMPLATES.filter((t) => templateError(t) === undefined)).toEqual([]);
  });

  // promtool check rules (Prometheus 2.42) on each expression: null where it is valid, else the column of its error.
  const PROMQL: [string, number | null][] = [
    ['up[5m]', null],
    ['"str"', null],
    ['sum(up[5m])', 5],
    ['1 > 2', 3],
    ['1 > bool 2', null],
    ['up and 1', 1],
    ['rate(up[5m])[1h:1m]', null],
    ['up[5m][1h:1m]', 1],
    ['max_over_time(rate(up[5m])[1h:])', null],
    ['round(up)', null],
    ['histogram_quantile(0.9, up[5m])', 25],
    ['topk(up, 3)', 10],
    ['topk(3, up)', null],
    ['label_replace(up, "a", "b", "c")', 1],
    ['day_of_week()', null],
    ['-up[5m]', 1],
    ['count_values("x", up)', null],
    ['quantile_over_time(0.5, up)', 25],
    ['abs(1)', 5],
    ['vector(up)', 8],
    ['time() + up', null],
    ['holt_winters(up[5m], 0.5, 0.5)', null],
    ['clamp(up, 0, 1)', null],
    ['(up[5m])', null],
    ['sum without (a) (up) offset 5m', 1],
    ['up offset 5m offset 5m', 1],
    ['1 + "a"', 5],
    ['sum(rate(x[5m]) by (job) == 0', 17],
    ['rate(x[5m]', 11],
    ['up{job="a"', 11],
    ['up > * 1', 6],
    ['ratex(up[5m])', 1],
    ['sum(up) by (a', 14],
    ['up == 0 and', 12],
    ['up{job="a",}', null],
    ['up{job=~"a"} > bool', 20],
    ['(up', 4],
    ['up[5m', 6],
    ['up offset', 10],
    ['foo bar', 5],
    ['a - b offset 10m >= 1', null],
    ['up @ start()', null],
    ['up[5m] @ 100 offset 1m', null],
    ['sum by (le) (rate(x_bucket[5m]))', null],
    ['absent_over_time(up[5m])', null],
    ['predict_linear(up[1h], 3600) < 0', null],
    ['label_join(up, "a", ",", "b", "c")', null],
    ['scalar(up) > bool 1', null],
  ];

  it('judges PromQL as promtool does, error columns included: a table of syntax and type errors', () => {
    const differ = PROMQL.map(([expr, column]) => [expr, column, promqlError(expr)] as const)
      .filter(([, column, error]) => (error ? error.offset + 1 : null) !== column)
      .map(([expr, column, error]) => ({ expr, column, ours: error }));
    expect(differ).toEqual([]);
  });
});
