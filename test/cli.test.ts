/**
 * The real CLI, spawned as `npm run lint:runbooks` runs it: on the bundled example, and on temp
 * copies of it with problems put in.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareDiagnostics, type Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { REPO, runCli, tempDir, type CliRun } from './harness.ts';

const temp = tempDir('runbooks-cli-');
afterAll(temp.remove);

/** A copy of the bundled example, with `edit` applied to some of its files. */
function exampleCopy(name: string, edits: Record<string, (text: string) => string>): string {
  const dir = path.join(temp.dir, name);
  for (const part of ['runbooks.config.yaml', 'rules', 'runbooks', 'schema'])
    cpSync(path.join(REPO, part), path.join(dir, part), { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const full = path.join(dir, file);
    const before = readFileSync(full, 'utf8');
    const after = edit(before);
    expect(after, `edit of ${file}`).not.toBe(before);
    writeFileSync(full, after);
  }
  return dir;
}

const STALE = (text: string) => text.replace(/^last_reviewed: .*$/m, 'last_reviewed: 2020-01-01');

let broken: string;
let warnOnly: string;
const runs: Record<string, CliRun> = {};

beforeAll(async () => {
  broken = exampleCopy('broken', {
    // Drop the Impact section, say the wrong severity, and leave a TODO: three errors in one file.
    'runbooks/HostDown.md': (t) =>
      t
        .replace(/^## Impact\n[\s\S]*?(?=^## Diagnosis)/m, '')
        .replace(/^severity: critical$/m, 'severity: warning')
        .replace(/^## Mitigation\n/m, '## Mitigation\n\nTODO: check the steps below.\n'),
    // A warning in another file.
    'runbooks/HostOutOfMemory.md': STALE,
  });
  warnOnly = exampleCopy('warnings', { 'runbooks/HostOutOfMemory.md': STALE });
  mkdirSync(path.join(broken, 'configs'));
  writeFileSync(path.join(broken, 'configs/bad.yaml'), '# A config with a mistake on line 3.\nrules: [../rules/*.yaml]\nmatch: by-name\n');
  // Independent runs in parallel; each is its own process.
  const plan: Record<string, [string[], string, NodeJS.ProcessEnv?]> = {
    example: [['lint'], REPO],
    stylish: [['lint'], broken],
    stylishAgain: [['lint'], broken],
    json: [['lint', '--format', 'json'], broken],
    quiet: [['lint', '--quiet'], broken],
    warnings: [['lint'], warnOnly],
    maxWarnings0: [['lint', '--max-warnings', '0'], warnOnly],
    maxWarnings1: [['lint', '--max-warnings', '1'], warnOnly],
    badConfig: [['lint', '--config', 'configs/bad.yaml'], broken],
    unknownFlag: [['lint', '--frobnicate'], REPO],
    unknownFormat: [['lint', '--format', 'xml'], REPO],
    lintHelp: [['lint', '--help'], REPO],
    version: [['--version'], REPO],
  };
  const entries = Object.entries(plan);
  // A few at a time: most of each run is Node starting up, and the machine is shared.
  for (let i = 0; i < entries.length; i += 3) {
    await Promise.all(
      entries.slice(i, i + 3).map(async ([name, [args, cwd, env]]) => {
        runs[name] = await runCli(args, cwd, env);
      }),
    );
  }
}, 120_000);

const run = (name: string): CliRun => runs[name] as CliRun;

describe('runbooks lint on the bundled example', () => {
  it('exits 0 with "no problems"', () => {
    expect(run('example').code, run('example').stdout + run('example').stderr).toBe(0);
    expect(run('example').stdout).toMatch(/^\d+ files checked, no problems\n$/);
    expect(run('example').stderr).toBe('');
  });
});

describe('runbooks lint on a broken runbook', () => {
  it('exits 1 and prints stylish output grouped by file, with positions, severity, message, check id and hint', () => {
    const { code, stdout } = run('stylish');
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    const header = lines.indexOf('runbooks/HostDown.md');
    expect(header).toBeGreaterThanOrEqual(0);
    const body = lines.slice(header + 1, lines.indexOf('', header));
    const findings = body.filter((l) => /^ {2}\d+:\d+ /.test(l));
    expect(findings.length).toBeGreaterThanOrEqual(3);
    expect(findings.some((l) => /^ {2}\d+:\d+ +error +Missing required section "## Impact" +required-sections$/.test(l))).toBe(true);
    expect(findings.some((l) => / +error +Runbook severity "warning" differs from alert "HostDown".* +severity-match$/.test(l))).toBe(true);
    expect(findings.some((l) => / +error +Placeholder "TODO" left in the runbook +placeholder-content$/.test(l))).toBe(true);
    // Each finding is followed by its hint.
    expect(body.filter((l) => /^ +hint: /.test(l)).length).toBeGreaterThanOrEqual(findings.length);
    expect(stdout).toMatch(
      /runbooks\/HostOutOfMemory\.md\n {2}\d+:\d+ +warning +Runbook last reviewed 2020-01-01, \d+ days ago \(limit 180\) +stale-review\n/,
    );
    expect(lines.filter((l) => l.startsWith('✖'))).toEqual(['✖ 4 problems (3 errors, 1 warning) in 2 files']);
  });

  it('prints no colour when stdout is not a terminal', () => {
    expect(run('stylish').stdout).not.toContain('\u001b[');
  });

  it('prints the same output on every run', () => {
    expect(run('stylishAgain').stdout).toBe(run('stylish').stdout);
  });

  it('writes JSON with the diagnostics sorted and counted', () => {
    expect(run('json').code).toBe(1);
    const report = JSON.parse(run('json').stdout) as { counts: { errors: number; warnings: number }; diagnostics: Diagnostic[] };
    expect(report.counts).toMatchObject({ errors: 3, warnings: 1 });
    expect(report.diagnostics).toHaveLength(4);
    expect([...report.diagnostics].sort(compareDiagnostics)).toEqual(report.diagnostics);
    for (const d of report.diagnostics) {
      expect(d).toMatchObject({
        file: expect.any(String),
        line: expect.any(Number),
        column: expect.any(Number),
        ruleId: expect.any(String),
        message: expect.any(String),
        hint: expect.any(String),
      });
    }
  });

  it('--quiet shows only errors', () => {
    expect(run('quiet').code).toBe(1);
    expect(run('quiet').stdout).not.toContain('warning  ');
    expect(run('quiet').stdout).not.toContain('HostOutOfMemory');
    expect(run('quiet').stdout).toContain('✖ 3 problems (3 errors, 0 warnings) in 1 file');
  });
});

describe('--max-warnings', () => {
  it('passes warnings by default, fails when there are more than allowed', () => {
    expect(run('warnings').code).toBe(0);
    expect(run('warnings').stdout).toContain('✖ 1 problem (0 errors, 1 warning) in 1 file');
    expect(run('maxWarnings0').code).toBe(1);
    expect(run('maxWarnings0').stderr).toContain('1 warnings, more than --max-warnings 0 allows');
    expect(run('maxWarnings1').code).toBe(0);
  });
});

describe('usage and config errors', () => {
  it('--config with a bad config: a diagnostic at its line, exit 2', () => {
    const { code, stdout, stderr } = run('badConfig');
    expect(code, stderr).toBe(2);
    expect(stdout).toMatch(
      /^configs\/bad\.yaml\n {2}3:8 +error +Config: "match" must be one of "frontmatter", "filename", "heading" +config-error\n/,
    );
  });

  it('an unknown flag or format: exit 2 with a message, no stack trace', () => {
    expect(run('unknownFlag').code).toBe(2);
    expect(run('unknownFlag').stderr).toContain("Unknown option '--frobnicate'");
    expect(run('unknownFormat').code).toBe(2);
    expect(run('unknownFormat').stderr).toContain('unknown format "xml"');
    for (const name of ['unknownFlag', 'unknownFormat']) expect(run(name).stderr).not.toMatch(/\n\s+at /);
  });

  it('lint --help and --version exit 0', () => {
    expect(run('lintHelp').code).toBe(0);
    for (const flag of ['--config', '--format', '--max-warnings', '--quiet']) expect(run('lintHelp').stdout).toContain(flag);
    expect(run('version').code).toBe(0);
    expect(run('version').stdout).toBe(
      `${(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version}\n`,
    );
  });
});

describe('the V8 flags', () => {
  // ARCHITECTURE.md ("Start-up and memory") says why each is there; the peak memory of a large
  // project depends on them, so an installed `runbooks` and `npm run` must give the same ones.
  it('are the same in the bin shebang as in the package.json scripts', () => {
    const shebang = readFileSync(path.join(REPO, 'src/cli/bin.js'), 'utf8').split('\n')[0] ?? '';
    const fromBin = shebang.match(/^#!\/usr\/bin\/env -S node((?: --\S+)+)$/)?.[1];
    expect(fromBin).toContain('--max-semi-space-size=');
    const scripts = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['lint:runbooks', 'runbooks'])
      expect(scripts[name]?.match(/^node((?: --\S+)+) src\/cli\/bin\.js/)?.[1]).toBe(fromBin);
  });
});
