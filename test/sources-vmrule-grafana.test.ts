// Rule sources beside Prometheus' own format, and YAML as Prometheus reads it: VMRule manifests,
// Grafana alert provisioning files, and a quoted value continued at its key's indentation.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import { applyFixes, planFixes } from '../src/lib/commands/fix.ts';
import { lint } from '../src/lib/engine/lint.ts';
import { readRuleFile } from '../src/lib/sources/index.ts';
import { FIXTURES, tempDir, TODAY } from './harness.ts';

const dir = path.join(FIXTURES, 'sources');
const read = (name: string) => readRuleFile(readFileSync(path.join(dir, name), 'utf8'), `rules/${name}`);
const temp = tempDir('runbooks-sources-');
afterAll(temp.remove);

function project(name: string, files: string[], runbooks: string[]): string {
  const root = path.join(temp.dir, name);
  mkdirSync(path.join(root, 'rules'), { recursive: true });
  mkdirSync(path.join(root, 'runbooks'), { recursive: true });
  for (const file of files) copyFileSync(path.join(dir, file), path.join(root, 'rules', file));
  for (const alert of runbooks)
    writeFileSync(
      path.join(root, 'runbooks', `${alert}.md`),
      `# ${alert}\n\n## Meaning\n\nx\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nx\n`,
    );
  writeFileSync(
    path.join(root, 'runbooks.config.yaml'),
    'rules: [rules/*.yaml]\nrunbooks: [runbooks/*.md]\nmatch: filename\nrunbookUrl: https://runbooks.example.com/alerts/{alert}/\n',
  );
  return root;
}

async function lintRoot(root: string) {
  const loaded = loadConfig(root);
  if (!loaded.config) throw new Error(JSON.stringify(loaded.diagnostics));
  return lint(loaded.config, { today: TODAY });
}

describe('VMRule manifests', () => {
  it('are read, not skipped: their alerts need runbooks like any other', async () => {
    const file = read('vmrule.yaml');
    expect(file.rules.map((r) => [r.name, r.group, r.format, r.for])).toEqual([['VmInsertDown', 'vmalert', 'vmrule', '2m']]);
    expect(file.diagnostics).toEqual([]);
    const result = await lintRoot(project('vmrule', ['vmrule.yaml'], []));
    expect(result.diagnostics.filter((d) => d.ruleId === 'alert-has-runbook').map((d) => [d.file, d.line, d.message])).toEqual([
      ['rules/vmrule.yaml', 10, 'Alert "VmInsertDown" has no runbook'],
    ]);
  });
});

describe('Grafana alert provisioning files', () => {
  it('name each rule by its title and carry its uid, its folder and group, and the query of its first data source', () => {
    const file = read('grafana-alerts.yaml');
    expect(file.diagnostics).toEqual([]);
    expect(file.rules.map((r) => [r.name, r.group, r.format, r.for, r.labels.severity])).toEqual([
      ['ApiLatencyHigh', 'Platform/api-latency', 'grafana', '5m', 'warning'],
      ['ApiDown', 'Platform/api-latency', 'grafana', '1m', 'critical'],
    ]);
    expect(file.rules[1]?.expr).toBe('up{job="api"} == 0');
    expect(file.rules[1]?.related).toEqual([expect.objectContaining({ line: 30, message: 'Grafana rule uid d4e5f6' })]);
  });

  it('are checked: a missing runbook names the uid, runbook_url is compared, and `runbooks fix` corrects it and is idempotent', async () => {
    const root = project('grafana', ['grafana-alerts.yaml'], ['ApiLatencyHigh']);
    const before = await lintRoot(root);
    const found = before.diagnostics.filter((d) => ['alert-has-runbook', 'runbook-url', 'parse-error'].includes(d.ruleId));
    expect(found.map((d) => [d.ruleId, d.line, d.message])).toEqual([
      [
        'runbook-url',
        27,
        'runbook_url of alert "ApiLatencyHigh" points to https://wiki.example.com/latency, but its runbook is served at https://runbooks.example.com/alerts/ApiLatencyHigh/',
      ],
      ['alert-has-runbook', 31, 'Alert "ApiDown" has no runbook'],
    ]);
    expect(found[1]?.related?.map((r) => r.message)).toEqual(['Grafana rule uid d4e5f6']);
    writeFileSync(path.join(root, 'runbooks/ApiDown.md'), readFileSync(path.join(root, 'runbooks/ApiLatencyHigh.md'), 'utf8'));
    const withRunbooks = await lintRoot(root);
    const plan = await planFixes(withRunbooks.project);
    expect(plan.diagnostics).toEqual([]);
    expect(plan.fixes.map((f) => f.changed)).toEqual([['ApiLatencyHigh', 'ApiDown']]);
    expect(await applyFixes(root, plan)).toEqual([]);
    const fixed = readFileSync(path.join(root, 'rules/grafana-alerts.yaml'), 'utf8');
    expect(fixed).toContain('          runbook_url: https://runbooks.example.com/alerts/ApiLatencyHigh/\n');
    expect(readRuleFile(fixed, 'x.yaml').rules.map((r) => r.annotations.runbook_url)).toEqual([
      'https://runbooks.example.com/alerts/ApiLatencyHigh/',
      'https://runbooks.example.com/alerts/ApiDown/',
    ]);
    const after = await lintRoot(root);
    expect(after.diagnostics.filter((d) => d.ruleId === 'runbook-url' || d.ruleId === 'parse-error')).toEqual([]);
    expect((await planFixes(after.project)).fixes).toEqual([]);
  });
});

describe('YAML as Prometheus reads it', () => {
  it("loads a double-quoted value continued on the next line at its key's indentation, and the alerts after it", () => {
    const file = read('continued-quote.yaml');
    expect(file.diagnostics).toEqual([]);
    expect(file.problems ?? []).toEqual([]);
    expect(file.rules.map((r) => r.name)).toEqual(['QuotedContinuation', 'AfterIt']);
    expect(file.rules[0]?.annotations.description).toBe('The target has been down for five minutes.');
    expect(file.rules[1]?.at).toMatchObject({ line: 11, column: 16 });
  });

  it('still refuses a quote that is never closed', () => {
    const file = readRuleFile(
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n          description: "never closed\n',
      'x.yaml',
    );
    expect(file.diagnostics.map((d) => d.message)).toContain('Invalid YAML: Missing closing "quote');
  });
});
