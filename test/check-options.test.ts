/**
 * Check options are validated against each check's schema (checks/options.ts) when the config
 * loads: a wrong option is a positioned config error, and no check ever sees a value of the wrong
 * type or mistakes a hostile string for something else.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import { validateCheckSettings } from '../src/lib/engine/lint.ts';
import { expectWellFormed, runbookText } from './harness.ts';
import { lintAt, rulesFor as rules, SMALL_CONFIG as CONFIG, smallProjects } from './support/small-project.ts';

const { project } = smallProjects('runbooks-check-options-');

describe("check options are validated against each check's schema", () => {
  const problems = (checks: string): string[] => {
    const root = project({}, `${CONFIG}checks:\n${checks}`);
    const loaded = loadConfig(root);
    const found = loaded.config ? validateCheckSettings(loaded.config) : loaded.diagnostics;
    for (const d of found) expectWellFormed(d);
    return found.map((d) => `${d.line}:${d.column} ${d.ruleId} ${d.message} | ${d.hint}`);
  };

  it.each([
    ['placeholder-content: {words: TODO}', /^6:\d+ config-error Config: option "words" must be an array \(check "placeholder-content"\)/],
    ['placeholder-content: {words: [null]}', /^6:\d+ config-error Config: option "words.0" must be a string/],
    ['stale-review: {maxAgeDays: half a year}', /^6:\d+ config-error Config: option "maxAgeDays" must be an integer/],
    [
      'stale-review: {maxAgeDayz: 90}',
      /^6:\d+ config-error Config: unknown option "maxAgeDayz" of check "stale-review" \| Did you mean "maxAgeDays"\?/,
    ],
    ['runbook-url: {annotation: 12}', /^6:\d+ config-error Config: option "annotation" must be a string/],
    [
      'alert-has-runbook: {severity: warning, words: [x]}',
      /unknown option "words" of check "alert-has-runbook" \| This check takes no options/,
    ],
  ])('%s', (setting, expected) => {
    const found = problems(`  ${setting}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('takes hostile option values as ordinary strings', async () => {
    const root = project(
      { 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api', { severity: 'warning' }) },
      `${CONFIG}checks:\n  severity-match: {label: constructor}\n  runbook-url: {annotation: toString}\n`,
    );
    const found = await lintAt(root);
    expect(found.filter((d) => d.ruleId === 'severity-match')).toEqual([]);
    expect(found.filter((d) => d.ruleId === 'runbook-url').map((d) => d.message)).toEqual(['Alert "Api" has no toString annotation']);
  });

  it('never hands a check an option of the wrong type, even when lint() is called without validating', async () => {
    const root = project(
      { 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api') },
      `${CONFIG}checks:\n  placeholder-content: {words: TODO}\n`,
    );
    const found = await lintAt(root);
    expect(found.map((d) => `${d.ruleId} ${d.message}`)).toEqual([
      expect.stringMatching(/^config-error Config: option "words" must be an array/),
    ]);
  });
});
