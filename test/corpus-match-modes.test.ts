/**
 * The new Markdown modes on real, public files (../shared/corpus, see its SOURCES.md): the
 * prometheus-operator runbooks (Hugo content, some without frontmatter) under match: filename and
 * match: heading, and Thanos' generated runbook.md under match: heading. Expected figures are
 * computed from the files here, independently of the linter.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LintResult } from '../src/lib/engine/lint.ts';
import { lintProject, tempDir } from './harness.ts';
import { CORPUS, describeCorpus } from './support/shared.ts';

const MANIFESTS = path.join(CORPUS, 'kube-prometheus/manifests');
const RUNBOOKS = path.join(CORPUS, 'prometheus-operator-runbooks/content/runbooks');
const temp = tempDir('runbooks-real-markdown-');
afterAll(temp.remove);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

async function lintWith(name: string, config: string, schema = '{"type":"object"}'): Promise<LintResult> {
  const dir = path.join(temp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'schema.json'), schema);
  writeFileSync(path.join(dir, 'runbooks.config.yaml'), `${config}\nschema: schema.json\n`);
  return lintProject(dir);
}

const prometheusOperator = (match: string): string => `rules: ["${MANIFESTS}/*prometheusRule.yaml"]
runbooks: ["${RUNBOOKS}/**/*.md", "!**/_index.md"]
runbooksDir: ${RUNBOOKS}
runbookUrl: https://runbooks.prometheus-operator.dev/runbooks/{folder}/{alert|lower}
${match}`;

const runbookFiles = CORPUS ? walk(RUNBOOKS).filter((f) => f.endsWith('.md') && !f.endsWith('/_index.md')) : [];
const text = (file: string): string => readFileSync(file, 'utf8');
const of = (result: LintResult, id: string) => result.diagnostics.filter((d) => d.ruleId === id);

describeCorpus('prometheus-operator runbooks under match: filename', () => {
  const withoutFrontmatter = runbookFiles
    .filter((f) => !text(f).startsWith('---'))
    .map((f) => path.basename(f))
    .sort();

  it('accepts the runbooks without frontmatter when the schema requires no key', async () => {
    expect(withoutFrontmatter).toHaveLength(8);
    const result = await lintWith('filename-permissive', prometheusOperator('match: filename'));
    expect(of(result, 'frontmatter-schema')).toEqual([]);
  });

  it('reports exactly those runbooks when the schema requires keys', async () => {
    const result = await lintWith('filename-strict', prometheusOperator('match: filename'), '{"type":"object","required":["title"]}');
    const missing = of(result, 'frontmatter-schema').filter((d) => d.message === 'Runbook has no frontmatter');
    expect(missing.map((d) => path.basename(d.file)).sort()).toEqual(withoutFrontmatter);
    expect(missing.every((d) => d.hint?.includes('(title)'))).toBe(true);
  });

  it('reports each Hugo ref shortcode, with the relative link to write instead, and no HTML the sanitizer removes', async () => {
    const result = await lintWith('filename-foreign', prometheusOperator('match: filename'));
    const refs = runbookFiles.flatMap((f) => [...text(f).matchAll(/\{\{< ref "([^"]+)" >\}\}/g)].map((m) => m[1] as string));
    expect(refs).toHaveLength(7);
    const found = of(result, 'foreign-syntax');
    expect(found.map((d) => /`\[[^\]]*\]\(([^)]+)\)`/.exec(d.hint ?? '')?.[1]).sort()).toEqual(refs.sort());
    // 13 <details> blocks, all HTML GitHub allows.
    expect(runbookFiles.flatMap((f) => text(f).match(/<details>/g) ?? [])).toHaveLength(13);
    expect(of(result, 'unsafe-html')).toEqual([]);
  });
});

describeCorpus('prometheus-operator runbooks under match: heading (each H1 names its alert)', () => {
  it('claims by the H1, and finds the two H1s that name another alert than the file', async () => {
    const result = await lintWith(
      'heading-h1',
      prometheusOperator("match: heading\nheading: { level: 1, pattern: '{alert}', otherwise: filename }"),
    );
    const h1 = (f: string): string | undefined => /^# (.+)$/m.exec(text(f).replace(/^---[\s\S]*?\n---\n/, ''))?.[1]?.trim();
    const differ = runbookFiles.filter((f) => h1(f) !== undefined && h1(f) !== path.basename(f, '.md'));
    expect(differ.map((f) => `${path.basename(f)}: ${h1(f)}`).sort()).toEqual([
      'CPUThrottlingHigh.md: CPU Throttling High',
      'PrometheusRemoteWriteBehind.md: PrometheusRemoteStorageFailures',
    ]);
    expect(of(result, 'runbook-alert-exists').map((d) => /alert "([^"]+)"/.exec(d.message)?.[1])).toContain('CPU Throttling High');
    expect(of(result, 'duplicate-runbook').map((d) => path.basename(d.file))).toEqual(['PrometheusRemoteWriteBehind.md']);
    expect(of(result, 'alert-has-runbook').map((d) => /"(.+)"/.exec(d.message)?.[1])).toEqual(
      expect.arrayContaining(['CPUThrottlingHigh', 'PrometheusRemoteWriteBehind']),
    );
  });
});

describeCorpus("Thanos' runbook.md under match: heading", () => {
  it('finds no `##### Alert Name: "X"` section, so every one of the 48 linked fragments dangles', async () => {
    const result = await lintWith(
      'thanos',
      `rules: ["${CORPUS}/thanos/examples/alerts/alerts.yaml"]
runbooks: ["${CORPUS}/thanos/mixin/runbook.md"]
runbooksDir: ${CORPUS}/thanos/mixin
match: heading
heading: { level: 5, pattern: 'Alert Name: "{alert}"' }
runbookUrl: https://github.com/thanos-io/thanos/tree/main/mixin/{file}.md#{anchor}`,
    );
    const urls = [...text(path.join(CORPUS, 'thanos/examples/alerts/alerts.yaml')).matchAll(/runbook_url: \S+#(alert-name-\S+)/g)];
    expect(urls).toHaveLength(48);
    expect(text(path.join(CORPUS, 'thanos/mixin/runbook.md'))).not.toMatch(/^#{5} Alert Name/m);
    expect(of(result, 'alert-has-runbook')).toHaveLength(48);
    expect(of(result, 'alert-has-runbook')[0]?.hint).toMatch(/^Add a section `##### Alert Name: "Thanos\w+"` to a runbook/);
  });
});

describeCorpus("Thanos' alerts against a runbook.md written the way their runbook_urls expect", () => {
  it('accepts all 48 runbook_urls exactly, fragment included, and runbooks fix leaves them as they are', async () => {
    const alerts = [...text(path.join(CORPUS, 'thanos/examples/alerts/alerts.yaml')).matchAll(/^\s*- alert: (\S+)\s*$/gm)].map(
      (m) => m[1] as string,
    );
    expect(alerts).toHaveLength(48);
    const dir = path.join(temp.dir, 'thanos-sections');
    mkdirSync(path.join(dir, 'mixin'), { recursive: true });
    const sections = alerts.map(
      (name) =>
        `##### Alert Name: "${name}"\n\n${['Meaning', 'Impact', 'Diagnosis', 'Mitigation'].map((h) => `###### ${h}\n\nText.\n`).join('\n')}`,
    );
    writeFileSync(path.join(dir, 'mixin/runbook.md'), `# Thanos alerts\n\n${sections.join('\n')}`);
    const result = await lintWith(
      'thanos-sections/config',
      `rules: ["${CORPUS}/thanos/examples/alerts/alerts.yaml"]
runbooks: ["../mixin/runbook.md"]
runbooksDir: ../mixin
match: heading
heading: { level: 5, pattern: 'Alert Name: "{alert}"' }
runbookUrl: https://github.com/thanos-io/thanos/tree/main/mixin/{file}.md#{anchor}`,
    );
    expect(result.project.claimsOf(result.project.runbooks[0]!)).toHaveLength(48);
    for (const id of [
      'runbook-url',
      'alert-has-runbook',
      'runbook-alert-exists',
      'required-sections',
      'placeholder-content',
      'frontmatter-schema',
    ])
      expect(of(result, id), id).toEqual([]);
    const { planFixes } = await import('../src/lib/commands/fix.ts');
    expect((await planFixes(result.project)).fixes).toEqual([]);
  });
});

describe('the corpus is the one described', () => {
  it.skipIf(!CORPUS)('holds the prometheus-operator runbooks', () => expect(runbookFiles.length).toBeGreaterThan(100));
});
