import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkPage, checkPages, runExample } from '../../src/lib/site/check-docs.ts';
import { checks } from '../../src/lib/checks/index.ts';
import { loadConfig } from '../../src/lib/config/config.ts';
import { docsUrlFor, validateCheckSettings } from '../../src/lib/engine/lint.ts';

describe('check docs examples', () => {
  it('every check documents a failing and a passing example', () => {
    const missing = checks.filter((c) => !c.docs.examples).map((c) => c.id);
    expect(missing).toEqual([]);
  });

  for (const check of checks) {
    describe(check.id, () => {
      it('the failing example makes the check report', async () => {
        const example = check.docs.examples?.failing;
        expect(example, 'failing example').toBeDefined();
        const found = (await runExample(example as NonNullable<typeof example>)).filter((d) => d.ruleId === check.id);
        expect(found.length).toBeGreaterThanOrEqual(1);
      });

      it('the passing example is clean: nothing from this check, nor from any other', async () => {
        const example = check.docs.examples?.passing;
        expect(example, 'passing example').toBeDefined();
        const found = await runExample(example as NonNullable<typeof example>);
        expect(found.map((d) => `${d.file}:${d.line} ${d.ruleId}: ${d.message}`)).toEqual([]);
      });

      it('the failing example fails for this check, not because it is broken', async () => {
        const example = check.docs.examples?.failing as NonNullable<typeof check.docs.examples>['failing'];
        const found = await runExample(example);
        expect(found.filter((d) => ['parse-error', 'io-error', 'config-error'].includes(d.ruleId))).toEqual([]);
      });
    });
  }
});

describe('check docs pages', () => {
  it('renders a page per check and per built-in rule, with the failing findings and none for passing', async () => {
    const pages = await checkPages();
    expect(pages.map((p) => p.id)).toEqual([...checks.map((c) => c.id), 'io-error', 'parse-error', 'config-error', 'suppression']);
    for (const page of pages.filter((p) => p.kind === 'check')) {
      expect(page.failing?.findings.length, page.id).toBeGreaterThan(0);
      expect(page.passing?.findings, page.id).toEqual([]);
      expect(page.rationale.length, page.id).toBeGreaterThan(0);
    }
    // What a check knows about itself comes from its docs: where its findings land, whether `runbooks fix` repairs them, how to snooze it.
    const urlPage = pages.find((p) => p.id === 'runbook-url');
    expect(urlPage).toMatchObject({ findingsIn: 'rule', fixable: expect.stringContaining('`runbooks fix` writes the URL') });
    expect(urlPage?.howTo?.snooze).toBeUndefined();
    expect(pages.find((p) => p.id === 'alert-has-runbook')?.howTo?.snooze?.config).toMatch(/^ignoreAlerts:\n {2}- alert: ApiDown\n/);
    expect(pages.filter((p) => p.fixable !== undefined).map((p) => p.id)).toEqual(['runbook-url']);
    expect(pages.filter((p) => p.findingsIn === 'frontmatter').map((p) => p.id)).toEqual(
      checks.filter((c) => c.docs.findingsIn === 'frontmatter').map((c) => c.id),
    );
  });

  it('shows a suppression comment that, pasted where the page says, silences the failing example', async () => {
    for (const check of checks) {
      const page = await checkPage(check);
      const example = check.docs.examples?.failing as NonNullable<typeof check.docs.examples>['failing'];
      const findings = page.failing?.findings ?? [];
      const suppress = page.howTo?.suppress as NonNullable<typeof page.howTo>['suppress'];
      expect(suppress.comment, check.id).toMatch(new RegExp(`runbooks-disable(-next-line)? ${check.id} -- \\S`));
      const files = { ...example.files };
      for (const file of new Set(findings.map((d) => d.file))) {
        const lines = (files[file] as string).split('\n');
        const at = [...new Set(findings.filter((d) => d.file === file).map((d) => d.line))].sort((a, b) => b - a);
        if (page.findingsIn === 'frontmatter') {
          const close = lines.indexOf('---', 1);
          lines.splice(close + 1, 0, '', suppress.comment);
        } else {
          // In a rule file the comment goes above the rule that holds the finding: once per rule, however many it has.
          const targets = new Set(
            at.map((line) => {
              let target = line - 1;
              if (page.findingsIn === 'rule') while (target > 0 && !/^\s*- alert:/.test(lines[target] as string)) target--;
              return target;
            }),
          );
          for (const target of [...targets].sort((a, b) => b - a)) {
            const indent = /^\s*/.exec(lines[target] as string)?.[0] ?? '';
            lines.splice(target, 0, `${page.findingsIn === 'rule' ? indent : ''}${suppress.comment}`);
          }
        }
        files[file] = lines.join('\n');
      }
      const after = await runExample({ files });
      expect(
        after
          .filter((d) => d.ruleId === check.id || d.ruleId === 'suppression')
          .map((d) => `${d.file}:${d.line} ${d.ruleId}: ${d.message}`),
        check.id,
      ).toEqual([]);
    }
  });

  it('its config snippets are config the tool accepts', async () => {
    for (const check of checks) {
      const page = await checkPage(check);
      for (const snippet of [page.howTo?.disable, page.howTo?.severity, page.howTo?.snooze?.config, page.howTo?.enable]) {
        if (!snippet) continue;
        const dir = mkdtempSync(path.join(os.tmpdir(), 'runbooks-snippet-'));
        try {
          expect(() => parse(snippet), snippet).not.toThrow();
          writeFileSync(path.join(dir, 'runbooks.config.yaml'), snippet);
          const loaded = loadConfig(dir);
          expect(loaded.diagnostics, snippet).toEqual([]);
          expect(validateCheckSettings(loaded.config as NonNullable<typeof loaded.config>), snippet).toEqual([]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  });

  it('folds away the files both examples share, so the page shows the difference', async () => {
    const page = await checkPage(checks.find((c) => c.id === 'severity-match') as (typeof checks)[number]);
    expect(page.failing?.files.map((f) => [f.path, f.focus])).toEqual([
      ['rules/api.yaml', false],
      ['runbooks/ApiDown.md', true],
    ]);
    const missing = await checkPage(checks.find((c) => c.id === 'alert-has-runbook') as (typeof checks)[number]);
    // The failing example differs only by lacking a file, so all of it is shown.
    expect(missing.failing?.files.map((f) => [f.path, f.focus])).toEqual([['rules/api.yaml', true]]);
    expect(missing.passing?.files.map((f) => [f.path, f.focus])).toEqual([
      ['rules/api.yaml', false],
      ['runbooks/ApiDown.md', true],
    ]);
  });

  it('links each finding to the page of its check', async () => {
    const page = await checkPage(checks[0] as (typeof checks)[number]);
    const d = page.failing?.findings[0];
    expect(d?.docsUrl).toBe('https://runbooks.example.com/checks/alert-has-runbook/');
    const loaded = loadConfig('/nonexistent-dir-for-defaults');
    // Without site.url the link is left out rather than guessed from runbookUrl, which may be a Git host.
    const onGit = {
      ...(loaded.config as NonNullable<typeof loaded.config>),
      runbookUrl: 'https://github.com/acme/runbooks/blob/main/{file}',
    };
    expect(docsUrlFor(onGit, 'broken-link')).toBeUndefined();
    expect(
      docsUrlFor({ ...onGit, site: { ...onGit.site, configuredUrl: 'https://ops.example.com', base: '/runbooks/' } }, 'broken-link'),
    ).toBe('https://ops.example.com/runbooks/checks/broken-link/');
    expect(docsUrlFor(loaded.config as NonNullable<typeof loaded.config>, 'broken-link')).toBeUndefined();
  });
});
