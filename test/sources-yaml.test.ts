/**
 * Rule files read as Prometheus reads their YAML: aliases and merge keys, scalars Prometheus keeps
 * as strings, CR-only line endings, duplicate keys beside Go templates, error recovery that keeps
 * positions inside their lines, and names that are not valid UTF-16.
 */
import { describe, expect, it } from 'vitest';
import type { RuleFile } from '../src/lib/project/model.ts';
import { parseJob } from '../src/lib/perf/workers/jobs.ts';
import { runbookText } from './harness.ts';
import { brief, lintAt, rulesFor as rules, smallProjects } from './support/small-project.ts';

const { project } = smallProjects('runbooks-sources-yaml-');

describe('rule files read as Prometheus reads them', () => {
  const read = (text: string) => parseJob({ kind: 'rules', file: 'rules/x.yaml', text }) as RuleFile;

  it('reads YAML aliases and merge keys as Prometheus does', () => {
    const file = read(`crit: &crit {severity: critical, team: db}
ann: &ann {summary: Down, runbook_url: https://x/}
groups:
  - name: g
    rules:
      - alert: A
        expr: up == 0
        labels: *crit
        annotations: {<<: *ann, summary: Really down}
`);
    expect(file.diagnostics).toEqual([]);
    expect(file.rules.map((r) => [r.name, { ...r.labels }, { ...r.annotations }])).toEqual([
      ['A', { severity: 'critical', team: 'db' }, { runbook_url: 'https://x/', summary: 'Really down' }],
    ]);
  });

  it('keeps `.nan`, `1e3` and `0x10` as the strings Prometheus keeps', () => {
    const file = read(
      'groups:\n  - name: g\n    rules:\n      - alert: .nan\n        expr: vector(1)\n        labels: {severity: .nan, n: 1e3, h: 0x10, yes: true}\n',
    );
    expect(file.rules.map((r) => [r.name, { ...r.labels }])).toEqual([['.nan', { severity: '.nan', n: '1e3', h: '0x10', yes: 'true' }]]);
  });

  it('reads CR-only line endings as line breaks, in rule files and runbooks', async () => {
    const file = read(rules('Api').replaceAll('\n', '\r'));
    expect(file.diagnostics).toEqual([]);
    expect(file.rules.map((r) => [r.name, r.at.line])).toEqual([['Api', 4]]);
    const body = runbookText('Api', { body: '## Meaning\n\nx\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nTODO\n' });
    const lf = (await lintAt(project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': body }))).map(brief);
    expect(lf).toEqual(['runbooks/Api.md:26:1 placeholder-content']);
    const cr = project({ 'rules/a.yaml': rules('Api').replaceAll('\n', '\r'), 'runbooks/Api.md': body.replaceAll('\n', '\r') });
    expect((await lintAt(cr)).map(brief)).toEqual(lf);
  });

  it('reports a real duplicate key although a block scalar holds `{{ $labels.instance }}`', () => {
    const file = read(`groups:
  - name: g
    rules:
      - alert: A
        expr: up == 0
        expr: up == 1
        annotations:
          description: |
            {{ $labels.instance }} is down
`);
    expect(file.diagnostics.map((d) => [d.line, d.message])).toEqual([[6, expect.stringMatching(/Map keys must be unique/)]]);
  });

  it('still says a Helm template is a template', () => {
    const file = read('{{- if .Values.enabled }}\ngroups: []\n{{- end }}\n');
    expect(file.diagnostics.map((d) => d.message)).toEqual(['This rule file is a template (Helm or Go template syntax), not YAML']);
  });

  it('keeps every position inside its line after YAML error recovery', () => {
    for (const text of ['a: "x\n', 'a: [1, 2\nb: 3', 'k: {a: 1\n', '- a\nb: c\n  - d', 'a:\n\t- b\n']) {
      const file = read(text);
      const lines = text.split('\n');
      for (const d of file.diagnostics) {
        expect(d.line, `${JSON.stringify(text)}: ${d.message}`).toBeLessThanOrEqual(lines.length);
        expect(d.column, `${JSON.stringify(text)}: ${d.message}`).toBeLessThanOrEqual((lines[d.line - 1] ?? '').length + 1);
        if (d.endLine !== undefined && d.endColumn !== undefined)
          expect(d.endColumn).toBeLessThanOrEqual((lines[d.endLine - 1] ?? '').length + 1);
      }
    }
  });

  it('lints an alert whose name holds a lone surrogate', async () => {
    const root = project({
      'rules/a.yaml': 'groups:\n  - name: g\n    rules:\n      - alert: "Bad\\uD800Name"\n        expr: vector(1)\n',
    });
    const found = await lintAt(root);
    expect(found.map((d) => d.ruleId)).toEqual(['alert-has-runbook']);
  });
});
