/**
 * Rule file formats: Prometheus rule files with the extra fields of Thanos, Loki, Mimir, Cortex and
 * vmalert; PrometheusRule manifests as one document, several, or a `kind: List`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LintResult } from '../src/lib/engine/lint.ts';
import { expectWellFormed, lintProject, tempDir } from './harness.ts';

const temp = tempDir('runbooks-sources-');
afterAll(temp.remove);

const files: Record<string, string> = {
  'rules/extended.yaml': `# Group and rule fields other rule engines add.
groups:
  - name: thanos
    interval: 1m
    partial_response_strategy: warn
    rules:
      - alert: ThanosCompactHalted
        expr: thanos_compact_halted == 1
        for: 5m
        keep_firing_for: 10m
        labels: { severity: warning }
  - name: mimir
    source_tenants: [tenant-a, tenant-b]
    evaluation_delay: 1m
    query_offset: 30s
    limit: 100
    rules:
      - alert: MimirIngesterUnhealthy
        expr: min(cortex_ring_members{state="Unhealthy"}) > 0
  - name: vmalert
    type: prometheus
    concurrency: 2
    params: { nocache: ["1"] }
    headers: ["X-Scope-OrgID: 1"]
    labels: { team: db }
    eval_offset: 10s
    rules:
      - alert: VmalertRule
        expr: up == 0
        debug: true
        update_entries_limit: 5
  - name: loki
    rules:
      - alert: LokiHighErrorRate
        expr: sum(rate({app="foo"} |= "error" [5m])) > 10
      - record: job:errors:rate5m
        expr: sum by (job) (rate(errors_total[5m]))
`,
  'rules/names.yaml': `groups:
  - name: odd names
    rules:
      - alert: PveVm/ctDown
        expr: up == 0
      - alert: SslCertificateExpiry(<7Days)
        expr: up == 0
      - alert: coordinator down
        expr: up == 0
      - { alert: FlowStyle, expr: up == 0, labels: { severity: info } }
      - "alert": QuotedKey
        expr: up == 0
`,
  'rules/multi.yaml': `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: first }
spec:
  groups:
    - name: first
      rules:
        - alert: FirstDocAlert
          expr: up == 0
          labels: { severity: warning }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: unrelated }
data: { key: value }
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: second }
spec:
  groups:
    - name: second
      rules:
        - alert: SecondDocAlert
          expr: up == 0
        - alert: FirstDocAlert
          expr: up == 1
          labels: { severity: critical }
`,
  'rules/list.yaml': `apiVersion: v1
kind: List
items:
  - apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    metadata: { name: in-a-list }
    spec:
      groups:
        - name: listed
          rules:
            - alert: ListedAlert
              expr: up == 0
`,
  'rules/not-rules.yaml': 'scrape_configs:\n  - job_name: node\n',
  'rules/broken-shapes.yaml': `groups:
  - name: no-name
    rules:
      - expr: up == 0
        labels: { severity: critical }
`,
  'rules/groups-not-list.yaml': 'groups:\n  name: oops\n',
};

let result: LintResult;

beforeAll(async () => {
  const root = path.join(temp.dir, 'project');
  mkdirSync(path.join(root, 'rules'), { recursive: true });
  writeFileSync(path.join(root, 'runbooks.config.yaml'), 'rules: [rules/*.yaml]\nrunbooks: [runbooks/*.md]\n');
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(root, file), text);
  result = await lintProject(root);
});

const alert = (name: string) => {
  const found = result.project.alert(name);
  if (!found) throw new Error(`alert ${name} not read`);
  return found;
};
const inputProblems = (file: string) => result.project.inputDiagnostics.filter((d) => d.file === file);

describe('rule sources', () => {
  it('accepts the group and rule fields of Thanos, Mimir, Cortex, vmalert and Loki', () => {
    expect(inputProblems('rules/extended.yaml')).toEqual([]);
    expect(
      ['ThanosCompactHalted', 'MimirIngesterUnhealthy', 'VmalertRule', 'LokiHighErrorRate'].map((n) => alert(n).rules[0]?.group),
    ).toEqual(['thanos', 'mimir', 'vmalert', 'loki']);
    expect(alert('ThanosCompactHalted').rules[0]).toMatchObject({
      for: '5m',
      keepFiringFor: '10m',
      labels: { severity: 'warning' },
      format: 'prometheus',
    });
  });

  it('does not count recording rules as alerts', () => {
    const file = result.project.ruleFiles.find((f) => f.file === 'rules/extended.yaml');
    expect(file?.recordingRules).toBe(1);
    expect(file?.rules).toHaveLength(4);
    expect(result.project.alert('job:errors:rate5m')).toBeUndefined();
  });

  it('keeps alert names that are any string, in any YAML style, at the position of the name', () => {
    for (const [name, line, column] of [
      ['PveVm/ctDown', 4, 16],
      ['SslCertificateExpiry(<7Days)', 6, 16],
      ['coordinator down', 8, 16],
      ['FlowStyle', 10, 18],
      ['QuotedKey', 11, 18],
    ] as const) {
      expect(alert(name).rules[0]?.at, name).toMatchObject({ file: 'rules/names.yaml', line, column });
    }
    expect(alert('FlowStyle').rules[0]?.labels).toEqual({ severity: 'info' });
  });

  it('reads every PrometheusRule document of a file, and skips other kinds', () => {
    expect(inputProblems('rules/multi.yaml')).toEqual([]);
    expect(alert('SecondDocAlert').rules[0]).toMatchObject({ format: 'prometheus-operator', at: { line: 24, column: 18 } });
  });

  it('makes several rules with one name one alert', () => {
    const rules = alert('FirstDocAlert').rules;
    expect(rules.map((r) => [r.at.line, r.labels.severity])).toEqual([
      [8, 'warning'],
      [26, 'critical'],
    ]);
    expect(result.project.alerts.filter((a) => a.name === 'FirstDocAlert')).toHaveLength(1);
  });

  it('reads a kind: List of PrometheusRules', () => {
    expect(inputProblems('rules/list.yaml')).toEqual([]);
    expect(alert('ListedAlert').rules[0]).toMatchObject({ group: 'listed', at: { line: 11, column: 22 } });
  });

  it('says so when a file is not a rule file, or a rule has no name', () => {
    const [notRules] = inputProblems('rules/not-rules.yaml');
    expect(notRules).toMatchObject({
      line: 1,
      column: 1,
      severity: 'warning',
      message: 'Not a rule file: no `groups` and no `kind: PrometheusRule` or `kind: VMRule`',
    });
    const [nameless] = inputProblems('rules/broken-shapes.yaml');
    expect(nameless).toMatchObject({
      line: 4,
      column: 9,
      ruleId: 'parse-error',
      message: 'Rule has neither an `alert` name nor a `record` name',
    });
    const [notList] = inputProblems('rules/groups-not-list.yaml');
    expect(notList).toMatchObject({ line: 2, ruleId: 'parse-error', message: '`groups` must be a list of rule groups' });
    for (const d of result.project.inputDiagnostics) expectWellFormed(d);
  });
});
