/**
 * Regression tests for issue 9 (fuzzing and fault injection): each case is the minimal input that
 * broke a promise (data loss, a crash, a hang, super-linear time, a wrong result) and the
 * behaviour it must have instead. In-process where possible; the CLI only where the exit code or
 * stderr is the promise.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseCache, contentHash, toolKey } from '../src/lib/perf/cache.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { applyFixes, planFixes } from '../src/lib/commands/fix.ts';
import { lint, validateCheckSettings } from '../src/lib/engine/lint.ts';
import { loadProject } from '../src/lib/project/load-project.ts';
import type { Runbook } from '../src/lib/project/model.ts';
import { parseJob } from '../src/lib/perf/workers/jobs.ts';
import { expectWellFormed, REPO, runbookText, runCli, tempDir, TODAY, writeFiles } from './harness.ts';
import { CORPUS, describeCorpus } from './support/shared.ts';

const temp = tempDir('runbooks-harden-');
afterAll(temp.remove);
let counter = 0;

const CONFIG = `rules: ["rules/**/*.yaml"]
runbooks: ["runbooks/*.md"]
schema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}
runbookUrl: https://rb.example.com/alerts/{alert}/
`;

const rules = (...alerts: string[]): string => `groups:\n  - name: g\n    rules:\n${alerts.map((a) => `      - alert: ${a}\n        expr: vector(1)\n        labels:\n          severity: critical\n        annotations:\n          runbook_url: https://rb.example.com/alerts/${a}/\n`).join('')}`;

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
    const other = path.join(root, 'other-cache/lint-cache');
    const rewrite = ParseCache.open(other);
    rewrite.set('runbooks/Api.md', hash, { json: JSON.stringify({ ...parsed, headings: parsed.headings.map((h) => ({ ...h, line: h.line + 1000 })) }) });
    expect(rewrite.save()).toBe(true);
    expect(ParseCache.open(other).size).toBe(1);
    expect(ParseCache.open(other).get('runbooks/Api.md', hash)).toBeUndefined();
  });
});

describe('bounded cost: every step linear in the file', () => {
  /** Parses a runbook and returns its diagnostics and the time it took. */
  const timed = (text: string, kind: 'runbook' | 'rules' = 'runbook'): { ms: number; diagnostics: Diagnostic[]; parsed: ReturnType<typeof parseJob> } => {
    const start = performance.now();
    const parsed = parseJob({ kind, file: kind === 'runbook' ? 'runbooks/x.md' : 'rules/x.yaml', text });
    return { ms: performance.now() - start, diagnostics: parsed.diagnostics, parsed };
  };

  it('reads 20,000 headings in time linear in their number (the section loop)', () => {
    const doc = (n: number): string => Array.from({ length: n }, (_, i) => `## H${i}\n\ntext\n`).join('\n');
    timed(doc(500));
    const small = timed(doc(2_500)).ms;
    const large = timed(doc(20_000));
    // 8x the headings: a quadratic loop takes ~64x; allow noise up to 20x.
    expect(large.ms).toBeLessThan(Math.max(small, 20) * 20);
    expect((large.parsed as Runbook).headings.at(-2)?.blocks).toBe(1);
  });

  it.each([
    ['`[a](` x 64,000 (one 256 KB line)', '[a]('.repeat(64_000)],
    ['`*a[` x 20,000 in one paragraph', '*a['.repeat(20_000)],
    ['a heading of 30,000 `[a](`', `# ${'[a]('.repeat(30_000)}\n`],
  ])('keeps %s raw, with one warning, in well under a second', (_name, text) => {
    const { ms, diagnostics } = timed(text);
    // Before the bound: 21 s for the first; a shared CI machine gets ample slack.
    expect(ms).toBeLessThan(5000);
    expect(diagnostics.map((d) => [d.line, d.ruleId, d.severity])).toEqual([[1, 'parse-error', 'warning']]);
    expect(diagnostics[0]?.message).toMatch(/more than 4000 link, emphasis or HTML markers/);
  });

  it('refuses 800 nested list levels with one finding at the line that goes too deep', () => {
    const { ms, diagnostics } = timed(Array.from({ length: 800 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n'));
    expect(ms).toBeLessThan(3000);
    expect(diagnostics.map((d) => [d.line, d.ruleId, d.message])).toEqual([[101, 'parse-error', expect.stringMatching(/nest 101 levels deep/)]]);
  });

  it('bounds a runbook of 100,000 links (800 KB): read up to the marker budget, or refused past 10,000 blocks', () => {
    const paragraphs = Array.from({ length: 100_000 }, (_, i) => `[a](${i % 10})`).join('\n\n');
    expect(paragraphs.length).toBeLessThan(1024 * 1024);
    const refused = timed(paragraphs);
    expect(refused.ms).toBeLessThan(1000);
    expect(refused.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([[100_001, 'error', expect.stringMatching(/more than 50000 paragraphs, list items and headings/)]]);
    // 10 links in each of 3,000 paragraphs: the first 20,000 markers are read, then one warning.
    const read = timed(Array.from({ length: 3_000 }, () => '[a](b) '.repeat(10)).join('\n\n'));
    expect(read.ms).toBeLessThan(10_000);
    expect((read.parsed as Runbook).links).toHaveLength(5_000);
    expect(read.diagnostics.map((d) => [d.line, d.severity])).toEqual([[1001, 'warning']]);
  });

  it.each([
    ['4,000 nested `- ` in a rule file', `${'- '.repeat(4000)}x`, 'rules', /nests more than 100 levels/],
    ['4,000 nested flow sequences in a frontmatter', `---\na: ${'['.repeat(4000)}\n---\n`, 'runbook', /nests more than 100 levels/],
    ['20,000 anchors and aliases', Array.from({ length: 20_000 }, (_, i) => `a${i}: &x${i} v\nb${i}: *x${i}`).join('\n'), 'rules', /more than 1000 anchors/],
  ] as const)('%s: one finding, no stack overflow, bounded time', (_name, text, kind, message) => {
    const { ms, diagnostics } = timed(text, kind);
    expect(ms).toBeLessThan(3000);
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(message)]);
    expect(diagnostics[0]?.severity).toBe('error');
  });
});

describe('wrong results, now right', () => {
  const read = (text: string) => parseJob({ kind: 'rules', file: 'rules/x.yaml', text }) as import('../src/lib/project/model.ts').RuleFile;

  it('reads YAML aliases and merge keys as Prometheus does', () => {
    const file = read(`crit: &crit {severity: critical, team: db}
ann: &ann {summary: Down, runbook_url: https://x/}
groups:
  - name: g
    rules:
      - alert: A
        expr: up == 0
        labels: *crit
        annotations: {<<: *ann, summary: Really down}
`);
    expect(file.diagnostics).toEqual([]);
    expect(file.rules.map((r) => [r.name, { ...r.labels }, { ...r.annotations }])).toEqual([
      ['A', { severity: 'critical', team: 'db' }, { runbook_url: 'https://x/', summary: 'Really down' }]]);
  });

  it('keeps `.nan`, `1e3` and `0x10` as the strings Prometheus keeps', () => {
    const file = read('groups:\n  - name: g\n    rules:\n      - alert: .nan\n        expr: vector(1)\n        labels: {severity: .nan, n: 1e3, h: 0x10, yes: true}\n');
    expect(file.rules.map((r) => [r.name, { ...r.labels }])).toEqual([['.nan', { severity: '.nan', n: '1e3', h: '0x10', yes: 'true' }]]);
  });

  it('reads CR-only line endings as line breaks, in rule files and runbooks', async () => {
    const file = read(rules('Api').replaceAll('\n', '\r'));
    expect(file.diagnostics).toEqual([]);
    expect(file.rules.map((r) => [r.name, r.at.line])).toEqual([['Api', 4]]);
    const body = runbookText('Api', { body: '## Meaning\n\nx\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nTODO\n' });
    const lf = (await lintAt(project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': body }))).map(brief);
    expect(lf).toEqual(['runbooks/Api.md:26:1 placeholder-content']);
    const cr = project({ 'rules/a.yaml': rules('Api').replaceAll('\n', '\r'), 'runbooks/Api.md': body.replaceAll('\n', '\r') });
    expect((await lintAt(cr)).map(brief)).toEqual(lf);
  });

  it('reports a real duplicate key although a block scalar holds `{{ $labels.instance }}`', () => {
    const file = read(`groups:
  - name: g
    rules:
      - alert: A
        expr: up == 0
        expr: up == 1
        annotations:
          description: |
            {{ $labels.instance }} is down
`);
    expect(file.diagnostics.map((d) => [d.line, d.message])).toEqual([[6, expect.stringMatching(/Map keys must be unique/)]]);
  });

  it('still says a Helm template is a template', () => {
    const file = read('{{- if .Values.enabled }}\ngroups: []\n{{- end }}\n');
    expect(file.diagnostics.map((d) => d.message)).toEqual(['This rule file is a template (Helm or Go template syntax), not YAML']);
  });

  it('warns of a BOM inside the frontmatter and reads the key without it', () => {
    const parsed = parseJob({ kind: 'runbook', file: 'runbooks/x.md', text: '---\n\uFEFFtitle: T\nalert: A\n---\n# T\n' }) as Runbook;
    expect(parsed.frontmatter?.data).toEqual({ title: 'T', alert: 'A' });
    expect(parsed.diagnostics.map((d) => [d.line, d.column, d.severity])).toEqual([[2, 1, 'warning']]);
  });

  it('keeps every position inside its line after YAML error recovery', () => {
    for (const text of ['a: "x\n', 'a: [1, 2\nb: 3', 'k: {a: 1\n', '- a\nb: c\n  - d', 'a:\n\t- b\n']) {
      const file = read(text);
      const lines = text.split('\n');
      for (const d of file.diagnostics) {
        expect(d.line, `${JSON.stringify(text)}: ${d.message}`).toBeLessThanOrEqual(lines.length);
        expect(d.column, `${JSON.stringify(text)}: ${d.message}`).toBeLessThanOrEqual((lines[d.line - 1] ?? '').length + 1);
        if (d.endLine !== undefined && d.endColumn !== undefined) expect(d.endColumn).toBeLessThanOrEqual((lines[d.endLine - 1] ?? '').length + 1);
      }
    }
  });

  it.each(['/../x', '/\\evil.example/y', '//evil.example/', '/a/%2e%2e/b'])('rejects the alias %s in lint, so the site build cannot fail on it', async (alias) => {
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api', { frontmatter: `aliases: [${JSON.stringify(alias)}]\n` }) });
    expect((await lintAt(root)).map(brief)).toEqual(['runbooks/Api.md:8:11 frontmatter-schema']);
  });
});

describe('files that are not what they seem', () => {
  it('follows no symbolic link loop, says so once, and leaves the project only on purpose', async () => {
    const outside = path.join(temp.dir, `outside-${++counter}`);
    writeFiles(outside, { 'Other.md': runbookText('Other') });
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api'), 'runbooks/sub/Sub.md': runbookText('Sub') },
      CONFIG.replace('runbooks/*.md', 'runbooks/**/*.md'));
    symlinkSync('.', path.join(root, 'runbooks/loop'));
    symlinkSync('..', path.join(root, 'runbooks/sub/up'));
    symlinkSync(outside, path.join(root, 'runbooks/out'));
    const found = await lintAt(root);
    expect(found.map((d) => `${brief(d)} ${d.severity}`)).toEqual([
      'runbooks/loop:1:1 io-error warning',
      'runbooks/out:1:1 io-error warning',
      'runbooks/sub/Sub.md:2:8 runbook-alert-exists error',
      'runbooks/sub/up:1:1 io-error warning',
    ]);
    const config = loadConfig(root).config!;
    expect((await loadProject(config)).runbooks.map((r) => r.file)).toEqual(['runbooks/Api.md', 'runbooks/sub/Sub.md']);
    // A pattern that starts outside the project leaves it on purpose.
    const onPurpose = project({ 'rules/a.yaml': rules('Other') }, `${CONFIG.replace('runbooks: ["runbooks/*.md"]', `runbooks: [${JSON.stringify(`${outside}/*.md`)}]`)}`);
    expect((await lintAt(onPurpose)).map(brief)).toEqual([]);
  });

  it('refuses a glob that would walk the whole file system', () => {
    const loaded = loadConfig(project({}, CONFIG.replace('runbooks: ["runbooks/*.md"]', 'runbooks: ["/**/*.md"]')));
    expect(loaded.diagnostics.map((d) => [d.line, d.ruleId, d.message])).toEqual([[2, 'config-error', 'The runbooks glob "/**/*.md" would search the whole file system']]);
  });

  it('reports a FIFO named like a runbook, and a FIFO as the schema, without blocking', async () => {
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api') });
    execFileSync('mkfifo', [path.join(root, 'runbooks/x.md'), path.join(root, 'schema.json')]);
    expect((await lintAt(root)).map((d) => `${brief(d)} ${d.message}`)).toEqual(['runbooks/x.md:1:1 io-error This is not a regular file']);
    const loaded = loadConfig(project({}, CONFIG.replace(/schema: .*/, `schema: ${JSON.stringify(path.join(root, 'schema.json'))}`)));
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/cannot be used: .* is not a regular file/)]);
  });

  it('refuses a FIFO given as --baseline instead of waiting on it', async () => {
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api') });
    execFileSync('mkfifo', [path.join(root, 'baseline.json')]);
    const run = await runCli(['lint', '--baseline', 'baseline.json'], root);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/baseline baseline\.json: it is not a regular file/)]);
  });

  it('`runbooks new` with a 300-character alert name creates a file or says why, and returns', async () => {
    const long = `A${'b'.repeat(299)}`;
    const frontmatter = project({ 'rules/a.yaml': rules(long) });
    const made = await runCli(['new', long], frontmatter);
    expect(made.code, made.stderr).toBe(0);
    // Too long to be a file name, it gets a shortened one that names the alert in its frontmatter, as any name that cannot be a file name.
    const filename = project({ 'rules/a.yaml': rules(long) }, `${CONFIG}match: filename\n`);
    const slugged = await runCli(['new', long], filename);
    expect(slugged.code, slugged.stderr).toBe(0);
    const written = readFileSync(path.join(filename, `runbooks/${long.slice(0, 200)}.md`), 'utf8');
    expect(written).toContain(`alert: "${long}"`);
  });
});

describe('fix and config, odd but valid files', () => {
  it('fixes a CR-only rule file byte for byte outside the edit, and refuses lone CRs mixed with LFs', async () => {
    const unlinked = rules('Api').replace(/ {8}annotations:\n.*\n/, '');
    const cr = unlinked.replaceAll('\n', '\r');
    const root = project({ 'rules/a.yaml': cr, 'rules/b.yaml': rules('Db').replace(/ {8}annotations:\n.*\n/, '').replace('\n', '\r'),
      'runbooks/Api.md': runbookText('Api'), 'runbooks/Db.md': runbookText('Db') });
    const plan = await planFixes(await loadProject(loadConfig(root).config!));
    expect(plan.fixes.map((f) => f.file)).toEqual(['rules/a.yaml']);
    const after = plan.fixes[0]?.after ?? '';
    expect(after).not.toContain('\n');
    expect(after.startsWith(cr)).toBe(true);
    expect(after.slice(cr.length)).toBe('        annotations:\r          runbook_url: https://rb.example.com/alerts/Api/\r');
    expect(plan.diagnostics.map((d) => [d.file, d.ruleId, d.message])).toEqual([['rules/b.yaml', 'fix-error', expect.stringMatching(/mixes lone CR/)]]);
  });

  it('names the config, not the frontmatter, when the config is a list', () => {
    const loaded = loadConfig(project({}, '- rules\n- runbooks\n'));
    expect(loaded.diagnostics.map((d) => d.message)).toEqual(['Config: The config must be an object']);
  });

  it('never hands a check an option of the wrong type, even when lint() is called without validating', async () => {
    const root = project({ 'rules/a.yaml': rules('Api'), 'runbooks/Api.md': runbookText('Api') }, `${CONFIG}checks:\n  placeholder-content: {words: TODO}\n`);
    const found = await lintAt(root);
    expect(found.map((d) => `${d.ruleId} ${d.message}`)).toEqual([expect.stringMatching(/^config-error Config: option "words" must be an array/)]);
  });
});

describe('hostile names in templates', () => {
  it('leaves {{constructor}} and {{__proto__}} in a template as written', async () => {
    const { renderRunbook } = await import('../src/lib/commands/scaffold.ts');
    expect(renderRunbook('---\ntitle: {{constructor}}\n---\n\n# {{__proto__}} {{alert}}\n', { alert: 'A' })).toBe('---\ntitle: {{constructor}}\n---\n\n# {{__proto__}} A\n');
  });
});

describe('hostile names in the baseline', () => {
  it('records and accepts findings about alerts named __proto__ and constructor', async () => {
    const { applyBaseline, createBaseline, formatBaseline } = await import('../src/lib/engine/baseline.ts');
    const root = project({ 'rules/a.yaml': rules('__proto__', 'constructor', 'toString') });
    const found = (await lintAt(root)).filter((d) => d.ruleId === 'alert-has-runbook');
    expect(found).toHaveLength(3);
    const baseline = JSON.parse(formatBaseline(createBaseline(found))) as Parameters<typeof applyBaseline>[1];
    const applied = applyBaseline(found, baseline);
    expect([applied.diagnostics, applied.baselined.length, applied.stale]).toEqual([[], 3, []]);
  });
});

describeCorpus('the cache over the whole corpus', () => {
  it('gives uncached, cold-cached and warm-cached runs the same findings and the same project', async () => {
    const root = project({ 'schema.json': '{"type":"object"}' }, `rules: ["${CORPUS}/**/*.{yml,yaml}"]
runbooks: ["${CORPUS}/**/*.md"]
schema: schema.json
runbookUrl: https://rb.example.com/alerts/{alert}/
`);
    const config = loadConfig(root).config!;
    const cacheLocation = path.join(root, '.cache/runbooks/lint-cache');
    const plain = await lint(config, { today: TODAY });
    expect(plain.project.ruleFiles.length + plain.project.runbooks.length).toBeGreaterThan(150);
    const cold = await lint(config, { today: TODAY, cacheLocation });
    const warm = await lint(config, { today: TODAY, cacheLocation });
    expect(cold.diagnostics).toEqual(plain.diagnostics);
    expect(warm.diagnostics).toEqual(plain.diagnostics);
    expect(warm.project.ruleFiles).toEqual(plain.project.ruleFiles);
    expect(warm.project.runbooks).toEqual(plain.project.runbooks);
    // The warm run read the cache: every file has an entry.
    expect(ParseCache.open(cacheLocation).size).toBe(plain.project.ruleFiles.length + plain.project.runbooks.length);
  });
});
