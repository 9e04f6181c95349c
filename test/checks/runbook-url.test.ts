import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFixes, planFixes } from '../../src/lib/commands/fix.ts';
import { offeredFixes } from '../../src/lib/engine/lint.ts';
import { loadProject } from '../../src/lib/project/load-project.ts';
import { columnOf, configOf, expectFixture, findingAt, findingAtText, FIXTURES, lintProject, tempDir, writeFiles } from '../harness.ts';

const root = path.join(FIXTURES, 'runbook-url/basic');
const temp = tempDir();
afterAll(temp.remove);

describe('runbook-url', () => {
  it('accepts the served URL with or without a trailing slash, with a query string, percent-encoded', async () => {
    await expectFixture('runbook-url', 'basic');
  });

  it('reports a wrong URL at the annotation value, showing the expected URL', async () => {
    const found = await expectFixture('runbook-url', 'basic');
    const d = findingAtText(found, root, 'rules/rules.yaml', 20, 'https://wiki');
    expect(d.severity).toBe('error');
    expect(d.message).toBe(
      'runbook_url of alert "Wrong" points to https://wiki.example.com/Wrong, but its runbook is served at https://runbooks.example.com/alerts/Wrong/',
    );
    expect(d.hint).toContain('Set it to https://runbooks.example.com/alerts/Wrong/');
  });

  it('checks every rule of an alert that several rules share', async () => {
    const found = await expectFixture('runbook-url', 'basic');
    expect(findingAt(found, 'rules/rules.yaml', 34).message).toContain('/alerts/Sharde/');
  });

  it('warns about a missing annotation at the annotations block, or at the rule without one', async () => {
    const found = await expectFixture('runbook-url', 'basic');
    const missing = findingAt(found, 'rules/rules.yaml', 23);
    expect(missing).toMatchObject({
      severity: 'warning',
      column: columnOf(root, 'rules/rules.yaml', 23, 'annotations'),
      message: 'Alert "Missing" has no runbook_url annotation',
    });
    expect(missing.hint).toContain('runbook_url: https://runbooks.example.com/alerts/Missing/');
    expect(findingAtText(found, root, 'rules/rules.yaml', 25, 'alert')).toMatchObject({ severity: 'warning' });
  });

  it("expresses kube-prometheus' {folder}/{alert|lower} convention", async () => {
    const found = await expectFixture('runbook-url', 'kube-prometheus');
    expect(findingAt(found, 'manifests/rules.yaml', 21).message).toContain(
      'served at https://runbooks.prometheus-operator.dev/runbooks/node/nodeclockskewdetected',
    );
  });

  it('computes {folder} the same whatever the working directory, with an absolute runbooksDir', async () => {
    // Deeper than the working directory, so a path resolved against the cwd would come out wrong.
    const project = path.join(temp.dir, 'a/b/c/d/e');
    mkdirSync(path.join(project, 'runbooks/node'), { recursive: true });
    writeFileSync(path.join(project, 'schema.json'), '{"type":"object"}');
    writeFileSync(path.join(project, 'runbooks/node/NodeDown.md'), '# NodeDown\n');
    writeFileSync(
      path.join(project, 'rules.yaml'),
      `groups:
  - name: node
    rules:
      - alert: NodeDown
        expr: up == 0
        annotations:
          runbook_url: https://runbooks.example.com/node/nodedown
`,
    );
    writeFileSync(
      path.join(project, 'runbooks.config.yaml'),
      `rules: [rules.yaml]
runbooks: ["${path.join(project, 'runbooks')}/**/*.md"]
runbooksDir: ${path.join(project, 'runbooks')}
match: filename
schema: schema.json
runbookUrl: https://runbooks.example.com/{folder}/{alert|lower}
`,
    );
    const result = await lintProject(project);
    expect(result.project.runbookUrlFor('NodeDown')).toBe('https://runbooks.example.com/node/nodedown');
    expect(result.diagnostics.filter((d) => d.ruleId === 'runbook-url')).toEqual([]);
  });

  it("offers with each finding the edit that repairs it: the corrected URL at the rule's annotation", async () => {
    const offered = offeredFixes(await loadProject(configOf(root)));
    const wrong = 'https://runbooks.example.com/alerts/';
    expect(offered.map(({ finding, fix }) => [finding.line, fix.within.file, fix.within.line, fix.path, fix.value])).toEqual([
      [20, 'rules/rules.yaml', 16, ['annotations', 'runbook_url'], `${wrong}Wrong/`],
      [23, 'rules/rules.yaml', 21, ['annotations', 'runbook_url'], `${wrong}Missing/`],
      [25, 'rules/rules.yaml', 25, ['annotations', 'runbook_url'], `${wrong}NoAnnotations/`],
      [34, 'rules/rules.yaml', 31, ['annotations', 'runbook_url'], `${wrong}Shared/`],
    ]);
    // Exactly the findings lint reports carry an edit: none is left out, none is made up.
    const found = (await expectFixture('runbook-url', 'basic')).map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`);
    expect(offered.map(({ finding: d }) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual(found);
  });

  it("keeps a link's query string (label values) and fragment when only its page is wrong", async () => {
    const dir = writeFiles(path.join(temp.dir, 'query'), {
      'runbooks.config.yaml':
        'rules: [rules.yaml]\nrunbooks: [runbooks/*.md]\nmatch: filename\nschema: schema.json\nrunbookUrl: https://runbooks.example.com/{alert}/\n',
      'schema.json': '{"type":"object"}',
      'runbooks/Api.md': '# Api\n',
      'rules.yaml':
        'groups:\n  - name: g\n    rules:\n      - alert: Api\n        expr: up == 0\n        annotations:\n          runbook_url: https://old.example.com/Api?instance={{ $labels.instance }}#diagnosis\n',
    });
    const offered = offeredFixes(await loadProject(configOf(dir)));
    expect(offered.map(({ fix }) => fix.value)).toEqual(['https://runbooks.example.com/Api/?instance={{ $labels.instance }}#diagnosis']);
  });

  it('writes the annotation its option names', async () => {
    const dir = path.join(temp.dir, 'option');
    cpSync(root, dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'runbooks.config.yaml'),
      `${readFileSync(path.join(root, 'runbooks.config.yaml'), 'utf8')}checks:\n  runbook-url: {annotation: playbook}\n`,
    );
    const offered = offeredFixes(await loadProject(configOf(dir)));
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.every(({ fix }) => fix.path.join('.') === 'annotations.playbook')).toBe(true);
  });

  it('offers nothing when the check is off', async () => {
    const dir = path.join(temp.dir, 'off');
    cpSync(root, dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'runbooks.config.yaml'),
      `${readFileSync(path.join(root, 'runbooks.config.yaml'), 'utf8')}checks:\n  runbook-url: off\n`,
    );
    expect(offeredFixes(await loadProject(configOf(dir)))).toEqual([]);
  });

  it('is repaired by its own fixes: after `runbooks fix` the fixture has no runbook-url finding, and a second run changes nothing', async () => {
    const dir = path.join(temp.dir, 'fixed');
    cpSync(root, dir, { recursive: true });
    const plan = await planFixes(await loadProject(configOf(dir)));
    expect(plan.diagnostics).toEqual([]);
    expect(plan.fixes.map((f) => [f.file, f.changed])).toEqual([['rules/rules.yaml', ['Wrong', 'Missing', 'NoAnnotations', 'Shared']]]);
    expect(await applyFixes(dir, plan)).toEqual([]);
    expect((await lintProject(dir)).diagnostics.filter((d) => d.ruleId === 'runbook-url')).toEqual([]);
    expect((await planFixes(await loadProject(configOf(dir)))).fixes).toEqual([]);
  });
});
