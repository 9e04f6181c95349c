/**
 * match: heading — one file with a section per alert (thanos' `##### Alert Name: "X"` style), side
 * by side with one-file-one-alert runbooks: claims, per-section checks, {anchor} URLs compared
 * exactly, and a fix that is idempotent with fragments.
 */
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import { correctedUrl } from '../src/lib/checks/runbook-url.ts';
import { applyFixes, planFixes } from '../src/lib/commands/fix.ts';
import { loadProject } from '../src/lib/project/load-project.ts';
import { createRunbooks } from '../src/lib/commands/scaffold.ts';
import { buildSiteModel } from '../src/lib/site/site-model.ts';
import { expandRunbookUrl } from '../src/lib/config/runbook-url-pattern.ts';
import { expectWellFormed, findingAt, FIXTURES, lintProject, markedFindings, REPO, runCli, tempDir, TODAY } from './harness.ts';

const root = path.join(FIXTURES, 'runbook-url/heading');
const CHECKS = [
  'required-sections',
  'placeholder-content',
  'runbook-url',
  'alert-has-runbook',
  'runbook-alert-exists',
  'duplicate-runbook',
  'frontmatter-schema',
  'parse-error',
];
const temp = tempDir();
afterAll(temp.remove);

describe('match: heading', () => {
  it('finds exactly the marked findings of every check that reads claims or sections', async () => {
    const { diagnostics } = await lintProject(root);
    const found = diagnostics.filter((d) => CHECKS.includes(d.ruleId));
    for (const d of found) expectWellFormed(d);
    expect(found.map((d) => `${d.file}:${d.line} ${d.ruleId}`).sort()).toEqual(
      markedFindings(root).filter((k) => CHECKS.some((c) => k.endsWith(` ${c}`))),
    );
  });

  it('claims each section by its heading, and a file without sections by its name', async () => {
    const project = await loadProject(loadConfig(root).config!);
    const compact = project.runbooks.find((r) => r.file === 'runbooks/compact.md')!;
    expect(project.claimsOf(compact).map((c) => [c.name, c.at.line, c.section?.anchor])).toEqual([
      ['CompactHalted', 5, 'alert-name-compacthalted'],
      ['CompactFailing', 23, 'alert-name-compactfailing'],
      ['CompactSlow', 35, 'alert-name-compactslow'],
      ['CompactGone', 53, 'alert-name-compactgone'],
      ['CompactHalted', 57, 'alert-name-compacthalted-1'],
    ]);
    expect(project.claimSource(compact)).toBe('heading');
    const store = project.runbooks.find((r) => r.file === 'runbooks/StoreDown.md')!;
    expect(project.claimsOf(store).map((c) => c.name)).toEqual(['StoreDown']);
    expect(project.claimSource(store)).toBe('filename');
    expect(project.runbookUrlFor('CompactHalted')).toBe('https://runbooks.example.com/compact/#alert-name-compacthalted');
    // An empty {anchor} leaves no `#`.
    expect(project.runbookUrlFor('StoreDown')).toBe('https://runbooks.example.com/StoreDown/');
  });

  it('says what is wrong with a fragment, and that the section lacks a sub-section', async () => {
    const { diagnostics } = await lintProject(root);
    const wrong = findingAt(diagnostics, 'rules/rules.yaml', 13, 'runbook-url');
    expect(wrong.message).toBe(
      'runbook_url of alert "CompactFailing" points to #alert-name-compact-failing, but its runbook is the section #alert-name-compactfailing of https://runbooks.example.com/compact/',
    );
    expect(findingAt(diagnostics, 'rules/rules.yaml', 17, 'runbook-url').message).toContain('points to the page without a fragment');
    const missing = findingAt(diagnostics, 'runbooks/compact.md', 23, 'required-sections');
    expect(missing.message).toBe('Missing required section "###### Mitigation" in the section of alert "CompactFailing"');
    expect(findingAt(diagnostics, 'rules/rules.yaml', 24, 'alert-has-runbook').hint).toContain(
      'Add a section `##### Alert Name: "StoreSlow"` to a runbook',
    );
    expect(findingAt(diagnostics, 'runbooks/compact.md', 29, 'placeholder-content').message).toBe(
      'Section "Impact" is empty in the section of alert "CompactFailing"',
    );
  });

  it('runbooks fix writes each fragment once: a second run changes nothing', async () => {
    const dir = path.join(temp.dir, 'fix');
    cpSync(root, dir, { recursive: true });
    const first = await planFixes(await loadProject(loadConfig(dir).config!));
    expect(first.fixes.flatMap((f) => f.changed).sort()).toEqual(['CompactFailing', 'CompactSlow']);
    expect(await applyFixes(dir, first)).toEqual([]);
    const text = readFileSync(path.join(dir, 'rules/rules.yaml'), 'utf8');
    expect(text).toContain('runbook_url: https://runbooks.example.com/compact/#alert-name-compactfailing #');
    expect(text).toContain('runbook_url: https://runbooks.example.com/compact/#alert-name-compactslow #');
    const second = await planFixes(await loadProject(loadConfig(dir).config!));
    expect(second.fixes).toEqual([]);
    const { diagnostics } = await lintProject(dir);
    expect(diagnostics.filter((d) => d.ruleId === 'runbook-url')).toEqual([]);
  });

  it('the runbooks fix command, run twice, writes the fragments once', async () => {
    const dir = path.join(temp.dir, 'fix-cli');
    cpSync(root, dir, { recursive: true });
    const first = await runCli(['fix'], dir);
    expect(first.code, first.stderr).toBe(0);
    const once = readFileSync(path.join(dir, 'rules/rules.yaml'), 'utf8');
    expect(once.match(/#alert-name-compactfailing/g)).toHaveLength(1);
    const second = await runCli(['fix'], dir);
    expect(second.code, second.stderr).toBe(0);
    expect(`${second.stdout}${second.stderr}`).toContain('nothing to fix');
    expect(readFileSync(path.join(dir, 'rules/rules.yaml'), 'utf8')).toBe(once);
  });

  it('corrects a URL with a fragment, keeping the query string', () => {
    const expected = 'https://x.example/runbook.md#alert-name-a';
    expect(correctedUrl(expected, expected)).toBeUndefined();
    expect(correctedUrl('https://x.example/runbook.md#alert-name-a', expected)).toBeUndefined();
    expect(correctedUrl('https://x.example/runbook.md#other', expected)).toBe(expected);
    expect(correctedUrl('https://x.example/runbook.md?i={{ $labels.i }}#other', expected)).toBe(
      'https://x.example/runbook.md?i={{ $labels.i }}#alert-name-a',
    );
    expect(correctedUrl('https://old.example/r.md', expected)).toBe(expected);
    expect(correctedUrl(correctedUrl('https://old.example/r.md#x', expected), expected)).toBeUndefined();
    // Without a fragment in the expected URL, the author's fragment stays.
    expect(correctedUrl('https://old.example/a/#diagnosis', 'https://x.example/a/')).toBe('https://x.example/a/#diagnosis');
    expect(
      expandRunbookUrl('https://x.example/{file}.md#{anchor}', {
        alert: 'A',
        runbookFile: 'r/runbook.md',
        runbooksDir: 'r',
        anchor: 'alert-name-a',
      }),
    ).toBe('https://x.example/runbook.md#alert-name-a');
  });

  it('serves the sections on one page at their anchors, with facts from the rules; a section with its own URL is a page of its own', async () => {
    const project = await loadProject(loadConfig(root).config!);
    const site = buildSiteModel(project, { today: TODAY });
    const compact = site.pages.filter((p) => p.file === 'runbooks/compact.md');
    expect(compact.map((p) => p.path)).toEqual(['compact/']);
    const [page] = compact;
    expect(page?.title).toBe('Compactor alerts');
    expect(page?.anchors).toEqual({
      CompactHalted: 'alert-name-compacthalted',
      CompactFailing: 'alert-name-compactfailing',
      CompactSlow: 'alert-name-compactslow',
      CompactGone: 'alert-name-compactgone',
    });
    expect(page?.html).toContain('<h5 id="alert-name-compactfailing">');
    expect(page).toMatchObject({
      severity: 'critical',
      owner: 'storage',
      summary: 'The compactor halted.',
      fromRule: { severity: true, owner: true, summary: true },
    });
    expect(site.alerts.find((a) => a.alert === 'CompactFailing')?.href).toBe('/compact/#alert-name-compactfailing');

    const perAlert = loadConfig(root).config!;
    perAlert.runbookUrl = 'https://runbooks.example.com/alerts/{alert}/';
    const separate = buildSiteModel(await loadProject(perAlert), { today: TODAY });
    const halted = separate.pages.find((p) => p.alert === 'CompactHalted');
    expect(halted).toMatchObject({ path: 'alerts/CompactHalted/', title: 'CompactHalted', alerts: ['CompactHalted'], anchors: {} });
    expect(halted?.html).toContain('The compactor stopped.');
    expect(halted?.html).not.toContain('Compactions fail.');
    expect(halted?.rules.map((r) => r.alert)).toEqual(['CompactHalted']);
    // The anchors are the whole file's, as the linter checked links against them: the second section's Meaning is #meaning-1.
    const failing = separate.pages.find((p) => p.alert === 'CompactFailing');
    expect(failing?.html).toContain('<h6 id="meaning-1">');
    expect(failing?.toc.slice(0, 3)).toEqual([
      { depth: 2, text: 'Meaning', slug: 'meaning-1' },
      { depth: 2, text: 'Impact', slug: 'impact-1' },
      { depth: 2, text: 'Diagnosis', slug: 'diagnosis-1' },
    ]);
    expect(separate.pages.find((p) => p.alert === 'StoreDown')?.title).toBe('Store is down');
  });

  it('runbooks new writes a file of its own, named the way files without alert sections are (otherwise: filename)', async () => {
    const dir = path.join(temp.dir, 'new');
    cpSync(root, dir, { recursive: true });
    const template = readFileSync(path.join(REPO, 'runbooks/_template.md'), 'utf8');
    const [result] = await createRunbooks(await loadProject(loadConfig(dir).config!), ['StoreSlow'], template, { today: TODAY });
    expect(result).toMatchObject({ file: 'runbooks/StoreSlow.md', created: true });
    const { diagnostics } = await lintProject(dir);
    expect(diagnostics.filter((d) => d.ruleId === 'alert-has-runbook')).toEqual([]);
  });
});
