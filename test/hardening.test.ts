/**
 * Regression tests for issue 9 (fuzzing and fault injection): each case is the minimal input that
 * broke a promise (data loss, a crash, a hang, super-linear time, a wrong result) and the
 * behaviour it must have instead. In-process where possible; the CLI only where the exit code or
 * stderr is the promise.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseCache, contentHash, toolKey } from '../src/lib/cache.ts';
import { loadConfig } from '../src/lib/config.ts';
import type { Diagnostic } from '../src/lib/diagnostic.ts';
import { applyFixes, planFixes } from '../src/lib/fix.ts';
import { lint, validateCheckSettings } from '../src/lib/lint.ts';
import { loadProject } from '../src/lib/load.ts';
import type { Runbook } from '../src/lib/model.ts';
import { parseJob } from '../src/lib/workers/jobs.ts';
import { expectWellFormed, REPO, runbookText, runCli, tempDir, TODAY, writeFiles } from './harness.ts';

const temp = tempDir('runbooks-harden-');
afterAll(temp.remove);
let counter = 0;

const CONFIG = `rules: ["rules/**/*.yaml"]
runbooks: ["runbooks/*.md"]
schema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}
runbookUrl: https://rb.example.com/alerts/{alert}/
`;

const rules = (...alerts: string[]): string => `groups:\n  - name: g\n    rules:\n${alerts.map((a) => `      - alert: ${a}\n        expr: vector(1)\n        labels:\n          severity: critical\n`).join('')}`;

/** A fresh project folder with a config and the given files. */
function project(files: Record<string, string | Buffer>, config = CONFIG): string {
  const root = path.join(temp.dir, `p${++counter}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'runbooks.config.yaml'), config);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

async function lintAt(root: string, options: { cacheLocation?: string } = {}): Promise<Diagnostic[]> {
  const loaded = loadConfig(root);
  if (!loaded.config) throw new Error(JSON.stringify(loaded.diagnostics));
  return (await lint(loaded.config, { today: TODAY, ...options })).diagnostics;
}

const brief = (d: Diagnostic): string => `${d.file}:${d.line}:${d.column} ${d.ruleId}`;

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
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api') });
    const file = path.join(root, 'rules/a.yaml');
    chmodSync(file, 0o444);
    const config = loadConfig(root).config!;
    const plan = await planFixes(await loadProject(config));
    expect(plan.fixes.map((f) => f.file)).toEqual(['rules/a.yaml']);
    const problems = await applyFixes(root, plan);
    expect(problems.map((d) => [brief(d), d.message])).toEqual([['rules/a.yaml:1:1 io-error', 'Cannot write the file (EACCES)']]);
    expect(readFileSync(file, 'utf8')).toBe(rules('Api'));
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });
});

describe('no input ends the run', () => {
  it('turns a throw in a reader into one internal-error finding for that file', () => {
    // A getter that throws stands in for any bug in a reader: the job must still return.
    const text = { toString: () => 'x' } as unknown as string;
    const parsed = parseJob({ kind: 'runbook', file: 'runbooks/x.md', text });
    expect(parsed.diagnostics.map((d) => d.ruleId)).toEqual(['internal-error']);
    expect(parsed.diagnostics[0]?.message).toMatch(/bug of the tool/);
    expect(parsed.diagnostics[0]?.hint).toMatch(/report it/);
  });

  it('lints an alert whose name holds a lone surrogate', async () => {
    const root = project({ 'rules/a.yaml': 'groups:\n  - name: g\n    rules:\n      - alert: "Bad\\uD800Name"\n        expr: vector(1)\n' });
    const found = await lintAt(root);
    expect(found.map((d) => d.ruleId)).toEqual(['alert-has-runbook']);
  });

  it.each(['__proto__', 'constructor', 'hasOwnProperty', 'toString'])('--format %s is a usage error, not a crash', async (format) => {
    const root = project({ 'rules/a.yaml': rules('Api') });
    const run = await runCli(['lint', '--format', format], root);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(new RegExp(`unknown format "${format}"`))]);
  });

  it.each(['', '0x10', '1e3', ' 5', '-1', '1.5'])('--max-warnings "%s" is refused', async (value) => {
    const run = await runCli(['lint', `--max-warnings=${value}`], project({}));
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/--max-warnings takes a whole number/)]);
  });
});

describe('check options are validated against each check\'s schema', () => {
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
    ['stale-review: {maxAgeDayz: 90}', /^6:\d+ config-error Config: unknown option "maxAgeDayz" of check "stale-review" \| Did you mean "maxAgeDays"\?/],
    ['runbook-url: {annotation: 12}', /^6:\d+ config-error Config: option "annotation" must be a string/],
    ['alert-has-runbook: {severity: warning, words: [x]}', /unknown option "words" of check "alert-has-runbook" \| This check takes no options/],
  ])('%s', (setting, expected) => {
    const found = problems(`  ${setting}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('takes hostile option values as ordinary strings', async () => {
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api', { severity: 'warning' }) },
      `${CONFIG}checks:\n  severity-match: {label: constructor}\n  runbook-url: {annotation: toString}\n`);
    const found = await lintAt(root);
    expect(found.filter((d) => d.ruleId === 'severity-match')).toEqual([]);
    expect(found.filter((d) => d.ruleId === 'runbook-url').map((d) => d.message)).toEqual(['Alert "Api" has no toString annotation']);
  });
});

describe('the cache writes only what is its own and believes nothing it did not write', () => {
  it.each([
    ['the config file', 'runbooks.config.yaml', /not a runbooks cache/],
    ['a FIFO', 'fifo', /special file/],
    ['/dev/full', '/dev/full', /special file/],
  ])('--cache-location naming %s is refused, and nothing is written or blocks', async (_name, location, message) => {
    const root = project({ 'rules/a.yaml': rules('Api') });
    if (location === 'fifo') execFileSync('mkfifo', [path.join(root, 'fifo')]);
    const before = readFileSync(path.join(root, 'runbooks.config.yaml'));
    const run = await runCli(['lint', '--cache-location', location], root);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
    expect(readFileSync(path.join(root, 'runbooks.config.yaml')).equals(before)).toBe(true);
  });

  it('takes an entry of the wrong shape, or altered but still valid JSON, as a miss', async () => {
    const body = runbookText('Api', { body: '## Meaning\n\nx\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nTODO\n' });
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': body });
    const cacheLocation = path.join(root, '.cache/runbooks/lint-cache');
    const cold = (await lintAt(root)).map(brief);
    expect(cold).toContain('runbooks/Api.md:26:1 placeholder-content');
    expect((await lintAt(root, { cacheLocation })).map(brief)).toEqual(cold);
    const key = toolKey();
    const lines = readFileSync(cacheLocation, 'utf8').split('\n');
    const doctor = (file: string, change: (json: string) => string): string[] => lines.map((line) => {
      if (!line.startsWith(`${JSON.stringify(file)}\t`)) return line;
      const fields = line.split('\t');
      return [...fields.slice(0, 4), change(fields[4] as string)].join('\t');
    });
    // A heading at line 24 must not move to line 1024; rules that are not a list must not crash a check.
    for (const damaged of [
      doctor('runbooks/Api.md', (json) => json.replaceAll('"line":24', '"line":1024')),
      doctor('rules/a.yaml', (json) => json.replace(/"rules":\[.*?\],"recordingRules"/, '"rules":{},"recordingRules"')),
    ]) {
      expect(damaged[0]).toBe(`runbooks-lint-cache/3\t${key}`);
      expect(damaged).not.toEqual(lines);
      writeFileSync(cacheLocation, damaged.join('\n'));
      expect((await lintAt(root, { cacheLocation })).map(brief)).toEqual(cold);
    }
    // Even with the checksum recomputed, a position past the end of the file is not believed.
    const cache = ParseCache.open(cacheLocation);
    const hash = contentHash(body);
    const parsed = cache.get('runbooks/Api.md', hash) as Runbook;
    expect(parsed.lines).toBe(27);
    const rewrite = ParseCache.open(path.join(root, 'other-cache'));
    rewrite.set('runbooks/Api.md', hash, { json: JSON.stringify({ ...parsed, headings: parsed.headings.map((h) => ({ ...h, line: h.line + 1000 })) }) });
    rewrite.save();
    expect(ParseCache.open(path.join(root, 'other-cache')).get('runbooks/Api.md', hash)).toBeUndefined();
  });
});
