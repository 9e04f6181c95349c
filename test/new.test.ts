import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import { lint } from '../src/lib/engine/lint.ts';
import { loadProject } from '../src/lib/project/load-project.ts';
import { BUILTIN_TEMPLATE, createRunbooks, renderRunbook, safeFileName, seriesQuery, titleFromName } from '../src/lib/commands/scaffold.ts';
import { REPO, TODAY, runbookText, runCliSync, tempDir, writeFiles } from './harness.ts';
import { rulesFor, SMALL_CONFIG, smallProjects } from './support/small-project.ts';

const temp = tempDir('runbooks-new-');
afterAll(temp.remove);
let counter = 0;

const TEMPLATE = readFileSync(path.join(REPO, 'runbooks/_template.md'), 'utf8');

function project(files: Record<string, string>): string {
  return writeFiles(path.join(temp.dir, `p${++counter}`), files);
}

const runCli = (root: string, args: string[]) => runCliSync(args, root);

const CONFIG = `rules: ["rules/**/*.yaml"]
runbooks: ["runbooks/**/*.md", "!runbooks/_template.md"]
match: frontmatter
schema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}
ignoreAlerts:
  - alert: Watchdog
    reason: always fires
`;

const RULES = `groups:
  - name: node
    rules:
      - alert: HostOutOfMemory
        expr: |
          node_memory_MemAvailable_bytes{job="node"}
            / node_memory_MemTotal_bytes{job="node"} * 100 < 10
        for: 5m
        labels:
          severity: warning
          team: platform
        annotations:
          summary: Host {{ $labels.instance }} is running out of memory
          description: >-
            Only {{ $value }}% of memory is available on {{ $labels.instance }}.
      - alert: HostOutOfMemory
        expr: node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"} * 100 < 2
        labels:
          severity: critical
      - alert: PveVm/ctDown
        expr: sum by (id, node) (pve_up{job="pve"}) == 0
        labels:
          severity: critical
        annotations:
          summary: 'VM "{{ $labels.id }}" down: check it # now'
      - alert: SslCertificateExpiry(<7Days)
        expr: probe_ssl_earliest_cert_expiry - time() < 86400 * 7
        labels:
          severity: warning
      - alert: coordinator down
        expr: up{job="coordinator"} == 0
        labels:
          severity: critical
      - alert: Watchdog
        expr: vector(1)
      - alert: HostDown
        expr: up{job="node"} == 0
        labels:
          severity: critical
`;

const base = {
  'runbooks.config.yaml': CONFIG,
  'runbooks/_template.md': TEMPLATE,
  'rules/node.yaml': RULES,
  'runbooks/HostDown.md': runbookText('HostDown'),
};

/** The CLI dates new runbooks today, so they are linted on today (stale-review would call TODAY's past the future). */
async function lintRoot(root: string) {
  return lint(loadConfig(root).config!, { today: new Date().toISOString().slice(0, 10) });
}

describe('runbooks new', () => {
  it('creates a runbook pre-filled from the rules that fails only placeholder-content until written', async () => {
    const root = project(base);
    const result = runCli(root, ['new', 'HostOutOfMemory']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created runbooks/HostOutOfMemory.md for alert HostOutOfMemory');
    const text = readFileSync(path.join(root, 'runbooks/HostOutOfMemory.md'), 'utf8');
    const frontmatter = parse(/^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '') as Record<string, unknown>;
    expect(frontmatter).toMatchObject({
      alert: 'HostOutOfMemory',
      title: 'Host out of memory',
      severity: 'critical',
      owner: 'platform',
      summary: 'Host {{ $labels.instance }} is running out of memory',
    });
    expect(frontmatter.last_reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(text).toContain('# Host out of memory\n');
    expect(text).toContain('> Only {{ $value }}% of memory is available on {{ $labels.instance }}.');
    // Both rules' expressions, each named by where it stands.
    expect(text).toContain(
      '# rules/node.yaml:4 (severity warning)\nnode_memory_MemAvailable_bytes{job="node"}\n  / node_memory_MemTotal_bytes{job="node"} * 100 < 10\n',
    );
    expect(text).toContain(
      '# rules/node.yaml:16 (severity critical)\nnode_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"} * 100 < 2\n',
    );
    expect(text).toContain('node_memory_MemAvailable_bytes{job="node", instance="{{ $labels.instance }}"}');
    // The template's own `{{ $labels.instance }}` prose is not a placeholder.
    expect(text).toContain('`{{ $labels.instance }}` for the firing alert');
    expect(text).not.toMatch(/\{\{[a-z_]+\}\}/);

    const found = (await lintRoot(root)).diagnostics.filter(
      (d) => d.file === 'runbooks/HostOutOfMemory.md' || d.message.includes('"HostOutOfMemory"'),
    );
    expect(found.length).toBeGreaterThan(0);
    expect([...new Set(found.map((d) => d.ruleId))]).toEqual(['placeholder-content']);
  });

  it('gives names that are not safe file names a slug, while the frontmatter keeps the exact name', async () => {
    const root = project(base);
    const names = ['PveVm/ctDown', 'SslCertificateExpiry(<7Days)', 'coordinator down'];
    const result = runCli(root, ['new', ...names, '--owner', 'infra: core']);
    expect(result.code).toBe(0);
    const files = ['runbooks/PveVm-ctDown.md', 'runbooks/SslCertificateExpiry-7Days.md', 'runbooks/coordinator-down.md'];
    for (const [i, file] of files.entries()) {
      expect(result.stdout).toContain(`Created ${file} for alert ${names[i]}`);
      const data = parse(/^---\n([\s\S]*?)\n---\n/.exec(readFileSync(path.join(root, file), 'utf8'))?.[1] ?? '') as Record<string, unknown>;
      expect(data.alert).toBe(names[i]);
      expect(data.owner).toBe('infra: core');
    }
    const pve = parse(/^---\n([\s\S]*?)\n---\n/.exec(readFileSync(path.join(root, files[0] as string), 'utf8'))?.[1] ?? '') as Record<
      string,
      unknown
    >;
    expect(pve.summary).toBe('VM "{{ $labels.id }}" down: check it # now');
    expect(pve.title).toBe('Pve vm/ct down');
    const pveText = readFileSync(path.join(root, files[0] as string), 'utf8');
    expect(pveText).toContain('pve_up{job="pve", id="{{ $labels.id }}", node="{{ $labels.node }}"}');

    const diagnostics = (await lintRoot(root)).diagnostics;
    for (const file of files) {
      const mine = diagnostics.filter((d) => d.file === file);
      expect(mine.length, file).toBeGreaterThan(0);
      expect([...new Set(mine.map((d) => d.ruleId))], file).toEqual(['placeholder-content']);
    }
    expect(diagnostics.filter((d) => d.ruleId === 'alert-has-runbook').map((d) => d.message)).toEqual([
      'Alert "HostOutOfMemory" has no runbook',
    ]);
  });

  it('--missing creates a runbook for every alert without one, except ignored ones', async () => {
    const root = project(base);
    const result = runCli(root, ['new', '--missing']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4 runbooks created');
    expect(readdirSync(path.join(root, 'runbooks')).sort()).toEqual([
      'HostDown.md',
      'HostOutOfMemory.md',
      'PveVm-ctDown.md',
      'SslCertificateExpiry-7Days.md',
      '_template.md',
      'coordinator-down.md',
    ]);
    expect(readFileSync(path.join(root, 'runbooks/HostDown.md'), 'utf8')).toBe(runbookText('HostDown'));
    const ids = new Set((await lintRoot(root)).diagnostics.map((d) => d.ruleId));
    expect([...ids]).toEqual(['placeholder-content']);
    const again = runCli(root, ['new', '--missing']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to create');
  });

  it('never overwrites: an alert with a runbook, or a file in the way, is reported with exit 1', () => {
    const root = project({
      ...base,
      'runbooks.config.yaml': CONFIG.replace('match: frontmatter', 'match: filename'),
      'runbooks/HostDown.md': 'mine\n',
    });
    const byName = runCli(root, ['new', 'HostDown', 'HostOutOfMemory', 'NoSuchAlert', 'HostOutOfMemry']);
    expect(byName.code).toBe(1);
    expect(byName.stderr).toContain('Alert "HostDown" already has a runbook: runbooks/HostDown.md');
    expect(byName.stderr).toContain('No rule file defines alert "NoSuchAlert"');
    expect(byName.stderr).toContain('did you mean "HostOutOfMemory"?');
    expect(byName.stdout).toContain('Created runbooks/HostOutOfMemory.md');
    expect(readFileSync(path.join(root, 'runbooks/HostDown.md'), 'utf8')).toBe('mine\n');
    expect(readdirSync(path.join(root, 'runbooks')).filter((f) => f.endsWith('.tmp') || f.startsWith('.'))).toEqual([]);
  });

  it('uses the exact alert name as the file name with match: filename, and a slug naming the alert where the name cannot be a file name', async () => {
    const root = project({ ...base, 'runbooks.config.yaml': CONFIG.replace('match: frontmatter', 'match: filename') });
    const before = await lint(loadConfig(root).config!, { today: TODAY });
    const hints = before.diagnostics.filter((d) => d.ruleId === 'alert-has-runbook').map((d) => d.hint);
    expect(hints).toContain(
      'Run `runbooks new \'SslCertificateExpiry(<7Days)\'`: it writes runbooks/SslCertificateExpiry(-7Days).md with `alert: "SslCertificateExpiry(<7Days)"` in its frontmatter (the name cannot be a file name). Or list the alert under ignoreAlerts with a reason.',
    );
    expect(hints).toContain(
      'Run `runbooks new PveVm/ctDown`: it writes runbooks/PveVm-ctDown.md with `alert: "PveVm/ctDown"` in its frontmatter (the name cannot be a file name). Or list the alert under ignoreAlerts with a reason.',
    );
    expect(hints).toContain("Create runbooks/coordinator down.md, or run `runbooks new 'coordinator down'`.");
    expect(runCli(root, ['new', 'coordinator down', 'SslCertificateExpiry(<7Days)', 'PveVm/ctDown']).code).toBe(0);
    const files = readdirSync(path.join(root, 'runbooks'));
    expect(files).toEqual(expect.arrayContaining(['coordinator down.md', 'SslCertificateExpiry(-7Days).md', 'PveVm-ctDown.md']));
    expect(readFileSync(path.join(root, 'runbooks/PveVm-ctDown.md'), 'utf8')).toContain('alert: "PveVm/ctDown"');
    const project2 = await loadProject(loadConfig(root).config!);
    expect(project2.runbookFor('coordinator down')?.file).toBe('runbooks/coordinator down.md');
    expect(project2.runbookFor('SslCertificateExpiry(<7Days)')?.file).toBe('runbooks/SslCertificateExpiry(-7Days).md');
    expect(project2.runbookFor('PveVm/ctDown')?.file).toBe('runbooks/PveVm-ctDown.md');
    expect(project2.runbookFor('ctDown')).toBeUndefined();
  });

  it('gives a slug a number when another alert is named like it, in filename mode', async () => {
    const rules = `groups:\n  - name: g\n    rules:\n      - alert: A/B\n        expr: up == 0\n      - alert: A-B\n        expr: up == 0\n`;
    const root = project({
      ...base,
      'rules/slugs.yaml': rules,
      'runbooks.config.yaml': CONFIG.replace('match: frontmatter', 'match: filename'),
    });
    const hints = (await lint(loadConfig(root).config!, { today: TODAY })).diagnostics
      .filter((d) => d.ruleId === 'alert-has-runbook')
      .map((d) => d.hint);
    expect(hints).toContain(
      'Run `runbooks new A/B`: it writes runbooks/A-B-2.md with `alert: "A/B"` in its frontmatter (the name cannot be a file name). Or list the alert under ignoreAlerts with a reason.',
    );
    const results = await createRunbooks(await loadProject(loadConfig(root).config!), ['A/B', 'A-B'], TEMPLATE, { today: TODAY });
    expect(results.map((r) => [r.alert, r.created, r.file])).toEqual([
      ['A/B', true, 'runbooks/A-B-2.md'],
      ['A-B', true, 'runbooks/A-B.md'],
    ]);
    const loaded = await loadProject(loadConfig(root).config!);
    expect([loaded.runbookFor('A/B')?.file, loaded.runbookFor('A-B')?.file]).toEqual(['runbooks/A-B-2.md', 'runbooks/A-B.md']);
  });

  it('numbers a slug that another runbook already uses, with frontmatter matching', async () => {
    const root = project({
      ...base,
      'runbooks/coordinator-down.md': runbookText('HostDown').replace('alert: HostDown', 'alert: SomethingElse'),
    });
    const results = await createRunbooks(await loadProject(loadConfig(root).config!), ['coordinator down'], TEMPLATE, { today: TODAY });
    expect(results).toMatchObject([{ alert: 'coordinator down', created: true, file: 'runbooks/coordinator-down-2.md' }]);
    expect(readFileSync(path.join(root, 'runbooks/coordinator-down.md'), 'utf8')).toContain('alert: SomethingElse');
  });

  it('fills the severity from the label severity-match is configured with, as lint then compares it', async () => {
    const rules = `groups:
  - name: g
    rules:
      - alert: DiskFull
        expr: disk_free_ratio < 0.05
        labels:
          severity: critical
          priority: warning
      - alert: DiskFull
        expr: disk_free_ratio < 0.10
        labels:
          severity: warning
          priority: info
`;
    const created = async (config: string): Promise<{ frontmatter: Record<string, unknown>; text: string; root: string }> => {
      const root = project({ ...base, 'rules/node.yaml': rules, 'runbooks.config.yaml': config });
      const results = await createRunbooks(await loadProject(loadConfig(root).config!), ['DiskFull'], TEMPLATE, { today: TODAY });
      expect(results).toMatchObject([{ alert: 'DiskFull', created: true, file: 'runbooks/DiskFull.md' }]);
      const text = readFileSync(path.join(root, 'runbooks/DiskFull.md'), 'utf8');
      return { frontmatter: parse(/^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '') as Record<string, unknown>, text, root };
    };

    const byDefault = await created(CONFIG);
    expect(byDefault.frontmatter.severity).toBe('critical');
    expect(byDefault.text).toContain('# rules/node.yaml:4 (severity critical)\ndisk_free_ratio < 0.05\n');
    expect(byDefault.text).toContain('# rules/node.yaml:9 (severity warning)\ndisk_free_ratio < 0.10\n');

    const byPriority = await created(`${CONFIG}checks:\n  severity-match:\n    label: priority\n`);
    expect(byPriority.frontmatter.severity).toBe('warning');
    expect(byPriority.text).toContain('# rules/node.yaml:4 (priority warning)\ndisk_free_ratio < 0.05\n');
    expect(byPriority.text).toContain('# rules/node.yaml:9 (priority info)\ndisk_free_ratio < 0.10\n');
    const found = (await lint(loadConfig(byPriority.root).config!, { today: TODAY })).diagnostics.filter(
      (d) => d.file === 'runbooks/DiskFull.md',
    );
    expect(found.length).toBeGreaterThan(0);
    expect([...new Set(found.map((d) => d.ruleId))]).toEqual(['placeholder-content']);
  });

  it('falls back to the built-in template, and exits 2 when a configured template is missing', () => {
    const noTemplate: Record<string, string> = { ...base };
    delete noTemplate['runbooks/_template.md'];
    const root = project(noTemplate);
    expect(runCli(root, ['new', 'HostOutOfMemory']).code).toBe(0);
    expect(readFileSync(path.join(root, 'runbooks/HostOutOfMemory.md'), 'utf8')).toContain('## Mitigation\n\nTODO');

    const configured = project({ ...noTemplate, 'runbooks.config.yaml': `${CONFIG}template: templates/runbook.md\n` });
    const missing = runCli(configured, ['new', 'HostOutOfMemory']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('templates/runbook.md');
    expect(runCli(configured, ['new']).code).toBe(2);
    expect(runCli(configured, ['new', '--missing', 'HostDown']).code).toBe(2);
  });
});

describe('scaffold helpers', () => {
  it('turns alert names into titles and safe file names', () => {
    expect(titleFromName('HostOutOfMemory')).toBe('Host out of memory');
    expect(titleFromName('KubeAPIErrorBudgetBurn')).toBe('Kube API error budget burn');
    expect(titleFromName('etcdHighNumberOfFailedGRPCRequests')).toBe('Etcd high number of failed GRPC requests');
    expect(titleFromName('coordinator_down')).toBe('Coordinator down');
    expect(safeFileName('PveVm/ctDown')).toBe('PveVm-ctDown');
    expect(safeFileName('SslCertificateExpiry(<7Days)')).toBe('SslCertificateExpiry-7Days');
    expect(safeFileName('../x')).toBe('x');
    expect(safeFileName('///')).toBe('alert');
  });

  it('narrows the first selector to the labels that matter, keeping its matchers', () => {
    expect(seriesQuery('sum by (namespace) (rate(x_total{job="a"}[5m])) > 1', ['namespace'])).toBe(
      'x_total{job="a", namespace="{{ $labels.namespace }}"}',
    );
    expect(seriesQuery('up{instance="a"} == 0', ['instance'])).toBeUndefined();
    expect(seriesQuery('up == 0', [])).toBeUndefined();
  });

  it('escapes values for the quoting the template chose, and leaves unknown placeholders alone', () => {
    const template = `---\nalert: "{{alert}}"\ntitle: '{{title}}'\nsummary: {{summary}}\nx: {{unknown}}\n---\n\n# {{title}}\n`;
    const text = renderRunbook(template, { alert: 'A"b\\c', title: "it's: here", summary: 'a: b # c' });
    const data = parse(/^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '') as Record<string, unknown>;
    expect(data).toMatchObject({ alert: 'A"b\\c', title: "it's: here", summary: 'a: b # c' });
    expect(text).toContain("title: 'it''s: here'");
    expect(text).toContain('x: {{unknown}}');
    expect(text).toContain("# it's: here\n");
  });

  it('keeps CRLF templates CRLF and indents multi-line values under their placeholder', () => {
    const template = BUILTIN_TEMPLATE.replace('{{expr}}', '   {{expr}}').replaceAll('\n', '\r\n');
    const text = renderRunbook(template, {
      alert: 'A',
      title: 'A',
      severity: 'info',
      owner: 'o',
      summary: 's',
      today: TODAY,
      expr: 'a\n  / b',
      description: '',
      query: '',
    });
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('   a\r\n     / b\r\n');
    expect(text).not.toContain('{{description}}');
    expect(text).toContain('## Meaning\r\n\r\nTODO');
  });
});

describe('hostile alert names', () => {
  const small = smallProjects('runbooks-new-names-');

  it('`runbooks new` with a 300-character alert name creates a file or says why, and returns', async () => {
    const long = `A${'b'.repeat(299)}`;
    const frontmatter = small.project({ 'rules/a.yaml': rulesFor(long) });
    const made = runCliSync(['new', long], frontmatter);
    expect(made.code, made.stderr).toBe(0);
    // Too long to be a file name, it gets a shortened one that names the alert in its frontmatter, as any name that cannot be a file name.
    const filename = small.project({ 'rules/a.yaml': rulesFor(long) }, `${SMALL_CONFIG}match: filename\n`);
    const slugged = runCliSync(['new', long], filename);
    expect(slugged.code, slugged.stderr).toBe(0);
    const written = readFileSync(path.join(filename, `runbooks/${long.slice(0, 200)}.md`), 'utf8');
    expect(written).toContain(`alert: "${long}"`);
  });

  it('leaves {{constructor}} and {{__proto__}} in a template as written', async () => {
    expect(renderRunbook('---\ntitle: {{constructor}}\n---\n\n# {{__proto__}} {{alert}}\n', { alert: 'A' })).toBe(
      '---\ntitle: {{constructor}}\n---\n\n# {{__proto__}} A\n',
    );
  });
});
