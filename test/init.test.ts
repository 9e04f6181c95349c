/**
 * `runbooks init` in repositories that have not adopted the tool: rule files found by their
 * content, the runbooks folder found by what its files name, nothing replaced, package.json
 * edited byte for byte, and the written config accepted by the linter.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRules, exampleRunbook } from '../src/lib/checks/examples.ts';
import { discover, init, ruleGlobs } from '../src/lib/commands/init.ts';
import { toolRoot } from '../src/lib/config/tool.ts';
import { addScript } from '../src/lib/commands/package-json.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import { REPO, runCli, tempDir, writeFiles } from './harness.ts';
import { CORPUS, describeCorpus } from './support/shared.ts';

const temp = tempDir('runbooks-init-');
afterAll(temp.remove);
let count = 0;
const fresh = (files: Record<string, string>): string => writeFiles(path.join(temp.dir, `r${++count}`), files);

const PACKAGE = '{\n    "name": "team",\n    "scripts": {\n        "test": "vitest"\n    },\n    "private": true\n}\n';

/** A team's repository: rules under odd names beside other YAML, a manifest, runbooks in docs/. */
function teamRepo(): string {
  return fresh({
    'package.json': PACKAGE,
    'monitoring/alerts.yml': exampleRules([{ name: 'ApiDown' }, { name: 'ApiSlow', severity: 'warning' }]),
    'monitoring/values.yml': 'replicas: 2\n',
    'deploy/k8s/api-rules.yaml': `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: { name: api }\nspec:\n${exampleRules([{ name: 'ApiGone' }]).replace(/^/gm, '  ')}`,
    'deploy/k8s/more-rules.yaml': `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: { name: more }\nspec:\n${exampleRules([{ name: 'ApiFlapping' }]).replace(/^/gm, '  ')}`,
    'charts/api/templates/rules.yaml':
      'groups:\n  - name: x\n    rules:\n{{- range .Values.alerts }}\n      - alert: {{ .name }}\n{{- end }}\n',
    'node_modules/dep/rules.yaml': exampleRules([{ name: 'NotOurs' }]),
    'docs/runbooks/ApiDown.md': exampleRunbook(),
    'docs/runbooks/api/ApiSlow.md': exampleRunbook({ frontmatter: { alert: 'ApiSlow', severity: 'warning' } }),
    'docs/runbooks/README.md': '# Our runbooks\n',
    'README.md': '# The service\n',
    '.gitignore': 'node_modules/\n',
  });
}

describe('runbooks init (the real CLI)', () => {
  it('finds rule files by content and the runbooks folder, writes config, schema and template, and adds the script', async () => {
    const dir = teamRepo();
    const r = await runCli(['init'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Found 3 rule files with 4 alerts, and 2 runbooks in docs/runbooks/.');
    expect(r.stdout).toMatch(/Skipped 1 YAML file that look like rule templates.*charts\/api\/templates\/rules\.yaml/);
    for (const file of ['runbooks.config.yaml', 'schema/runbook.schema.json', 'docs/runbooks/_template.md', 'package.json'])
      expect(r.stdout).toMatch(new RegExp(`wrote +${file.replace('.', '\\.')}`));
    expect(r.stdout).toContain('npx runbooks new --missing');
    expect(r.stdout).toContain('npx runbooks lint --baseline-update');
    expect(r.stdout).toContain('Add `.cache/` to .gitignore');

    const config = readFileSync(path.join(dir, 'runbooks.config.yaml'), 'utf8');
    const first = config.split('\n')[0] as string;
    expect(first).toMatch(/^# yaml-language-server: \$schema=\S+config\.schema\.json$/);
    // The reference resolves, from the config's folder, to this tool's own config schema.
    expect(readFileSync(path.resolve(dir, first.replace(/^.*\$schema=/, '')), 'utf8')).toBe(
      readFileSync(path.join(REPO, 'schema/config.schema.json'), 'utf8'),
    );
    const loaded = loadConfig(dir);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.config?.rules).toEqual(['deploy/k8s/*.yaml', 'monitoring/alerts.yml']);
    expect(loaded.config?.runbooks).toEqual(['docs/runbooks/**/*.md', '!docs/runbooks/_template.md', '!docs/runbooks/README.md']);
    expect(loaded.config?.match).toBe('frontmatter');
    expect(loaded.config?.runbookUrl).toBe('https://runbooks.example.com/alerts/{alert}/');
    expect(readFileSync(path.join(dir, 'schema/runbook.schema.json'), 'utf8')).toBe(
      readFileSync(path.join(REPO, 'schema/runbook.schema.json'), 'utf8'),
    );
    expect(readFileSync(path.join(dir, 'docs/runbooks/_template.md'), 'utf8')).toBe(
      readFileSync(path.join(REPO, 'runbooks/_template.md'), 'utf8'),
    );
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(
      PACKAGE.replace('"test": "vitest"', '"test": "vitest",\n        "lint:runbooks": "runbooks lint"'),
    );

    // The linter reads the result: the two alerts without a runbook, nothing else, and no "no files".
    const lint = await runCli(['lint', '--format', 'json'], dir);
    expect(lint.code, lint.stderr).toBe(1);
    const report = JSON.parse(lint.stdout) as { diagnostics: { ruleId: string; message: string }[] };
    expect(report.diagnostics.map((d) => d.message).sort()).toEqual([
      'Alert "ApiFlapping" has no runbook',
      'Alert "ApiGone" has no runbook',
    ]);

    // A second run replaces nothing and says so.
    const before = readFileSync(path.join(dir, 'runbooks.config.yaml'), 'utf8');
    const again = await runCli(['init'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/left alone runbooks\.config\.yaml .*it exists/);
    expect(readFileSync(path.join(dir, 'runbooks.config.yaml'), 'utf8')).toBe(before);
  }, 30_000);

  it('says which files it left alone, and writes nothing when there are no rule files', async () => {
    const dir = fresh({
      'rules/a.yaml': exampleRules(),
      'schema/runbook.schema.json': '{"type":"object"}\n',
      'package.json': '{"scripts":{"lint:runbooks":"eslint ."}}\n',
    });
    const result = await init({ cwd: dir, today: '2026-11-01' });
    expect(result.outcomes.map((o) => `${o.file} ${o.written}`)).toEqual([
      'runbooks.config.yaml true',
      'schema/runbook.schema.json false',
      'runbooks/_template.md true',
      'package.json false',
    ]);
    expect(result.outcomes[1]?.reason).toBe('it exists');
    expect(result.outcomes[3]?.reason).toBe('it already has lint:runbooks ("eslint .")');
    expect(readFileSync(path.join(dir, 'schema/runbook.schema.json'), 'utf8')).toBe('{"type":"object"}\n');
    // No runbooks yet: they go in runbooks/, matched by frontmatter; a folder with one rule file is still a glob.
    expect(loadConfig(dir).config).toMatchObject({
      rules: ['rules/*.yaml'],
      runbooks: ['runbooks/**/*.md', '!runbooks/_template.md'],
      match: 'frontmatter',
    });

    const empty = fresh({ 'docker-compose.yml': 'services: {}\n', 'notes.md': '# hi\n' });
    const r = await runCli(['init'], empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/found no Prometheus rule file or PrometheusRule manifest below .*\nNothing was written\./);
    expect(existsSync(path.join(empty, 'runbooks.config.yaml'))).toBe(false);
  });

  it('from an installed package: finds its own schema and template, and points $schema into node_modules', async () => {
    const dir = fresh({ 'rules/a.yaml': exampleRules() });
    // The package as npm installs it; this module would run from a compiled folder inside it.
    const installed = path.join(dir, 'node_modules/runbooks');
    for (const part of ['package.json', 'schema', 'runbooks/_template.md'])
      cpSync(path.join(REPO, part), path.join(installed, part), { recursive: true });
    mkdirSync(path.join(installed, 'dist/lib/commands'), { recursive: true });
    const tool = toolRoot(path.join(installed, 'dist/lib/commands'));
    expect(tool).toBe(installed);
    writeFileSync(path.join(installed, 'runbooks/_template.md'), '---\nalert: "{{alert}}"\n---\n\n# installed template\n');
    await init({ cwd: dir, tool });
    expect(readFileSync(path.join(dir, 'runbooks.config.yaml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./node_modules/runbooks/schema/config.schema.json',
    );
    expect(readFileSync(path.join(dir, 'runbooks/_template.md'), 'utf8')).toContain('# installed template');
    expect(toolRoot()).toBe(REPO);
  });
});

describe('ruleGlobs', () => {
  it('globs a folder only when every YAML file in it is a rule file, and never the repository root', () => {
    const folders: Record<string, string[]> = {
      rules: ['a.yaml', 'b.yml'],
      mixed: ['r.yaml', 'kustomization.yaml'],
      '.': ['alerts.yaml', 'compose.yaml'],
    };
    expect(ruleGlobs(['rules/a.yaml', 'rules/b.yml', 'mixed/r.yaml', 'alerts.yaml'], (d) => folders[d] ?? [])).toEqual([
      'alerts.yaml',
      'mixed/r.yaml',
      'rules/*.{yml,yaml}',
    ]);
  });
});

describe('addScript keeps every other byte of package.json', () => {
  const cases: Record<string, [string, string]> = {
    'four spaces': [PACKAGE, PACKAGE.replace('"test": "vitest"', '"test": "vitest",\n        "lint:runbooks": "runbooks lint"')],
    tabs: [
      '{\n\t"name": "x",\n\t"scripts": {\n\t\t"a": "b"\n\t}\n}',
      '{\n\t"name": "x",\n\t"scripts": {\n\t\t"a": "b",\n\t\t"lint:runbooks": "runbooks lint"\n\t}\n}',
    ],
    CRLF: [
      '{\r\n  "scripts": {\r\n    "a": "b}"\r\n  }\r\n}\r\n',
      '{\r\n  "scripts": {\r\n    "a": "b}",\r\n    "lint:runbooks": "runbooks lint"\r\n  }\r\n}\r\n',
    ],
    'no scripts': [
      '{\n  "name": "x",\n  "deps": { "a": "1" }\n}\n',
      '{\n  "name": "x",\n  "deps": { "a": "1" },\n  "scripts": {\n    "lint:runbooks": "runbooks lint"\n  }\n}\n',
    ],
    'empty scripts': [
      '{\n  "scripts": {},\n  "name": "x"\n}\n',
      '{\n  "scripts": {\n    "lint:runbooks": "runbooks lint"\n  },\n  "name": "x"\n}\n',
    ],
    'one line': ['{"scripts":{"a":"b"},"name":"x"}', '{"scripts":{"a":"b", "lint:runbooks": "runbooks lint"},"name":"x"}'],
    'empty object': ['{}\n', '{\n  "scripts": {\n    "lint:runbooks": "runbooks lint"\n  }\n}\n'],
  };
  for (const [name, [before, after]] of Object.entries(cases)) {
    it(name, () => {
      const result = addScript(before, 'lint:runbooks', 'runbooks lint');
      expect(result.text).toBe(after);
      expect(JSON.parse(result.text as string).scripts['lint:runbooks']).toBe('runbooks lint');
    });
  }
  it('leaves an existing script and a broken file alone', () => {
    expect(addScript('{"scripts":{"lint:runbooks":"x"}}', 'lint:runbooks', 'y')).toEqual({ exists: 'x' });
    expect(addScript('{"scripts":', 'lint:runbooks', 'y').problem).toMatch(/not valid JSON/);
    expect(addScript('[]', 'lint:runbooks', 'y').problem).toBe('it is not a JSON object');
  });
});

describeCorpus('runbooks init on kube-prometheus with the prometheus-operator runbooks', () => {
  it('finds the manifests and runbooks, infers {folder}/{alert|lower}, and the baseline then accepts every finding', async () => {
    // A copy in the temp folder: init writes files, and the corpus is shared.
    const dir = path.join(temp.dir, 'kube');
    for (const part of ['kube-prometheus', 'prometheus-operator-runbooks'])
      cpSync(path.join(CORPUS, part), path.join(dir, part), { recursive: true });
    const result = await init({ cwd: dir });
    expect(result.found.ruleFiles.length).toBeGreaterThan(0);
    expect(result.found.runbooksDir).toBe('prometheus-operator-runbooks/content/runbooks');
    expect(result.found.match).toBe('filename');
    expect(result.found.runbookUrl).toBe('https://runbooks.prometheus-operator.dev/runbooks/{folder}/{alert|lower}');
    const update = await runCli(['lint', '--baseline-update'], dir);
    expect(update.code, update.stdout + update.stderr).toBe(0);
    const after = await runCli(['lint'], dir);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/no problems\n\d+ findings accepted by the baseline/);
  }, 30_000);
});

describe('init and the other rule sources', () => {
  it('finds VMRule manifests and Grafana alert provisioning files by their content', async () => {
    const dir = path.join(temp.dir, 'sources');
    mkdirSync(path.join(dir, 'deploy'), { recursive: true });
    for (const name of ['vmrule.yaml', 'grafana-alerts.yaml'])
      cpSync(path.join(REPO, 'test/fixtures/sources', name), path.join(dir, 'deploy', name));
    const found = await discover(dir);
    expect(found.ruleFiles).toEqual(['deploy/grafana-alerts.yaml', 'deploy/vmrule.yaml']);
    expect(found.alerts).toEqual(['ApiDown', 'ApiLatencyHigh', 'VmInsertDown']);
  });
});
