/**
 * `runbooks fix` edits bytes, not decoded text: a rule file that is not UTF-8, that cannot be
 * written, or that has CR-only line endings keeps every byte outside the edit, or is refused.
 */
import { chmodSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import { applyFixes, planFixes } from '../src/lib/commands/fix.ts';
import { loadProject } from '../src/lib/project/load-project.ts';
import { runbookText } from './harness.ts';
import { brief, lintAt, rulesFor as rules, smallProjects } from './support/small-project.ts';

const { project } = smallProjects('runbooks-fix-bytes-');

describe('fix edits bytes, not decoded text', () => {
  it('refuses a rule file that is not UTF-8 and leaves every byte; lint warns at the first bad byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('# R'), Buffer.from([0xe9]), Buffer.from(`gles\n${rules('Api')}`)]);
    const root = project({ 'rules/a.yaml': latin1, 'runbooks/Api.md': runbookText('Api') });
    const found = await lintAt(root);
    const warning = found.find((d) => d.ruleId === 'parse-error');
    expect(warning && brief(warning)).toBe('rules/a.yaml:1:4 parse-error');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/not valid UTF-8: byte 0xE9/);
    const config = loadConfig(root).config!;
    const plan = await planFixes(await loadProject(config));
    expect(plan.fixes).toEqual([]);
    expect(plan.diagnostics.map(brief)).toEqual(['rules/a.yaml:1:4 fix-error']);
    expect(readFileSync(path.join(root, 'rules/a.yaml')).equals(latin1)).toBe(true);
  });

  it('refuses a file without write permission, for root too (mode bits, not access())', async () => {
    const unlinked = rules('Api').replace(/ {8}annotations:\n.*\n/, '');
    const root = project({ 'rules/a.yaml': unlinked, 'runbooks/Api.md': runbookText('Api') });
    const file = path.join(root, 'rules/a.yaml');
    chmodSync(file, 0o444);
    const config = loadConfig(root).config!;
    const plan = await planFixes(await loadProject(config));
    expect(plan.fixes.map((f) => f.file)).toEqual(['rules/a.yaml']);
    const problems = await applyFixes(root, plan);
    expect(problems.map((d) => [brief(d), d.message])).toEqual([['rules/a.yaml:1:1 io-error', 'Cannot write the file (EACCES)']]);
    expect(readFileSync(file, 'utf8')).toBe(unlinked);
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });

  it('fixes a CR-only rule file byte for byte outside the edit, and refuses lone CRs mixed with LFs', async () => {
    const unlinked = rules('Api').replace(/ {8}annotations:\n.*\n/, '');
    const cr = unlinked.replaceAll('\n', '\r');
    const root = project({
      'rules/a.yaml': cr,
      'rules/b.yaml': rules('Db')
        .replace(/ {8}annotations:\n.*\n/, '')
        .replace('\n', '\r'),
      'runbooks/Api.md': runbookText('Api'),
      'runbooks/Db.md': runbookText('Db'),
    });
    const plan = await planFixes(await loadProject(loadConfig(root).config!));
    expect(plan.fixes.map((f) => f.file)).toEqual(['rules/a.yaml']);
    const after = plan.fixes[0]?.after ?? '';
    expect(after).not.toContain('\n');
    expect(after.startsWith(cr)).toBe(true);
    expect(after.slice(cr.length)).toBe('        annotations:\r          runbook_url: https://rb.example.com/alerts/Api/\r');
    expect(plan.diagnostics.map((d) => [d.file, d.ruleId, d.message])).toEqual([
      ['rules/b.yaml', 'fix-error', expect.stringMatching(/mixes lone CR/)],
    ]);
  });
});
