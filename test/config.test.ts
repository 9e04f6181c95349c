/**
 * Config validation: every problem in runbooks.config.yaml is a diagnostic at its line, and the CLI
 * ends with exit code 2 on it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckedConfig } from '../src/lib/config/checked-config.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { siteConfig, SiteBuildError } from '../src/lib/site/load-site.ts';
import { expectWellFormed, runCli, tempDir } from './harness.ts';

const temp = tempDir('runbooks-config-');
afterAll(temp.remove);

interface Case {
  name: string;
  config: string;
  /** Expected problems: line, column and message. */
  problems: [number, number, RegExp][];
}

const cases: Case[] = [
  {
    name: 'heading options without match: heading',
    config: 'match: filename\nheading:\n  level: 5\n',
    problems: [[3, 3, /^`heading` applies only with `match: heading`$/]],
  },
  {
    name: 'a heading pattern without {alert}',
    config: 'match: heading\nheading: { pattern: "Alert Name" }\n',
    problems: [[2, 21, /^Config: "heading.pattern" must match pattern/]],
  },
  {
    name: 'an unknown key',
    config: 'rules: [rules/*.yaml]\nrulez: [more/*.yaml]\n',
    problems: [[2, 1, /^Config: Unknown key "rulez"$/]],
  },
  {
    name: 'a bad severity, as a string',
    config: 'checks:\n  stale-review: fatal\n',
    problems: [[2, 17, /^Config: "checks.stale-review" must be one of "error", "warning", "info", "off"$/]],
  },
  {
    name: 'a bad severity, in an object',
    config: 'checks:\n  stale-review:\n    maxAgeDays: 30\n    severity: loud\n',
    problems: [[4, 15, /^Config: "checks.stale-review.severity" must be one of/]],
  },
  {
    name: 'an unknown check id',
    config: 'rules: [rules/*.yaml]\nchecks:\n  stale-review: warning\n  stale-reveiw: warning\n',
    problems: [[4, 3, /^Config: unknown check "stale-reveiw"$/]],
  },
  {
    name: 'a bad value of match',
    config: 'match: filenames\n',
    problems: [[1, 8, /"match" must be one of "frontmatter", "filename"/]],
  },
  {
    name: 'globs that are neither a string nor a list',
    config: 'rules: 5\n',
    problems: [[1, 8, /"rules" must be a string or an array$/]],
  },
  {
    name: 'an ignoreAlerts entry without a reason or a name',
    config: 'ignoreAlerts:\n  - alert: Watchdog\n    reason: Always fires.\n  - until: 2026-01-01\n',
    problems: [
      [4, 5, /Missing required key "reason"/],
      [4, 5, /Missing required key "alert" or "pattern"/],
    ],
  },
  {
    name: 'an ignoreAlerts pattern that is not a regular expression',
    config: 'ignoreAlerts:\n  - pattern: "Kube(.*"\n    reason: Broken on purpose.\n',
    problems: [[2, 14, /ignoreAlerts pattern "Kube\(\.\*" is not a valid regular expression/]],
  },
  {
    name: 'a runbookUrl with an unknown placeholder',
    config: 'runbookUrl: https://runbooks.example.com/{name}/\n',
    problems: [[1, 13, /runbookUrl uses unknown placeholder \{name\}/]],
  },
  {
    name: 'a schema file that does not exist',
    config: 'rules: [rules/*.yaml]\nschema: schemas/missing.json\n',
    problems: [[2, 9, /The runbook schema schemas\/missing.json cannot be used/]],
  },
  {
    name: 'a check option of the wrong type',
    config: 'checks:\n  placeholder-content: { words: TODO }\n',
    problems: [[2, 26, /^Config: option "words" must be an array \(check "placeholder-content"\)$/]],
  },
  {
    name: 'a number option written in words',
    config: 'checks:\n  stale-review:\n    maxAgeDays: half a year\n',
    problems: [[3, 5, /^Config: option "maxAgeDays" must be an integer \(check "stale-review"\)$/]],
  },
  {
    name: 'a misspelt option',
    config: 'checks:\n  stale-review:\n    severity: warning\n    maxAgeDayz: 90\n',
    problems: [[4, 5, /^Config: unknown option "maxAgeDayz" of check "stale-review"$/]],
  },
  {
    name: 'a config that is a YAML list',
    config: '- rules\n- runbooks\n',
    problems: [[1, 1, /^Config: The config must be an object$/]],
  },
  {
    name: 'invalid YAML',
    config: 'rules: [rules/*.yaml\nrunbooks: runbooks/*.md\n',
    problems: [[2, 1, /^Invalid YAML/]],
  },
];

function write(name: string, text: string): string {
  const dir = path.join(temp.dir, name.replace(/\W+/g, '-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'runbooks.config.yaml'), text);
  return dir;
}

/** What every command sees: load problems first, then settings the registry rejects. */
function problemsOf(dir: string): Diagnostic[] {
  return loadCheckedConfig(dir).problems;
}

describe('config validation', () => {
  it.each(cases)('reports $name at its line', ({ name, config, problems }) => {
    const found = problemsOf(write(name, config));
    for (const d of found) {
      expectWellFormed(d);
      expect(d.ruleId).toBe('config-error');
      expect(d.file).toBe('runbooks.config.yaml');
    }
    expect(found.map((d) => [d.line, d.column, d.message])).toEqual(
      problems.map(([line, column, message]) => [line, column, expect.stringMatching(message)]),
    );
  });

  it('suggests the nearest check id', () => {
    const [d] = problemsOf(write('suggest', 'checks:\n  stale-reveiw: warning\n'));
    expect(d?.hint).toMatch(/^Did you mean "stale-review"\? Known checks: alert-has-runbook, /);
  });

  it('suggests the nearest option name, and names the options of a check in the hint', () => {
    const [misspelt] = problemsOf(write('suggest-option', 'checks:\n  stale-review:\n    maxAgeDayz: 90\n'));
    expect(misspelt?.hint).toBe('Did you mean "maxAgeDays"? Its options: maxAgeDays.');
    const [wrong] = problemsOf(write('wrong-option', 'checks:\n  stale-review: { maxAgeDays: half a year }\n'));
    expect(wrong?.hint).toBe(
      'See the stale-review docs for its options: maxAgeDays: How old `last_reviewed` may be, in days. Default: 180.',
    );
  });

  it.each([
    [
      'lint',
      'checks:\n  placeholder-content: { words: TODO }\n',
      '2:26',
      'Config: option "words" must be an array (check "placeholder-content")',
    ],
    [
      'fix',
      'runbookUrl: https://rb.example.com/{alert}/\nchecks:\n  stale-review: { maxAgeDayz: 90 }\n',
      '3:19',
      'Config: unknown option "maxAgeDayz" of check "stale-review"',
    ],
    ['new', '- rules\n- runbooks\n', '1:1', 'Config: The config must be an object'],
  ])(
    '`runbooks %s` stops with exit code 2 at a bad check option or config, before any check runs',
    async (command, config, at, message) => {
      const run = await runCli(command === 'new' ? [command, 'Api'] : [command], write(`cli-${command}`, config));
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(`${run.stdout}${run.stderr}`).toMatch(new RegExp(`\\n {2}${at} +error +${message.replace(/[()]/g, '\\$&')} +config-error\\n`));
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/internal error|frontmatter|NaN/);
    },
  );

  it('treats "__proto__" as just an unknown check id', () => {
    const found = problemsOf(write('proto', 'checks:\n  __proto__: off\n'));
    expect(found.map((d) => [d.line, d.message])).toEqual([[2, 'Config: unknown check "__proto__"']]);
    expect(({} as Record<string, unknown>).severity).toBeUndefined();
  });

  it('accepts the bundled config and both runbookUrl conventions', () => {
    expect(
      problemsOf(write('kube', 'runbookUrl: https://runbooks.prometheus-operator.dev/runbooks/{folder}/{alert|lower}\nmatch: filename\n')),
    ).toEqual([]);
    expect(problemsOf(write('plain', 'runbookUrl: https://runbooks.example.com/alerts/{alert}/\n'))).toEqual([]);
  });

  it('names the config file as given to --config', async () => {
    const dir = write('elsewhere', 'rules: [rules/*.yaml]\n');
    mkdirSync(path.join(dir, 'configs'));
    writeFileSync(path.join(dir, 'configs/bad.yaml'), 'checks:\n  no-such-check: error\n');
    expect(loadCheckedConfig(dir, 'configs/bad.yaml').problems.map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual([
      'configs/bad.yaml:2:3',
    ]);
    const missing = loadConfig(dir, 'configs/none.yaml');
    expect(missing.diagnostics.map((d) => [d.file, d.message])).toEqual([['configs/none.yaml', 'Cannot read the config file (ENOENT)']]);
  });

  it('ends the CLI with exit code 2, printing the problem at its line', async () => {
    // One run: cli.test.ts covers a schema problem; this is a problem only the check registry knows.
    const run = await runCli(['lint', '--format', 'json'], write('cli-check', 'rules: [rules/*.yaml]\nchecks:\n  no-such-check: error\n'));
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const json = JSON.parse(run.stdout) as { diagnostics: Diagnostic[] };
    expect(json.diagnostics.map((d) => [d.file, d.line, d.column, d.ruleId, d.message])).toEqual([
      ['runbooks.config.yaml', 3, 3, 'config-error', 'Config: unknown check "no-such-check"'],
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the config, not the frontmatter, when the config is a list', () => {
    const loaded = loadConfig(write('a list', '- rules\n- runbooks\n'));
    expect(loaded.diagnostics.map((d) => d.message)).toEqual(['Config: The config must be an object']);
  });
});

describe('loadCheckedConfig, the one way in for every command and the site', () => {
  it('gives the config when it can be run with, and every problem when not', () => {
    const good = loadCheckedConfig(write('checked-good', 'rules: [rules/*.yaml]\n'));
    expect(good.ok && good.config.rules).toEqual(['rules/*.yaml']);
    expect(good.problems).toEqual([]);
    const unreadable = loadCheckedConfig(write('checked-yaml', 'rules: [rules/*.yaml\n'));
    expect(unreadable).toMatchObject({ ok: false, config: undefined });
    expect(unreadable.problems.map((d) => d.ruleId)).toEqual(['config-error']);
    // A config whose check settings are wrong still loaded: the report of its problems links them to the docs.
    const settings = loadCheckedConfig(
      write('checked-settings', 'site: { url: https://rb.example.com }\nchecks:\n  stale-review: { maxAgeDays: half a year }\n'),
    );
    expect(settings.ok).toBe(false);
    expect(settings.config?.site.configuredUrl).toBe('https://rb.example.com');
    expect(settings.problems.map((d) => [d.line, d.ruleId])).toEqual([[3, 'config-error']]);
  });

  it('stops lint, new, fix and the site build on the same problem', async () => {
    const dir = write(
      'checked-commands',
      'rules: [rules/*.yaml]\nrunbookUrl: https://rb.example.com/{alert}/\nchecks:\n  stale-review: { maxAgeDayz: 90 }\n',
    );
    const expected = /runbooks\.config\.yaml[\s\S]*4:\d+\s+error\s+Config: unknown option "maxAgeDayz" of check "stale-review"/;
    const [lint, scaffold, fix] = await Promise.all([runCli(['lint'], dir), runCli(['new', 'HostDown'], dir), runCli(['fix'], dir)]);
    expect(lint.code).toBe(2);
    expect(lint.stdout).toMatch(expected);
    for (const run of [scaffold, fix]) {
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toMatch(expected);
    }
    let thrown: unknown;
    try {
      siteConfig({ cwd: dir });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SiteBuildError);
    expect((thrown as SiteBuildError).diagnostics).toEqual(loadCheckedConfig(dir).problems);
  });
});
