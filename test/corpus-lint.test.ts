/**
 * The linter on real, public files (../shared/corpus, see its SOURCES.md): kube-prometheus'
 * PrometheusRule manifests against the prometheus-operator runbooks, and the Thanos and
 * awesome-prometheus-alerts rule files. The expected figures are what is true in those files.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LintResult } from '../src/lib/engine/lint.ts';
import { lintProject, tempDir } from './harness.ts';
import { CORPUS, describeCorpus } from './support/shared.ts';

const MANIFESTS = path.join(CORPUS, 'kube-prometheus/manifests');
const RUNBOOKS = path.join(CORPUS, 'prometheus-operator-runbooks/content/runbooks');
const temp = tempDir('runbooks-real-data-');
afterAll(temp.remove);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describeCorpus('kube-prometheus rules against the prometheus-operator runbooks', () => {
  let result: LintResult;
  const ofRule = (id: string) => result.diagnostics.filter((d) => d.ruleId === id);

  beforeAll(async () => {
    const dir = path.join(temp.dir, 'kube-prometheus');
    mkdirSync(dir);
    // A permissive schema: these runbooks follow Hugo's frontmatter, not ours.
    writeFileSync(path.join(dir, 'schema.json'), '{"type":"object"}');
    writeFileSync(
      path.join(dir, 'runbooks.config.yaml'),
      `rules: ["${MANIFESTS}/*prometheusRule.yaml"]
runbooks: ["${RUNBOOKS}/**/*.md", "!**/_index.md"]
runbooksDir: ${RUNBOOKS}
match: filename
schema: schema.json
runbookUrl: https://runbooks.prometheus-operator.dev/runbooks/{folder}/{alert|lower}
`,
    );
    result = await lintProject(dir);
  });

  // Figures computed here straight from the files, independently of the linter.
  const alertNames = new Set(
    (CORPUS ? readdirSync(MANIFESTS) : [])
      .filter((f) => f.endsWith('prometheusRule.yaml'))
      .flatMap((f) => [...readFileSync(path.join(MANIFESTS, f), 'utf8').matchAll(/^\s*- alert: (\S+)\s*$/gm)].map((m) => m[1] as string)),
  );
  const runbookNames = new Set(
    (CORPUS ? walk(RUNBOOKS) : []).filter((f) => f.endsWith('.md') && !f.endsWith('/_index.md')).map((f) => path.basename(f, '.md')),
  );

  it('reads every manifest without a parse or I/O error', () => {
    expect(result.project.ruleFiles).toHaveLength(8);
    expect(result.diagnostics.filter((d) => d.ruleId === 'parse-error' || d.ruleId === 'io-error')).toEqual([]);
  });

  it('finds the 125 distinct alert names, 12 of them defined by several rules', () => {
    expect(result.project.alerts).toHaveLength(125);
    expect(alertNames.size).toBe(125);
    expect(new Set(result.project.alerts.map((a) => a.name))).toEqual(alertNames);
    expect(result.project.alerts.filter((a) => a.rules.length > 1)).toHaveLength(12);
  });

  it('reports the 26 alerts without a runbook, at their alert: line', () => {
    const missing = ofRule('alert-has-runbook');
    expect(missing).toHaveLength(26);
    const names = missing.map((d) => /^Alert "(.+)" has no runbook/.exec(d.message)?.[1]).sort();
    expect(names).toEqual([...alertNames].filter((n) => !runbookNames.has(n)).sort());
    for (const d of missing) {
      const line = readFileSync(path.resolve(temp.dir, 'kube-prometheus', d.file), 'utf8').split('\n')[d.line - 1];
      expect(line?.slice(d.column - 1)).toMatch(/^\S+$/);
      expect(line).toMatch(/- alert: /);
    }
  });

  it('reports the 9 runbooks that match no alert', () => {
    const orphans = ofRule('runbook-alert-exists');
    expect(orphans).toHaveLength(9);
    expect(orphans.map((d) => path.basename(d.file, '.md')).sort()).toEqual([...runbookNames].filter((n) => !alertNames.has(n)).sort());
  });

  it('accepts the runbook_url of every one of the 99 covered alerts', () => {
    const covered = result.project.alerts.filter((a) => result.project.runbookFor(a.name));
    expect(covered).toHaveLength(99);
    // Accepted, not skipped: each rule carries the annotation, and the linter expects that very URL.
    for (const alert of covered) {
      for (const rule of alert.rules) {
        expect(rule.annotations.runbook_url, alert.name).toBe(result.project.runbookUrlFor(alert.name));
      }
    }
    expect(ofRule('runbook-url')).toEqual([]);
  });

  it('ignores the _index.md pages and the extension-less runbook copy', () => {
    expect(result.project.runbooks).toHaveLength(runbookNames.size);
    expect(result.project.runbooks.some((r) => r.file.endsWith('_index.md'))).toBe(false);
  });
});

describeCorpus('Thanos and awesome-prometheus-alerts rule files', () => {
  let result: LintResult;

  beforeAll(async () => {
    const dir = path.join(temp.dir, 'other-rules');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'runbooks.config.yaml'),
      `rules:
  - "${CORPUS}/thanos/examples/alerts/*.yaml"
  - "${CORPUS}/awesome-prometheus-alerts/dist/rules/**/*.yml"
runbooks: [runbooks/*.md]
`,
    );
    result = await lintProject(dir);
  });

  const byName = (suffix: string) => {
    const file = result.project.ruleFiles.find((f) => f.file.endsWith(suffix));
    if (!file) throw new Error(`${suffix} was not read`);
    return file;
  };

  it('loads every file with no parse error', () => {
    const awesome = walk(path.join(CORPUS, 'awesome-prometheus-alerts/dist/rules')).filter((f) => f.endsWith('.yml'));
    expect(awesome).toHaveLength(30);
    expect(result.project.ruleFiles).toHaveLength(32);
    for (const file of result.project.ruleFiles) expect(file.diagnostics, file.file).toEqual([]);
    expect(result.diagnostics.filter((d) => d.ruleId === 'parse-error' || d.ruleId === 'io-error')).toEqual([]);
  });

  it('finds the alerts of every file that has alerts', () => {
    expect(byName('thanos/examples/alerts/alerts.yaml').rules).toHaveLength(48);
    for (const file of result.project.ruleFiles.filter((f) => f.file.includes('awesome-prometheus-alerts'))) {
      const inFile = [...readFileSync(path.resolve(temp.dir, 'other-rules', file.file), 'utf8').matchAll(/^\s*- alert: /gm)].length;
      expect(inFile, file.file).toBeGreaterThan(0);
      expect(file.rules, file.file).toHaveLength(inFile);
    }
  });

  it('reads the recording rules of thanos/examples/alerts/rules.yaml as no alerts', () => {
    const rules = byName('thanos/examples/alerts/rules.yaml');
    expect(rules.rules).toEqual([]);
    expect(rules.recordingRules).toBeGreaterThan(0);
  });
});
