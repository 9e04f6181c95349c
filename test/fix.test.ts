import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, diffLines } from 'diff';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import { writeFileAtomic } from '../src/lib/text/atomic-write.ts';
import type { Fix } from '../src/lib/checks/define.ts';
import { correctedUrl } from '../src/lib/checks/runbook-url.ts';
import { fixRuleText, planFixes, applyFixes } from '../src/lib/commands/fix.ts';
import { lint } from '../src/lib/engine/lint.ts';
import { loadProject } from '../src/lib/project/load-project.ts';
import { readRuleFile } from '../src/lib/sources/index.ts';
import { REPO, TODAY, runbookText, tempDir, writeFiles } from './harness.ts';
import { CORPUS, describeCorpus } from './support/shared.ts';

const temp = tempDir('runbooks-fix-');
afterAll(temp.remove);
let counter = 0;

const NODE = path.join(REPO, 'node_modules/.bin/node');
const CLI = path.join(REPO, 'src/cli/main.ts');
const URL = (name: string): string => `https://rb.example.com/alerts/${name}/`;

/** Writes a small project into a fresh folder: files by repo-relative path. */
function project(files: Record<string, string>): string {
  return writeFiles(path.join(temp.dir, `p${++counter}`), files);
}

const CONFIG = `rules: ["rules/**/*.yaml"]
runbooks: ["runbooks/*.md"]
match: frontmatter
schema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}
runbookUrl: https://rb.example.com/alerts/{alert}/
`;

function runCli(root: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(NODE, [CLI, ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Lines removed and added between two texts; unchanged lines are not listed. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    if (part.removed) removed.push(...lines);
    if (part.added) added.push(...lines);
  }
  return { removed, added };
}

/** One alerting rule of a group's `rules:`: its annotations as lines under `annotations:`, or a flow map (`{...}`), or none. */
function rule(name: string, annotations?: string): string {
  const block =
    annotations === undefined
      ? ''
      : annotations.startsWith('{')
        ? `        annotations: ${annotations}\n`
        : `        annotations:\n${annotations
            .split('\n')
            .map((line) => `          ${line}\n`)
            .join('')}`;
  return `      - alert: ${name}\n        expr: up == 0\n${block}`;
}

/** A rule file of one group, `g`, holding the given rules. */
function group(...rules: string[]): string {
  return `groups:\n  - name: g\n    rules:\n${rules.join('')}`;
}

/** The edits the runbook-url check offers for the rules of `text` when `urlFor` says where each alert's runbook is served. */
function offered(text: string, urlFor: (name: string) => string | undefined): Fix[] {
  return readRuleFile(text, 'rules/x.yaml').rules.flatMap((rule) => {
    const expected = urlFor(rule.name);
    const value = expected === undefined ? undefined : correctedUrl(rule.annotations.runbook_url, expected);
    return value === undefined ? [] : [{ within: rule.at, path: ['annotations', 'runbook_url'], value }];
  });
}

const fix = (text: string, urlFor: (name: string) => string | undefined = URL) => fixRuleText(text, 'rules/x.yaml', offered(text, urlFor));

describeCorpus('runbooks fix on the kube-prometheus manifests', () => {
  const manifests = path.join(CORPUS, 'kube-prometheus/manifests');
  const runbooksDir = path.join(CORPUS, 'prometheus-operator-runbooks/content/runbooks');
  const root = path.join(temp.dir, 'kube-prometheus');
  const files = (CORPUS ? readdirSync(manifests) : []).filter((f) => f.endsWith('prometheusRule.yaml')).sort();

  it('changes only runbook_url lines, keeps every alert, leaves no runbook-url finding, and is idempotent', async () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    mkdirSync(path.join(root, 'manifests'), { recursive: true });
    for (const file of files) {
      cpSync(path.join(manifests, file), path.join(root, 'manifests', file));
      chmodSync(path.join(root, 'manifests', file), 0o644);
    }
    writeFileSync(path.join(root, 'schema.json'), '{"type":"object"}');
    writeFileSync(
      path.join(root, 'runbooks.config.yaml'),
      `rules: ["manifests/*.yaml"]
runbooks:
  - ${JSON.stringify(`${runbooksDir}/**/*.md`)}
  - "!**/_index.md"
match: filename
runbooksDir: ${JSON.stringify(runbooksDir)}
schema: schema.json
runbookUrl: https://runbooks.example.org/{folder}/{alert}/
`,
    );
    const before = new Map(files.map((f) => [f, readFileSync(path.join(root, 'manifests', f), 'utf8')]));
    const config = loadConfig(root).config!;
    const lintBefore = await lint(config, { today: TODAY });
    const wrongBefore = lintBefore.diagnostics.filter((d) => d.ruleId === 'runbook-url').length;
    expect(wrongBefore).toBeGreaterThan(50);

    const result = runCli(root, ['fix']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    let changedTotal = 0;
    for (const file of files) {
      const old = before.get(file) as string;
      const now = readFileSync(path.join(root, 'manifests', file), 'utf8');
      const oldLines = old.split('\n');
      const newLines = now.split('\n');
      expect(newLines.length, file).toBe(oldLines.length);
      oldLines.forEach((line, i) => {
        if (line === newLines[i]) return;
        changedTotal++;
        expect(line, `${file}:${i + 1}`).toMatch(/^\s*runbook_url: https:\/\/runbooks\.prometheus-operator\.dev\//);
        expect(newLines[i], `${file}:${i + 1}`).toMatch(/^\s*runbook_url: https:\/\/runbooks\.example\.org\/[a-z-]+\/[A-Za-z0-9]+\/$/);
        expect(newLines[i]?.indexOf('runbook_url')).toBe(line.indexOf('runbook_url'));
      });
      const oldRules = readRuleFile(old, file);
      const newRules = readRuleFile(now, file);
      expect(newRules.diagnostics, file).toEqual([]);
      expect(newRules.rules.map((r) => [r.name, r.expr, r.labels, { ...r.annotations, runbook_url: '' }])).toEqual(
        oldRules.rules.map((r) => [r.name, r.expr, r.labels, { ...r.annotations, runbook_url: '' }]),
      );
    }
    expect(changedTotal).toBe(wrongBefore);

    const lintAfter = await lint(loadConfig(root).config!, { today: TODAY });
    expect(lintAfter.diagnostics.filter((d) => d.ruleId === 'runbook-url')).toEqual([]);

    const snapshot = files.map((f) => readFileSync(path.join(root, 'manifests', f), 'utf8'));
    const again = runCli(root, ['fix']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing to fix');
    expect(files.map((f) => readFileSync(path.join(root, 'manifests', f), 'utf8'))).toEqual(snapshot);
    expect(readdirSync(path.join(root, 'manifests')).sort()).toEqual(files);
  });
});

describe('fixRuleText', () => {
  it('inserts a missing annotation with the indentation of its siblings, after the last one (plain rule file)', () => {
    const text = `groups:
  - name: node
    rules:
      - alert: HostDown
        expr: up == 0
        annotations:
          summary: Host down
          description: |-
            The host is down.

      - alert: Other
        expr: x
`;
    const result = fix(text, (n) => (n === 'HostDown' ? URL(n) : undefined));
    expect(result.diagnostics).toEqual([]);
    expect(result.changed).toEqual(['HostDown']);
    expect(result.text).toBe(
      text.replace('            The host is down.\n', `            The host is down.\n          runbook_url: ${URL('HostDown')}\n`),
    );
  });

  it('inserts into PrometheusRule manifests, in every document and in a kind: List', () => {
    const text = `# leading comment
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: a
spec:
  groups:
  - name: a
    rules:
    - alert: A
      annotations:
        summary: a
      expr: vector(1)
---
apiVersion: v1
kind: List
items:
- apiVersion: monitoring.coreos.com/v1
  kind: PrometheusRule
  spec:
    groups:
    - name: b
      rules:
      - alert: B
        annotations:
          summary: b
        expr: vector(1)
`;
    const result = fix(text);
    expect(result.changed).toEqual(['A', 'B']);
    expect(result.text).toBe(
      text
        .replace('        summary: a\n', `        summary: a\n        runbook_url: ${URL('A')}\n`)
        .replace('          summary: b\n', `          summary: b\n          runbook_url: ${URL('B')}\n`),
    );
  });

  it('adds an annotations block at the rule key indentation when a rule has none, nested as its labels are', () => {
    const text = `groups:
- name: g
  rules:
  - alert: NoAnnotations
    expr: up == 0   # comment stays
    labels:
        severity: critical
  # a comment before the next rule

  - alert: Last
    expr: x`;
    const result = fix(text);
    expect(
      result.text,
    ).toBe(`${text.replace('        severity: critical\n', `        severity: critical\n    annotations:\n        runbook_url: ${URL('NoAnnotations')}\n`)}
    annotations:
        runbook_url: ${URL('Last')}`);
    expect(readRuleFile(result.text, 'x.yaml').rules.map((r) => r.annotations.runbook_url)).toEqual([URL('NoAnnotations'), URL('Last')]);
  });

  it('keeps comments, blank lines, key order and the quoting style of each value', () => {
    const text = `# Rules for the API.
groups:

  # the api group
  - name: api   # trailing comment
    rules:
      - alert: Single
        annotations:
          runbook_url: 'https://old.example.com/Single'   # was moved
          summary: "single"
        expr: up == 0

      - alert: Double
        expr: up == 0
        annotations:
          runbook_url: "https://old.example.com/Double"
      - alert: Plain
        annotations: {summary: s, runbook_url: https://old.example.com/Plain}
        expr: up == 0
      - alert: Block
        annotations:
          runbook_url: >-
            https://old.example.com/Block
        expr: up == 0
      - alert: Right
        annotations:
          runbook_url: https://rb.example.com/alerts/Right
        expr: up == 0
`;
    const result = fix(text);
    expect(result.changed).toEqual(['Single', 'Double', 'Plain', 'Block']);
    expect(result.text).toBe(
      text
        .replace("'https://old.example.com/Single'", `'${URL('Single')}'`)
        .replace('"https://old.example.com/Double"', `"${URL('Double')}"`)
        .replace('https://old.example.com/Plain', URL('Plain'))
        .replace('https://old.example.com/Block', URL('Block')),
    );
    const { removed, added } = changedLines(text, result.text);
    for (const line of [...removed, ...added]) expect(line).toMatch(/runbook_url|^\s*https:/);
  });

  it("keeps a URL's query string (label values) when only the page is wrong", () => {
    const text = group(rule('Q', 'runbook_url: https://old.example.com/Q?instance={{ $labels.instance }}#diagnosis'));
    const result = fix(text);
    expect(result.text).toContain(`runbook_url: ${URL('Q')}?instance={{ $labels.instance }}#diagnosis\n`);
    expect(fix(result.text).changed).toEqual([]);
  });

  it('quotes a value that YAML would otherwise misread', () => {
    const text = group(rule('A', 'summary: a'), rule('B', '{summary: b}'));
    const weird = (n: string): string => `https://rb.example.com/a #${n}, {x}`;
    const result = fix(text, weird);
    expect(result.diagnostics).toEqual([]);
    expect(result.text).toContain(`runbook_url: "https://rb.example.com/a #A, {x}"`);
    expect(readRuleFile(result.text, 'x.yaml').rules.map((r) => r.annotations.runbook_url)).toEqual([weird('A'), weird('B')]);
  });

  it('keeps CRLF line endings, including on inserted lines', () => {
    const lf = group(rule('A', 'summary: a'), rule('B', 'runbook_url: https://old/B'));
    const crlf = lf.replaceAll('\n', '\r\n');
    const result = fix(crlf);
    expect(result.changed).toEqual(['A', 'B']);
    expect(result.text).toBe(fix(lf).text.replaceAll('\n', '\r\n'));
    expect(result.text).not.toMatch(/[^\r]\n/);
  });

  it('ends every inserted line as the line before it ends, in a file whose first line alone ends in CRLF', () => {
    const text = `# mixed\r\n${group(rule('A'))}`;
    expect(fix(text).text).toBe(`# mixed\r\n${group(rule('A', `runbook_url: ${URL('A')}`))}`);
  });

  it('changes nothing the second time, and nothing for alerts without a runbook', () => {
    const text = group(rule('A'));
    const once = fix(text);
    expect(fix(once.text)).toEqual({ text: once.text, changed: [], diagnostics: [] });
    expect(fix(text, () => undefined)).toEqual({ text, changed: [], diagnostics: [] });
  });

  it('refuses a file that does not parse, with a parse-error at its position', () => {
    const text = group('      - alert: A\n        expr: "unclosed\n');
    const result = fix(text);
    expect(result.text).toBe(text);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics[0]).toMatchObject({ ruleId: 'parse-error', severity: 'error', file: 'rules/x.yaml' });
  });

  it('refuses an annotation that is an alias rather than rewriting the anchor', () => {
    const text = group(rule('A', 'summary: &url https://old/A\nrunbook_url: *url'));
    const result = fix(text);
    expect(result.text).toBe(text);
    expect(result.diagnostics[0]).toMatchObject({ ruleId: 'fix-error', line: 4 });
  });
});

describe('fixRuleText applies the edits a check offers, whatever the check', () => {
  const at = (line: number, column: number): Fix['within'] => ({ file: 'rules/x.yaml', line, column });

  it('creates every missing key of a deeper path, in block style and inside a flow mapping', () => {
    const text = group(rule('A'), rule('B', '{summary: b}'), rule('C', 'summary: c'));
    const links = ['annotations', 'links', 'runbook'];
    const result = fixRuleText(text, 'rules/x.yaml', [
      { within: at(4, 16), path: links, value: 'https://a' },
      { within: at(6, 16), path: links, value: 'https://b' },
      { within: at(9, 16), path: links, value: 'https://c' },
    ]);
    expect(result.diagnostics).toEqual([]);
    expect(result.changed).toEqual(['A', 'B', 'C']);
    expect(result.text).toBe(
      group(
        rule('A', '').replace(
          '        annotations:\n          \n',
          '        annotations:\n          links:\n            runbook: https://a\n',
        ),
        rule('B', '{summary: b, links: {runbook: https://b}}'),
        rule('C', 'summary: c\nlinks:\n  runbook: https://c'),
      ),
    );
  });

  it('refuses an edit whose mapping is not where the check saw it, and a second edit of the same place', () => {
    const text = group(rule('A', 'summary: a'));
    const result = fixRuleText(text, 'rules/x.yaml', [
      { within: at(40, 16), path: ['annotations', 'runbook_url'], value: 'https://a' },
      { within: at(4, 16), path: ['annotations', 'runbook_url'], value: 'https://one' },
      { within: at(4, 16), path: ['annotations', 'runbook_url'], value: 'https://two' },
    ]);
    expect(result.changed).toEqual(['A']);
    expect(result.text).toBe(group(rule('A', 'summary: a\nrunbook_url: https://one')));
    expect(result.diagnostics.map((d) => [d.line, d.ruleId, d.message])).toEqual([
      [40, 'fix-error', expect.stringMatching(/not .*where the check saw it/)],
      [4, 'fix-error', 'Cannot fix annotations.runbook_url of "A": another fix edits the same place'],
    ]);
  });

  it('refuses a result that would change more than the fixed value: an anchor that another key repeats', () => {
    const text = group(rule('A', 'runbook_url: &u https://old/A\ndescription: *u'));
    const result = fix(text);
    expect(result.text).toBe(text);
    expect(result.diagnostics.map((d) => [d.line, d.ruleId, d.message])).toEqual([
      [1, 'fix-error', 'Cannot fix this file safely: the result would not read back as the same data with only the fixed values changed'],
    ]);
  });

  it('changes nothing when the value is already there', () => {
    const text = group(rule('A', 'runbook_url: https://a'));
    expect(fixRuleText(text, 'rules/x.yaml', [{ within: at(4, 16), path: ['annotations', 'runbook_url'], value: 'https://a' }])).toEqual({
      text,
      changed: [],
      diagnostics: [],
    });
  });
});

describe('runbooks fix command', () => {
  const rules = `# node rules
groups:
  - name: node
    rules:
      - alert: HostDown
        expr: up == 0
        labels:
          severity: critical
        annotations:
          summary: down
`;
  const files = {
    'runbooks.config.yaml': CONFIG,
    'rules/node.yaml': rules,
    'runbooks/HostDown.md': runbookText('HostDown'),
  };

  it('--dry-run writes nothing and prints a unified diff that applies to the file', () => {
    const root = project(files);
    const file = path.join(root, 'rules/node.yaml');
    const mtime = statSync(file).mtimeMs;
    const result = runCli(root, ['fix', '--dry-run']);
    expect(result.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(rules);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(result.stdout).toMatch(/^--- a\/rules\/node\.yaml\n\+\+\+ b\/rules\/node\.yaml\n@@ -8,3 \+8,4 @@\n/);
    expect(result.stdout).toContain(`+          runbook_url: ${URL('HostDown')}\n`);
    expect(result.stderr).toContain('Would fix 1 runbook_url annotation in rules/node.yaml');
    expect(applyPatch(rules, result.stdout)).toBe(
      rules.replace('summary: down\n', `summary: down\n          runbook_url: ${URL('HostDown')}\n`),
    );
    execFileSync('git', ['apply', '--check', '-p1', '-'], { cwd: root, input: result.stdout });
  });

  it('writes atomically: same mode, no temporary file left behind; --check then passes', () => {
    const root = project(files);
    const file = path.join(root, 'rules/node.yaml');
    chmodSync(file, 0o640);
    const result = runCli(root, ['fix']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Fixed 1 runbook_url annotation in rules/node.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(path.join(root, 'rules'))).toEqual(['node.yaml']);
    expect(readFileSync(file, 'utf8')).toContain(`runbook_url: ${URL('HostDown')}`);
    expect(runCli(root, ['fix', '--check']).status).toBe(0);
  });

  it('--check exits 1 when something would change, and writes nothing', () => {
    const root = project(files);
    expect(runCli(root, ['fix', '--check']).status).toBe(1);
    expect(readFileSync(path.join(root, 'rules/node.yaml'), 'utf8')).toBe(rules);
  });

  it('fixes what it can and exits 1 when a rule file cannot be fixed', () => {
    const root = project({ ...files, 'rules/broken.yaml': 'groups:\n  - name: [\n' });
    const result = runCli(root, ['fix']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('rules/broken.yaml');
    expect(result.stderr).toContain('parse-error');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(path.join(root, 'rules/node.yaml'), 'utf8')).toContain('runbook_url:');
  });

  it('exits 2 on usage and configuration errors', () => {
    const root = project({ ...files, 'runbooks.config.yaml': CONFIG.replace(/runbookUrl:.*\n/, '') });
    const noUrl = runCli(root, ['fix']);
    expect(noUrl.status).toBe(2);
    expect(noUrl.stderr).toContain('runbookUrl');
    expect(runCli(root, ['fix', 'extra']).status).toBe(2);
    expect(runCli(root, ['fix', '--nope']).status).toBe(2);
  });

  it('leaves every annotation alone when the runbook-url check is off, as lint then asks for nothing', () => {
    const root = project({ ...files, 'runbooks.config.yaml': `${CONFIG}checks:\n  runbook-url: off\n` });
    const result = runCli(root, ['fix']);
    expect([result.status, result.stdout]).toEqual([
      0,
      'The runbook-url check is off in the config, so runbooks fix leaves the annotations alone.\n',
    ]);
    expect(readFileSync(path.join(root, 'rules/node.yaml'), 'utf8')).toBe(rules);
  });

  it('uses the annotation the runbook-url check is configured with', async () => {
    const root = project({ ...files, 'runbooks.config.yaml': `${CONFIG}checks:\n  runbook-url:\n    annotation: playbook\n` });
    const plan = await planFixes(await loadProject(loadConfig(root).config!));
    expect(plan.fixes[0]?.after).toContain(`          playbook: ${URL('HostDown')}\n`);
    expect(await applyFixes(root, plan)).toEqual([]);
    expect(readFileSync(path.join(root, 'rules/node.yaml'), 'utf8')).toContain('playbook:');
  });

  it('leaves an annotation alone when a suppression comment excuses its runbook-url finding', async () => {
    const excused = `groups:
  - name: node
    rules:
      # runbooks-disable-next-line runbook-url -- the vendor's runbook is the better one
      - alert: HostDown
        expr: up == 0
        annotations:
          runbook_url: https://vendor.example.com/HostDown
      - alert: HostDown
        expr: up == 0
        annotations:
          runbook_url: https://vendor.example.com/HostDown
`;
    const root = project({ ...files, 'rules/node.yaml': excused });
    const plan = await planFixes(await loadProject(loadConfig(root).config!));
    expect(plan.fixes.map((f) => f.changed)).toEqual([['HostDown']]);
    const after = plan.fixes[0]?.after ?? '';
    expect(after.split('\n')[7]).toBe('          runbook_url: https://vendor.example.com/HostDown');
    expect(after.split('\n')[11]).toBe(`          runbook_url: ${URL('HostDown')}`);
  });

  it('keeps a byte order mark and fills an empty runbook_url value', async () => {
    const text =
      '\uFEFFgroups:\n  - name: node\n    rules:\n      - alert: HostDown\n        expr: up == 0\n        annotations:\n          runbook_url:\n          summary: down\n';
    const root = project({ ...files, 'rules/node.yaml': text });
    const plan = await planFixes(await loadProject(loadConfig(root).config!));
    expect(await applyFixes(root, plan)).toEqual([]);
    expect(readFileSync(path.join(root, 'rules/node.yaml'), 'utf8')).toBe(
      text.replace('runbook_url:\n', `runbook_url: ${URL('HostDown')}\n`),
    );
  });

  it('refuses to write over a file that changed after it was read', async () => {
    const root = project(files);
    const file = path.join(root, 'rules/node.yaml');
    await expect(writeFileAtomic(file, 'new', 'not what is there')).rejects.toMatchObject({ code: 'ECHANGED' });
    expect(readFileSync(file, 'utf8')).toBe(rules);
    expect(readdirSync(path.join(root, 'rules'))).toEqual(['node.yaml']);
  });
});
