/**
 * No silent passes, and paths a terminal can open: the real CLI on projects whose patterns find
 * nothing, a URL in `rules`, no config at all, and a config in a subfolder of the working directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProject, exampleRules, exampleRunbook } from '../src/lib/checks/examples.ts';
import { runCli, tempDir, writeFiles, type CliRun } from './harness.ts';

const temp = tempDir('runbooks-nosilent-');
afterAll(temp.remove);

const config = (rules: string, runbooks: string): string =>
  `rules: ${rules}\nrunbooks: ${runbooks}\nrunbookUrl: https://runbooks.example.com/alerts/{alert}/\n`;

const projects: Record<string, Record<string, string>> = {
  typo: { 'runbooks.config.yaml': `# a comment\n${config('[rules/*.yaml, rulez/*.yaml]', '[runbooks/*.md]')}`, ...exampleProject() },
  excluded: { 'runbooks.config.yaml': config('[rules/*.yaml]', '[runbooks/*.md, "!runbooks/*.md"]'), ...exampleProject() },
  // The highest port on loopback: nothing listens there.
  url: {
    'runbooks.config.yaml': config('\n  - rules/*.yaml\n  - http://127.0.0.1:65535/api/v1/rules', '[runbooks/*.md]'),
    ...exampleProject(),
  },
  empty: { 'notes.md': 'Nothing to lint here.\n' },
  // A monorepo: the config lives in ops/, the command runs at the repository root.
  mono: {
    'ops/runbooks.config.yaml': config('[rules/*.yaml]', '[runbooks/*.md]'),
    'ops/rules/api.yaml': exampleRules([{ name: 'ApiDown' }, { name: 'ApiGone' }]),
    'ops/runbooks/ApiDown.md': exampleRunbook({ frontmatter: { severity: 'warning' } }),
  },
};

const runs: Record<string, CliRun> = {};
beforeAll(async () => {
  for (const [name, files] of Object.entries(projects)) writeFiles(path.join(temp.dir, name), files);
  const plan: Record<string, [string, string[]]> = {
    typo: ['typo', ['lint']],
    excluded: ['excluded', ['lint']],
    url: ['url', ['lint']],
    empty: ['empty', ['lint']],
    stylish: ['mono', ['lint', '--config', 'ops/runbooks.config.yaml']],
    json: ['mono', ['lint', '-c', 'ops/runbooks.config.yaml', '--format', 'json']],
    sarif: ['mono', ['lint', '-c', 'ops/runbooks.config.yaml', '--format', 'sarif']],
    github: ['mono', ['lint', '-c', 'ops/runbooks.config.yaml', '--format', 'github']],
    junit: ['mono', ['lint', '-c', 'ops/runbooks.config.yaml', '--format', 'junit']],
    below: ['mono/ops/runbooks', ['lint']],
  };
  const entries = Object.entries(plan);
  for (let i = 0; i < entries.length; i += 3) {
    await Promise.all(
      entries.slice(i, i + 3).map(async ([name, [dir, args]]) => {
        runs[name] = await runCli(args, path.join(temp.dir, dir));
      }),
    );
  }
}, 120_000);
const run = (name: string): CliRun => runs[name] as CliRun;

describe('a pattern that finds no file', () => {
  it('is exit 2, naming the pattern and the folder it was resolved against, at its line of the config', () => {
    expect(run('typo').code).toBe(2);
    expect(run('typo').stdout).toContain(
      `runbooks.config.yaml\n  2:23  error    No files matching the rules pattern "rulez/*.yaml" in ${path.join(temp.dir, 'typo')}  config-error`,
    );
    expect(run('typo').stdout).toMatch(/hint: Patterns are relative to the folder of the config file/);
    // The pattern that does match is not reported.
    expect(run('typo').stdout).not.toContain('"rules/*.yaml"');
  });

  it('says so when "!" patterns exclude everything a pattern matched', () => {
    expect(run('excluded').code).toBe(2);
    expect(run('excluded').stdout).toContain('All files matched by the runbooks pattern "runbooks/*.md"');
  });

  it('a URL in rules is read as a rules server, not a glob: one that cannot be reached is a config error at its line', () => {
    expect(run('url').code).toBe(2);
    expect(run('url').stdout).toMatch(
      / 3:5 +error +Cannot read the rules of http:\/\/127\.0\.0\.1:65535\/api\/v1\/rules: the connection was refused \(nothing listens there\) +config-error/,
    );
  });

  it('with no config and nothing found, says so and points at runbooks init', () => {
    expect(run('empty').code).toBe(2);
    expect(run('empty').stdout).toBe('');
    expect(run('empty').stderr).toContain(`No runbooks.config.yaml in ${path.join(temp.dir, 'empty')} or any folder above it`);
    expect(run('empty').stderr).toContain('Run `runbooks init`');
  });
});

describe('paths in the output are relative to the working directory', () => {
  it('stylish: file headers and related places', () => {
    expect(run('stylish').code).toBe(1);
    expect(run('stylish').stdout).toMatch(/^ops\/rules\/api\.yaml\n {2}\d+:\d+ +error +Alert "ApiGone" has no runbook/m);
    expect(run('stylish').stdout).toMatch(/^ops\/runbooks\/ApiDown\.md\n/m);
    expect(run('stylish').stdout).toMatch(/see ops\/rules\/api\.yaml:\d+:\d+: The alert's severity label/);
  });

  it('json, github and junit name the same files', () => {
    const json = JSON.parse(run('json').stdout) as { diagnostics: { file: string; related?: { file: string }[] }[] };
    expect(json.diagnostics.map((d) => d.file)).toEqual(['ops/rules/api.yaml', 'ops/runbooks/ApiDown.md']);
    expect(json.diagnostics[1]?.related?.[0]?.file).toBe('ops/rules/api.yaml');
    const files = run('github')
      .stdout.split('\n')
      .filter((l) => l.startsWith('::'))
      .map((l) => /file=([^,]+)/.exec(l)?.[1]);
    expect(files).toEqual(['ops/rules/api.yaml', 'ops/runbooks/ApiDown.md']);
    expect([...run('junit').stdout.matchAll(/<testcase [^>]*file="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([
      'ops/rules/api.yaml',
      'ops/runbooks/ApiDown.md',
    ]);
  });

  it('sarif: uris relative to %SRCROOT%, which is the working directory', () => {
    const log = JSON.parse(run('sarif').stdout);
    const uris = log.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }) =>
        r.locations[0]?.physicalLocation.artifactLocation,
    );
    expect(uris).toEqual([
      { uri: 'ops/rules/api.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'ops/runbooks/ApiDown.md', uriBaseId: '%SRCROOT%' },
    ]);
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(pathToFileURL(`${path.join(temp.dir, 'mono')}/`).href);
  });

  it('below the config, with ../ where the file is above', () => {
    expect(run('below').stdout).toMatch(/^\.\.\/rules\/api\.yaml\n/m);
    expect(run('below').stdout).toMatch(/^ApiDown\.md\n/m);
  });
});

it('a folder the config names that is missing is reported, not skipped', async () => {
  const dir = path.join(temp.dir, 'later');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'runbooks.config.yaml'), config('[rules/*.yaml]', '[runbooks/*.md]'));
  const r = await runCli(['lint'], dir);
  expect(r.code).toBe(2);
  expect(r.stdout.match(/No files matching the (rules|runbooks) pattern/g)).toEqual([
    'No files matching the rules pattern',
    'No files matching the runbooks pattern',
  ]);
});
