import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SiteEntry } from '../../src/lib/site/astro-loader.ts';
import { loadSite, SiteBuildError } from '../../src/lib/site/load-site.ts';

const root = path.resolve(import.meta.dirname, '../..');
const subpath = path.join(import.meta.dirname, 'fixtures/subpath');
const today = '2026-11-21';
const temps: string[] = [];

/** A copy of the sub-path fixture with its config edited, to make it fail in one way. */
function variant(edit: (config: string) => string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'site-model-'));
  temps.push(dir);
  cpSync(subpath, dir, { recursive: true });
  const file = path.join(dir, 'runbooks.config.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  for (const [name, text] of Object.entries(extra)) writeFileSync(path.join(dir, name), text);
  return file;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('the bundled example', async () => {
  const { model } = await loadSite({ cwd: root, config: 'runbooks.config.yaml', today });

  it('serves every alert at the path of its runbook_url', () => {
    const page = model.pages.find((p) => p.alert === 'HostDown');
    expect(page?.path).toBe('alerts/HostDown/');
    expect(page?.href).toBe('/alerts/HostDown/');
  });

  it('gives each alert of a multi-alert runbook its own page, the first one canonical', () => {
    const pages = model.pages.filter((p) => p.file === 'runbooks/HostFilesystemFilling.md');
    expect(pages.map((p) => [p.alert, p.canonical])).toEqual([
      ['HostFilesystemFillingUp', true],
      ['HostFilesystemAlmostFull', false],
    ]);
    expect(pages[1]?.canonicalHref).toBe('/alerts/HostFilesystemFillingUp/');
    // The alert that fired comes first among the rules.
    expect(pages[1]?.rules[0]?.alert).toBe('HostFilesystemAlmostFull');
  });

  it("gives the page's own sections anchors that do not clash with the body's headings", () => {
    const page = model.pages.find((p) => p.alert === 'HostDown');
    expect(page?.html).toContain('id="escalation"');
    expect(page?.sectionIds).toEqual({ rules: 'alerting-rules', dashboards: 'dashboards', escalation: 'escalation-1' });
    expect(page?.toc.map((t) => t.slug).slice(-3)).toEqual(['alerting-rules', 'dashboards', 'escalation-1']);
    expect(page?.toc.at(-1)?.text).toBe('Escalation contact');
  });

  it('turns aliases into redirects to the runbook', () => {
    expect(model.redirects).toContainEqual(expect.objectContaining({ path: 'alerts/NodeDown/', target: '/alerts/HostDown/' }));
  });

  it('links rules to Prometheus when the config names it', () => {
    const rule = model.pages.find((p) => p.alert === 'HostDown')?.rules[0];
    expect(rule?.graphUrl).toBe('http://localhost:9090/graph?g0.expr=up%7Bjob%3D%22node%22%7D%20%3D%3D%200&g0.tab=0');
    expect(rule?.file).toBe('rules/node.yaml');
    expect(rule?.for).toBe('2m');
  });

  it('lists every alert in the table, with the ignored one and its reason', () => {
    expect(model.alerts.length).toBe(22);
    const watchdog = model.alerts.find((a) => a.alert === 'Watchdog');
    expect(watchdog?.href).toBeUndefined();
    expect(watchdog?.ignored).toContain('Always firing');
  });
});

describe('a kube-prometheus-style project under a sub-path', async () => {
  const { model, diagnostics } = await loadSite({ cwd: root, config: path.join(subpath, 'runbooks.config.yaml'), today });

  it('serves {folder}/{alert|lower} URLs below the base', () => {
    expect(model.base).toBe('/runbooks/');
    expect(model.pages.map((p) => p.href).sort()).toEqual([
      '/runbooks/kubernetes/kubepodcrashlooping',
      '/runbooks/node/nodefilesystemalmostoutofspace',
      '/runbooks/node/nodefilesystemspacefillingup',
    ]);
  });

  it('redirects an alias below the base', () => {
    expect(model.redirects).toEqual([
      expect.objectContaining({ path: 'old/crashloop/', target: '/runbooks/kubernetes/kubepodcrashlooping' }),
    ]);
  });

  it('rewrites a relative link to another runbook into that runbook page, keeping the anchor', () => {
    const page = model.pages.find((p) => p.alert === 'KubePodCrashLooping');
    expect(page?.html).toContain('href="/runbooks/node/nodefilesystemspacefillingup#diagnosis"');
    expect(page?.editUrl).toBe('https://git.example.com/ops/runbooks/-/blob/main/runbooks/kubernetes/KubePodCrashLooping.md');
  });

  it('builds with warnings and reports the uncovered alert, the stale runbook and counts by owner', () => {
    expect(diagnostics.map((d) => d.ruleId).sort()).toEqual(['alert-has-runbook', 'stale-review']);
    expect(model.coverage.missing).toEqual([expect.objectContaining({ alert: 'KubeJobFailed', file: 'rules/kubernetes.yaml' })]);
    expect(model.coverage.stale).toEqual([expect.objectContaining({ title: 'Pod is crash looping', days: 320 })]);
    expect(model.pages.find((p) => p.alert === 'KubePodCrashLooping')?.stale).toEqual({ days: 320, limit: 90 });
    // The uncovered alert has no owner label: it is counted under "(no owner)", so every row adds up.
    expect(model.coverage.owners).toEqual([
      { owner: '(no owner)', runbooks: 0, alerts: 1, covered: 0, missing: 1, stale: 0 },
      { owner: 'apps', runbooks: 1, alerts: 1, covered: 1, missing: 0, stale: 1 },
      { owner: 'platform', runbooks: 1, alerts: 2, covered: 2, missing: 0, stale: 0 },
    ]);
    expect(model.coverage.totals).toMatchObject({ alerts: 4, covered: 3, missing: 1, runbooks: 2, stale: 1 });
  });

  it('collects the label names a page fills, from the body and the annotations', () => {
    expect(model.pages.find((p) => p.alert === 'KubePodCrashLooping')?.labels).toEqual(['pod', 'namespace']);
  });
});

describe('the stale-review check as the site sees it', () => {
  it('marks no runbook stale when the check is off, and counts days as the check does when it is on', async () => {
    const off = await loadSite({
      config: variant((text) => text.replace('  stale-review:\n    maxAgeDays: 90\n', '  stale-review: off\n')),
      today,
    });
    expect(off.model.coverage.stale).toEqual([]);
    expect(off.model.coverage.totals.staleLimit).toBeUndefined();
    expect(off.model.pages.every((p) => p.stale === undefined)).toBe(true);
    const on = await loadSite({ config: variant((text) => text.replace('maxAgeDays: 90', 'maxAgeDays: 319')), today });
    const finding = on.diagnostics.find((d) => d.ruleId === 'stale-review');
    expect(finding?.message).toMatch(/, 320 days ago \(limit 319\)$/);
    expect(on.model.pages.find((p) => p.alert === 'KubePodCrashLooping')?.stale).toEqual({ days: 320, limit: 319 });
  });
});

describe("severity-match's label as the site reads it", () => {
  it('takes the severity of the pages, the table, coverage and the live view from the configured label', async () => {
    const rules = readFileSync(path.join(subpath, 'rules/kubernetes.yaml'), 'utf8')
      .replace('severity: warning', 'severity: info\n          priority: warning')
      .replace('severity: warning', 'severity: warning\n          priority: critical')
      .replaceAll('severity: critical', 'severity: info\n          priority: critical');
    const crashLooping = 'runbooks/kubernetes/KubePodCrashLooping.md';
    // Without the frontmatter's severity the page shows the rule's; the schema would require it.
    const runbook = readFileSync(path.join(subpath, crashLooping), 'utf8').replace('severity: warning\n', '');
    const config = variant(
      (text) => text.replace('checks:\n', 'checks:\n  frontmatter-schema: off\n  severity-match:\n    label: priority\n'),
      { 'rules/kubernetes.yaml': rules, [crashLooping]: runbook },
    );
    const { model, situation, diagnostics } = await loadSite({ config, today });
    // severity-match compares the same label: the other runbooks' critical is their alerts' priority.
    expect(diagnostics.filter((d) => d.ruleId === 'severity-match')).toEqual([]);
    const page = model.pages.find((p) => p.alert === 'KubePodCrashLooping');
    expect([page?.severity, page?.fromRule.severity]).toEqual(['warning', true]);
    expect(model.alerts.map((a) => [a.alert, a.severity])).toEqual([
      ['KubeJobFailed', 'critical'],
      ['KubePodCrashLooping', 'warning'],
      ['NodeFilesystemAlmostOutOfSpace', 'critical'],
      ['NodeFilesystemSpaceFillingUp', 'critical'],
    ]);
    expect(model.severities).toEqual(['critical', 'warning']);
    expect(model.coverage.missing).toEqual([expect.objectContaining({ alert: 'KubeJobFailed', severity: 'critical' })]);
    expect(situation.severityLabel).toBe('priority');
  });

  it('reads the severity label by default', async () => {
    const { model, situation } = await loadSite({ config: path.join(subpath, 'runbooks.config.yaml'), today });
    expect(model.coverage.missing).toEqual([expect.objectContaining({ alert: 'KubeJobFailed', severity: 'warning' })]);
    expect(model.alerts.find((a) => a.alert === 'KubeJobFailed')?.severity).toBe('warning');
    expect(situation.severityLabel).toBe('severity');
  });
});

describe('what stops the build', () => {
  it('fails on any error the linter finds, with its stylish report', async () => {
    const config = variant((text) => text.replace('alert-has-runbook: warning', 'alert-has-runbook: error'));
    const failure = await loadSite({ config, today }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SiteBuildError);
    const report = (failure as SiteBuildError).report;
    expect(report).toContain('rules/kubernetes.yaml');
    expect(report).toMatch(/error\s+Alert "KubeJobFailed" has no runbook\s+alert-has-runbook/);
    expect(report).toContain('✖ 2 problems (1 error, 1 warning)');
  });

  it('fails when runbookUrl points outside the site base', async () => {
    const config = variant((text) => text.replace('base: /runbooks/', 'base: /docs/'));
    const failure = (await loadSite({ config, today }).catch((error: unknown) => error)) as SiteBuildError;
    expect(failure.report).toContain("outside the site's base path /docs/");
    expect(failure.diagnostics.filter((d) => d.ruleId === 'site-error')).toHaveLength(3);
  });

  it('fails when two alerts would share one page', async () => {
    const config = variant((text) =>
      text.replace('runbooks/{folder}/{alert|lower}', 'runbooks/same-page').replace('checks:\n', 'checks:\n  runbook-url: off\n'),
    );
    const failure = (await loadSite({ config, today }).catch((error: unknown) => error)) as SiteBuildError;
    expect(failure).toBeInstanceOf(SiteBuildError);
    expect(failure.report).toMatch(/would be served at \/runbooks\/same-page, but Alert "\w+" is already there/);
  });

  it('reads an alias written with the base in front as the same path', async () => {
    const config = variant((text) => text);
    const runbook = path.join(path.dirname(config), 'runbooks/kubernetes/KubePodCrashLooping.md');
    writeFileSync(runbook, readFileSync(runbook, 'utf8').replace('aliases: [/old/crashloop/]', 'aliases: [/runbooks/old/crashloop/]'));
    const { model } = await loadSite({ config, today });
    expect(model.redirects.map((r) => r.path)).toEqual(['old/crashloop/']);
  });

  it('fails when an alias would hide a page', async () => {
    const config = variant((text) => text);
    const runbook = path.join(path.dirname(config), 'runbooks/kubernetes/KubePodCrashLooping.md');
    writeFileSync(
      runbook,
      readFileSync(runbook, 'utf8').replace('aliases: [/old/crashloop/]', 'aliases: [/node/nodefilesystemspacefillingup/]'),
    );
    const failure = (await loadSite({ config, today }).catch((error: unknown) => error)) as SiteBuildError;
    expect(failure.report).toContain(
      'Alias /node/nodefilesystemspacefillingup/ of runbooks/kubernetes/KubePodCrashLooping.md would be served at',
    );
  });
});

describe('the content loader', () => {
  const entries = new Map<string, SiteEntry>();
  const messages: string[] = [];
  const context = {
    store: { set: (entry: { id: string; data: SiteEntry }) => entries.set(entry.id, entry.data), clear: () => entries.clear() },
    logger: {
      info: (m: string) => messages.push(m),
      warn: (m: string) => messages.push(m),
      error: (m: string) => messages.push(`ERROR ${m}`),
    },
  };
  const withConfig = async <T>(config: string, run: () => Promise<T>): Promise<T> => {
    const saved = { config: process.env.RUNBOOKS_CONFIG, today: process.env.RUNBOOKS_TODAY };
    process.env.RUNBOOKS_CONFIG = config;
    process.env.RUNBOOKS_TODAY = today;
    try {
      return await run();
    } finally {
      process.env.RUNBOOKS_CONFIG = saved.config ?? '';
      process.env.RUNBOOKS_TODAY = saved.today ?? '';
    }
  };

  it('stores the index, every page and every redirect', async () => {
    const { storeSite } = await import('../../src/lib/site/astro-loader.ts');
    await withConfig(path.join(subpath, 'runbooks.config.yaml'), () => storeSite(context));
    const situation = (key: string) => /^(situation|service:|team:)/.test(key);
    expect([...entries.keys()].filter((k) => !situation(k)).sort()).toEqual([
      'index',
      'page:kubernetes/kubepodcrashlooping',
      'page:node/nodefilesystemalmostoutofspace',
      'page:node/nodefilesystemspacefillingup',
      'redirect:old/crashloop/',
    ]);
    // The situation model: its index, each service's and team's page, and each runbook page's part.
    expect([...entries.keys()].filter(situation).filter((k) => !k.startsWith('situation:'))).toEqual(expect.arrayContaining(['situation']));
    expect(entries.get('situation')).toMatchObject({ kind: 'situation', alertmanager: [], severityLabel: 'severity' });
    expect([...entries.keys()].filter((k) => k.startsWith('situation:')).sort()).toEqual([
      'situation:kubernetes/kubepodcrashlooping',
      'situation:node/nodefilesystemalmostoutofspace',
      'situation:node/nodefilesystemspacefillingup',
    ]);
    expect(messages.join('\n')).toContain('stale-review');
  });

  it('refuses a project with errors when building, but shows it in dev (with a watcher) and says it would not publish', async () => {
    const { storeSite } = await import('../../src/lib/site/astro-loader.ts');
    const config = variant((text) => text.replace('alert-has-runbook: warning', 'alert-has-runbook: error'));
    const refused = await withConfig(config, () => storeSite(context)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SiteBuildError);
    // What Astro prints: the report, not a stack trace of this tool.
    expect((refused as Error).stack).toBe((refused as Error).message);
    messages.length = 0;
    const watcher = { add: () => undefined, on: () => undefined };
    await withConfig(config, () => storeSite({ ...context, watcher }));
    expect(entries.has('page:kubernetes/kubepodcrashlooping')).toBe(true);
    expect(messages.join('\n')).toMatch(/ERROR The checks found errors; `npm run build` would refuse to publish:[\s\S]*KubeJobFailed/);
  });
});
