import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnOf, expectFixture, findingAt, findingAtText, FIXTURES, lintProject, tempDir } from '../harness.ts';

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
    expect(d.message).toBe('runbook_url of alert "Wrong" points to https://wiki.example.com/Wrong, but its runbook is served at https://runbooks.example.com/alerts/Wrong/');
    expect(d.hint).toContain('Set it to https://runbooks.example.com/alerts/Wrong/');
  });

  it('checks every rule of an alert that several rules share', async () => {
    const found = await expectFixture('runbook-url', 'basic');
    expect(findingAt(found, 'rules/rules.yaml', 34).message).toContain('/alerts/Sharde/');
  });

  it('warns about a missing annotation at the annotations block, or at the rule without one', async () => {
    const found = await expectFixture('runbook-url', 'basic');
    const missing = findingAt(found, 'rules/rules.yaml', 23);
    expect(missing).toMatchObject({ severity: 'warning', column: columnOf(root, 'rules/rules.yaml', 23, 'annotations'), message: 'Alert "Missing" has no runbook_url annotation' });
    expect(missing.hint).toContain('runbook_url: https://runbooks.example.com/alerts/Missing/');
    expect(findingAtText(found, root, 'rules/rules.yaml', 25, 'alert')).toMatchObject({ severity: 'warning' });
  });

  it("expresses kube-prometheus' {folder}/{alert|lower} convention", async () => {
    const found = await expectFixture('runbook-url', 'kube-prometheus');
    expect(findingAt(found, 'manifests/rules.yaml', 21).message).toContain('served at https://runbooks.prometheus-operator.dev/runbooks/node/nodeclockskewdetected');
  });

  it('computes {folder} the same whatever the working directory, with an absolute runbooksDir', async () => {
    // Deeper than the working directory, so a path resolved against the cwd would come out wrong.
    const project = path.join(temp.dir, 'a/b/c/d/e');
    mkdirSync(path.join(project, 'runbooks/node'), { recursive: true });
    writeFileSync(path.join(project, 'schema.json'), '{"type":"object"}');
    writeFileSync(path.join(project, 'runbooks/node/NodeDown.md'), '# NodeDown\n');
    writeFileSync(path.join(project, 'rules.yaml'), `groups:
  - name: node
    rules:
      - alert: NodeDown
        expr: up == 0
        annotations:
          runbook_url: https://runbooks.example.com/node/nodedown
`);
    writeFileSync(path.join(project, 'runbooks.config.yaml'), `rules: [rules.yaml]
runbooks: ["${path.join(project, 'runbooks')}/**/*.md"]
runbooksDir: ${path.join(project, 'runbooks')}
match: filename
schema: schema.json
runbookUrl: https://runbooks.example.com/{folder}/{alert|lower}
`);
    const result = await lintProject(project);
    expect(result.project.runbookUrlFor('NodeDown')).toBe('https://runbooks.example.com/node/nodedown');
    expect(result.diagnostics.filter((d) => d.ruleId === 'runbook-url')).toEqual([]);
  });
});
