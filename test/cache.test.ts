/**
 * The parse cache (ESLint's --cache for runbooks): a warm run reports exactly what a cold run
 * reports, sees changed files, the config and the schema, shrugs off a damaged cache file, and
 * starts afresh for another version of the tool.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParseCache, cacheLocationFor, checkedCacheLocation, type FileStat } from '../src/lib/perf/cache.ts';
import { contentHash, toolKey } from '../src/lib/perf/cache-keys.ts';
import { CacheDamaged, SourceChanged } from '../src/lib/perf/lazy-rest.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import { send, type Parsed } from '../src/lib/perf/workers/encoding.ts';
import { lint, type LintResult } from '../src/lib/engine/lint.ts';
import type { AlertRule, RuleFile, Runbook } from '../src/lib/project/model.ts';
import { configOf, REPO, runCliSync, TODAY, tempDir } from './harness.ts';
import { runbookResult } from './support/parse-results.ts';

const temp = tempDir('runbooks-cache-');
afterAll(temp.remove);

let root = '';
let cacheFile = '';
let copies = 0;

/** A fresh copy of the bundled example, with its cache file path. */
beforeEach(() => {
  root = path.join(temp.dir, `example-${copies++}`);
  for (const part of ['rules', 'runbooks', 'schema', 'runbooks.config.yaml'])
    cpSync(path.join(REPO, part), path.join(root, part), { recursive: true });
  cacheFile = path.join(root, '.cache/runbooks/lint-cache');
});

async function run(withCache = true): Promise<LintResult> {
  const { config } = loadConfig(root);
  if (!config) throw new Error('the example config does not load');
  return lint(config, { today: TODAY, ...(withCache ? { cacheLocation: cacheFile } : {}) });
}

const findings = (result: LintResult): string[] =>
  result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId} ${d.message}`);

/** The smallest parse result of a runbook that the cache accepts as one; `lines` tells them apart. */
const parsed = (file: string, lines = 0): Runbook => runbookResult(file, { lines });

function edit(file: string, change: (text: string) => string): void {
  const full = path.join(root, file);
  writeFileSync(full, change(readFileSync(full, 'utf8')));
}

describe('the parse cache', () => {
  it('gives a warm run the findings and data of a cold run, and the cache answers it', async () => {
    edit('runbooks/HostDown.md', (t) =>
      t.replace('## Impact', '## Effect').replace('last_reviewed: 2026-10-14', 'last_reviewed: 2020-01-01'),
    );
    const cold = await run(false);
    expect(findings(cold).length).toBeGreaterThan(0);
    const first = await run();
    expect(existsSync(cacheFile)).toBe(true);
    expect(readFileSync(path.join(root, '.cache/runbooks/.gitignore'), 'utf8')).toBe('*\n');
    const warm = await run();
    expect(findings(first)).toEqual(findings(cold));
    expect(findings(warm)).toEqual(findings(cold));
    expect(warm.project.runbooks).toEqual(cold.project.runbooks);
    expect(warm.project.ruleFiles).toEqual(cold.project.ruleFiles);

    // The warm run could answer from the cache; an entry altered since (valid JSON, wrong facts) is a miss.
    const cache = ParseCache.open(cacheFile);
    const file = 'runbooks/HostOutOfMemory.md';
    const text = readFileSync(path.join(root, file), 'utf8');
    const entry = cache.get(file, contentHash(text), undefined, text);
    expect(entry && 'headings' in entry).toBe(true);
    // The index (after the rests, where the header says) holds each entry's core, last on its line.
    const bytes = readFileSync(cacheFile);
    const indexAt = Number(bytes.subarray(0, bytes.indexOf(10)).toString().split('\t')[2]);
    const lines = bytes.subarray(indexAt).toString().split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${JSON.stringify(file)}\t`));
    const fields = (lines[at] as string).split('\t');
    const doctored = JSON.parse(fields[4] as string) as { comments: unknown[] };
    doctored.comments = [];
    lines[at] = [...fields.slice(0, 4), JSON.stringify(doctored)].join('\t');
    writeFileSync(cacheFile, Buffer.concat([bytes.subarray(0, indexAt), Buffer.from(lines.join('\n'))]));
    expect(findings(await run())).toEqual(findings(cold));
  });

  it('parses a changed file again', async () => {
    await run();
    edit('runbooks/HostDown.md', (t) => t.replace('## Mitigation', '## Fixes'));
    const warm = await run();
    const cold = await run(false);
    expect(findings(warm)).toEqual(findings(cold));
    // A missing section is reported at the runbook's title.
    const title = readFileSync(path.join(REPO, 'runbooks/HostDown.md'), 'utf8').split('\n').indexOf('# Host is down') + 1;
    expect(findings(warm).filter((f) => f.startsWith('runbooks/HostDown.md'))).toEqual([
      `runbooks/HostDown.md:${title}:1 required-sections Missing required section "## Mitigation"`,
    ]);
  });

  it('runs the checks again when the config or the schema changes, though no file did', async () => {
    await run();
    writeFileSync(
      path.join(root, 'runbooks.config.yaml'),
      readFileSync(path.join(root, 'runbooks.config.yaml'), 'utf8').replace(
        'requiredSections: [Meaning, Impact, Diagnosis, Mitigation]',
        'requiredSections: [Meaning, Impact, Diagnosis, Mitigation, Rollback]',
      ),
    );
    const schema = JSON.parse(readFileSync(path.join(root, 'schema/runbook.schema.json'), 'utf8')) as { required: string[] };
    schema.required.push('pager');
    writeFileSync(path.join(root, 'schema/runbook.schema.json'), JSON.stringify(schema));
    const warm = await run();
    expect(findings(warm)).toEqual(findings(await run(false)));
    expect(findings(warm).some((f) => f.includes('"## Rollback"'))).toBe(true);
    expect(findings(warm).some((f) => f.includes('Missing required key "pager"'))).toBe(true);
  });

  it('ignores a corrupt or unreadable cache file, and replaces it', async () => {
    const cold = findings(await run(false));
    await run();
    for (const damage of ['\u0000\u0001garbage\n\tnot\ta cache', readFileSync(cacheFile, 'utf8').slice(0, 5000), '']) {
      writeFileSync(cacheFile, damage);
      expect(findings(await run())).toEqual(cold);
    }
    // A folder where the file should be: nothing to read, nothing written, still no crash.
    const folder = path.join(root, 'folder-cache');
    cpSync(path.join(root, 'rules'), path.join(folder, 'lint-cache'), { recursive: true });
    const { config } = loadConfig(root);
    const result = await lint(config!, { today: TODAY, cacheLocation: path.join(folder, 'lint-cache') });
    expect(findings(result)).toEqual(cold);
    // After a good run the file is whole again.
    expect(ParseCache.open(cacheFile).size).toBeGreaterThan(20);
  });

  it('starts afresh when the tool version changes', async () => {
    await run();
    expect(toolKey('0.1.0')).not.toBe(toolKey('0.2.0'));
    const file = 'runbooks/HostDown.md';
    const text = readFileSync(path.join(root, file), 'utf8');
    const hash = contentHash(text);
    expect(ParseCache.open(cacheFile).get(file, hash, undefined, text)).toBeDefined();
    // The same file read by another version of the tool holds nothing for it.
    const other = ParseCache.open(cacheFile, toolKey(`${JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version}-next`));
    expect(other.size).toBe(0);
    expect(other.get(file, hash)).toBeUndefined();
  });

  it('trusts unchanged file metadata only when it was recorded well after the file changed', () => {
    const file = 'runbooks/HostDown.md';
    const hour = 3_600_000;
    const old = { size: 100, mtimeMs: Date.now() - hour, ctimeMs: Date.now() - hour, ino: 7 };
    const fresh = { ...old, mtimeMs: Date.now(), ctimeMs: Date.now() };
    const write = ParseCache.open(cacheFile);
    write.set(file, 'h1', send(parsed(file, 1)), old);
    write.set('runbooks/Fresh.md', 'h2', send(parsed('runbooks/Fresh.md')), fresh);
    expect(write.save()).toBe(true);
    const read = (): ParseCache => ParseCache.open(cacheFile);
    expect(read().getUnchanged(file, old)).toEqual(parsed(file, 1));
    // Any difference in size, times or inode means: read and hash the file.
    for (const changed of [{ size: 101 }, { mtimeMs: old.mtimeMs + 1 }, { ctimeMs: old.ctimeMs + 1 }, { ino: 8 }]) {
      expect(read().getUnchanged(file, { ...old, ...changed })).toBeUndefined();
    }
    // Recorded within the same second as the change: the file may have changed again unseen.
    expect(read().getUnchanged('runbooks/Fresh.md', fresh)).toBeUndefined();
    expect(read().get('runbooks/Fresh.md', 'h2', fresh)).toEqual(parsed('runbooks/Fresh.md'));
  });

  it('records again entries it could not trust when written, once a run has confirmed enough of them', async () => {
    // Written within RACY_MS of the files' change (a cold run right after a checkout): not trusted.
    // The margins are wide enough for a busy machine: the write must come within RACY_MS of the change, the next open after it.
    const RACY_MS = 2_000;
    let changedAt = Date.now() - RACY_MS + 500;
    const untilTrusted = () => new Promise((resolve) => setTimeout(resolve, Math.max(0, changedAt + RACY_MS + 20 - Date.now())));
    const racy = (i: number) => ({ size: 10, mtimeMs: changedAt, ctimeMs: changedAt, ino: 100 + i });
    const old = (i: number) => ({ ...racy(i), mtimeMs: changedAt - 3_600_000, ctimeMs: changedAt - 3_600_000 });
    const writeWith = (stat: (i: number) => FileStat): void => {
      const write = ParseCache.open(cacheFile);
      for (let i = 0; i < 20; i++) write.set(`r${i}.md`, 'h', send(parsed(`r${i}.md`)), stat(i));
      expect(write.save()).toBe(true);
    };
    const use = (cache: ParseCache, i: number, stat: FileStat) => cache.getUnchanged(`r${i}.md`, stat) ?? cache.get(`r${i}.md`, 'h', stat);
    writeWith((i) => (i === 0 ? racy(i) : old(i)));
    await untilTrusted();
    // One file read and confirmed: not worth a rewrite; its entry stays as it was.
    const one = ParseCache.open(cacheFile);
    expect(one.getUnchanged('r0.md', racy(0))).toBeUndefined();
    for (let i = 0; i < 20; i++) expect(use(one, i, i === 0 ? racy(i) : old(i))).toEqual(parsed(`r${i}.md`));
    expect(one.save()).toBe(false);
    // Every file read and confirmed, now well after the change: recorded, and trusted from then on.
    changedAt = Date.now() - RACY_MS + 500;
    writeWith(racy);
    await untilTrusted();
    const all = ParseCache.open(cacheFile);
    for (let i = 0; i < 20; i++) {
      expect(all.getUnchanged(`r${i}.md`, racy(i))).toBeUndefined();
      expect(use(all, i, racy(i))).toEqual(parsed(`r${i}.md`));
    }
    expect(all.save()).toBe(true);
    const trusted = ParseCache.open(cacheFile);
    for (let i = 0; i < 20; i++) expect(trusted.getUnchanged(`r${i}.md`, racy(i))).toEqual(parsed(`r${i}.md`));
  });

  it('records again entries whose files were touched, content unchanged, once a run has confirmed enough of them', () => {
    const hourAgo = Date.now() - 3_600_000;
    const original = (i: number): FileStat => ({ size: 10, mtimeMs: hourAgo - 60_000, ctimeMs: hourAgo - 60_000, ino: 100 + i });
    // Touched an hour ago (a checkout, a copy): new metadata, old enough to be trusted.
    const touched = (i: number): FileStat => ({ ...original(i), mtimeMs: hourAgo, ctimeMs: hourAgo, ino: 200 + i });
    const write = ParseCache.open(cacheFile);
    for (let i = 0; i < 20; i++) write.set(`r${i}.md`, 'h', send(parsed(`r${i}.md`)), original(i));
    expect(write.save()).toBe(true);
    const run = ParseCache.open(cacheFile);
    for (let i = 0; i < 20; i++) {
      expect(run.getUnchanged(`r${i}.md`, touched(i))).toBeUndefined();
      expect(run.get(`r${i}.md`, 'h', touched(i))).toEqual(parsed(`r${i}.md`));
    }
    expect(run.save()).toBe(true);
    const next = ParseCache.open(cacheFile);
    for (let i = 0; i < 20; i++) expect(next.getUnchanged(`r${i}.md`, touched(i))).toEqual(parsed(`r${i}.md`));
  });

  it('leaves a large cache as it is for a few changed files, and rewrites it for many', () => {
    const big = 'x'.repeat(100_000);
    const write = ParseCache.open(cacheFile);
    for (let i = 0; i < 30; i++) write.set(`r${i}.md`, 'old', send({ ...parsed(`r${i}.md`), source: big }));
    expect(write.save()).toBe(true);
    // 3 MB of cache: rewriting it costs about as much as parsing 5 files.
    const oneChanged = ParseCache.open(cacheFile);
    for (let i = 1; i < 30; i++) expect(oneChanged.get(`r${i}.md`, 'old')).toBeDefined();
    oneChanged.set('r0.md', 'new', send(parsed('r0.md')));
    expect(oneChanged.save()).toBe(false);
    expect(ParseCache.open(cacheFile).get('r0.md', 'old')).toBeDefined();
    const manyChanged = ParseCache.open(cacheFile);
    for (let i = 0; i < 30; i++) manyChanged.set(`r${i}.md`, 'new', send(parsed(`r${i}.md`)));
    expect(manyChanged.save()).toBe(true);
    expect(ParseCache.open(cacheFile).get('r0.md', 'new')).toEqual(parsed('r0.md'));
  });

  it('is not used when lint() is called without a location', async () => {
    await run(false);
    expect(existsSync(path.join(root, '.cache'))).toBe(false);
  });
});

describe('runbooks lint and the cache', () => {
  const cli = (args: string[]): string => {
    const result = runCliSync(['lint', ...args], root);
    expect(result.stderr).toBe('');
    return result.stdout;
  };

  it('caches by default beside the config, not with --no-cache, and where --cache-location says', () => {
    const plain = cli(['--no-cache']);
    expect(existsSync(path.join(root, '.cache'))).toBe(false);
    expect(cli([])).toBe(plain);
    expect(existsSync(cacheFile)).toBe(true);
    expect(cli(['--cache-location', 'elsewhere/'])).toBe(plain);
    expect(existsSync(path.join(root, 'elsewhere/lint-cache'))).toBe(true);
    expect(cacheLocationFor(root, root, 'elsewhere')).toBe(path.join(root, 'elsewhere/lint-cache'));
    // Without the slash too, --cache-location names a folder, which the cache creates and marks.
    expect(cacheLocationFor(root, root, 'my-cache')).toBe(path.join(root, 'my-cache/lint-cache'));
  });
});

describe('the cache folder', () => {
  const lintIn = (args: string[]) => runCliSync(['lint', ...args], root);
  /** Lints with the cache where --cache-location `option` puts it, as the CLI does. */
  const runAt = async (option?: string): Promise<string[]> =>
    findings(await lint(configOf(root), { today: TODAY, cacheLocation: cacheLocationFor(root, root, option) }));
  /** Every path under the project, with its size and mtime, but for the folders named. */
  const snapshot = (...except: string[]): string[] =>
    readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((name) => !except.some((folder) => name === folder || name.startsWith(`${folder}${path.sep}`)))
      .map((name) => {
        const info = lstatSync(path.join(root, name));
        return `${name} ${info.size} ${info.mtimeMs}`;
      })
      .sort();

  it('is created and marked by the cache, and nothing is written outside it', () => {
    const before = snapshot();
    const plain = lintIn(['--no-cache']).stdout;
    const run = lintIn(['--cache-location', 'my-cache']);
    expect([run.code, run.stderr, run.stdout]).toEqual([0, '', plain]);
    expect(readdirSync(path.join(root, 'my-cache')).sort()).toEqual(['.gitignore', 'CACHEDIR.TAG', 'lint-cache']);
    expect(readFileSync(path.join(root, 'my-cache/CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55\n/);
    expect(snapshot('my-cache')).toEqual(before);
    expect(ParseCache.open(path.join(root, 'my-cache/lint-cache')).size).toBeGreaterThan(20);
  });

  it('takes over what an earlier version left: a cache file named by --cache-location, a folder of cache files', async () => {
    const plain = findings(await run(false));
    // An earlier format's cache: nothing in it is used, so this run writes the cache again.
    const old = 'runbooks-lint-cache/2\told-key\n';
    // --cache-location used to name the file itself: the same option now gives a folder there.
    writeFileSync(path.join(root, 'old-cache'), old);
    expect(await runAt('old-cache')).toEqual(plain);
    expect(readdirSync(path.join(root, 'old-cache')).sort()).toEqual(['.gitignore', 'CACHEDIR.TAG', 'lint-cache']);
    expect(ParseCache.open(path.join(root, 'old-cache/lint-cache')).size).toBeGreaterThan(20);
    // A folder with the cache file, its .gitignore and a temporary file left by a killed run, but no mark (the default folder was so).
    mkdirSync(path.join(root, '.cache/runbooks'), { recursive: true });
    writeFileSync(path.join(root, '.cache/runbooks/lint-cache'), old);
    writeFileSync(path.join(root, '.cache/runbooks/lint-cache.123.tmp'), 'half');
    writeFileSync(path.join(root, '.cache/runbooks/.gitignore'), '*\n');
    expect(await runAt()).toEqual(plain);
    expect(existsSync(path.join(root, '.cache/runbooks/CACHEDIR.TAG'))).toBe(true);
    // An empty folder, as a CI step that restores caches makes.
    mkdirSync(path.join(root, 'empty'));
    expect(await runAt('empty/')).toEqual(plain);
    expect(existsSync(path.join(root, 'empty/CACHEDIR.TAG'))).toBe(true);
  });

  it('refuses, with exit code 2 and nothing written, a folder it does not own or a path that cannot be one', () => {
    mkdirSync(path.join(root, '.cache/other-tool'), { recursive: true });
    mkdirSync(path.join(root, 'marked-elsewhere/lint-cache'), { recursive: true });
    writeFileSync(path.join(root, 'marked-elsewhere/CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n');
    // The default folder too, when something else is there.
    writeFileSync(path.join(root, '.cache/runbooks'), 'not a folder');
    expect(checkedCacheLocation(root, root)).toEqual({
      error: expect.stringContaining('the cache folder .cache/runbooks: that is a file, not a folder'),
    });
    rmSync(path.join(root, '.cache/runbooks'));
    const before = snapshot();
    for (const [location, problem] of [
      ['.', "the folder holds files that are not the cache's"],
      ['rules', 'the folder holds files that are not the cache\'s ("'],
      ['.cache', 'the folder holds files that are not the cache\'s ("other-tool")'],
      ['runbooks.config.yaml', 'that is a file, not a folder, and it is not a runbooks cache'],
      ['runbooks.config.yaml/cache', 'a file is where one of its parent folders should be'],
      ['marked-elsewhere', 'lint-cache in it is not a file'],
    ] as const) {
      const located = checkedCacheLocation(root, root, location);
      expect('error' in located && located.error, location).toContain(`--cache-location ${location}: ${problem}`);
      expect('error' in located && located.error, location).toContain('the cache needs a folder of its own');
    }
    const run = lintIn(['--cache-location', '.']);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(
      /^runbooks lint: --cache-location \.: the folder holds files that are not the cache's .*; the cache needs a folder of its own: name a new one \(e\.g\. --cache-location \.cache\/runbooks\/\) or use --no-cache\n$/,
    );
    expect(snapshot()).toEqual(before);
  });

  it('writes nothing, through the library either, into a folder it does not own', () => {
    const cache = ParseCache.open(path.join(root, 'lint-cache'));
    cache.set('runbooks/HostDown.md', 'h', send(parsed('runbooks/HostDown.md')));
    expect(cache.save()).toBe(false);
    expect(readdirSync(root).filter((name) => name.includes('lint-cache'))).toEqual([]);
  });
});

describe('a cached result, read when first wanted', () => {
  /**
   * A cached run as if made well after the files were copied (RACY_MS in perf/cache.ts): the cache
   * then trusts their metadata and answers getUnchanged, as it does outside tests. Only Date is
   * faked; the run's timers are real.
   */
  async function settledRun(): Promise<LintResult> {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10_000);
    try {
      return await run();
    } finally {
      vi.useRealTimers();
    }
  }
  const file = 'runbooks/HostDown.md';
  /** The cache's answer for `name` from its metadata alone, as a warm run asks for it. */
  const unchanged = (cache: ParseCache, name: string) => {
    const absolute = path.join(root, name);
    const parsed = cache.getUnchanged(name, statSync(absolute), absolute);
    expect(parsed, name).toBeDefined();
    return parsed as Parsed;
  };
  const RUNBOOK_REST = ['headings', 'links', 'footnotes', 'html', 'foreign', 'source'];
  const RULE_REST = ['at', 'labelsAt', 'annotationsAt', 'annotationsBlockAt', 'exprAt', 'span', 'expr'];
  /** Whether `key` is still an accessor that reads the rest, or already a plain value. */
  const lazy = (target: object, key: string): boolean => typeof Object.getOwnPropertyDescriptor(target, key)?.get === 'function';

  it('keeps no runbook text that is the file’s, and reads it from the file, checked against the entry’s hash', async () => {
    await settledRun();
    const text = readFileSync(path.join(root, file), 'utf8');
    // A sentence of the runbook's text alone (no heading, link or finding holds it) is nowhere in the cache file.
    expect(text).toContain('Every other host alert for this instance is now blind');
    expect(readFileSync(cacheFile, 'utf8')).not.toContain('Every other host alert for this instance is now blind');
    const cache = ParseCache.open(cacheFile);
    expect((unchanged(cache, file) as Runbook).source).toBe(text);

    // Asked for after the cache answered: the file as it is then, which must still be what the entry was made of.
    const opened = ParseCache.open(cacheFile);
    const [edited, removed, restored] = ['runbooks/HostDown.md', 'runbooks/HostOutOfMemory.md', 'runbooks/HostClockSkew.md'].map(
      (name) => unchanged(opened, name) as Runbook,
    );
    writeFileSync(path.join(root, 'runbooks/HostDown.md'), text.replace('now blind', 'now deaf'));
    // The cached facts are the entry's, whatever the file holds now: only the text is read from it.
    expect(edited?.headings.map((h) => h.text)).toContain('Mitigation');
    expect(() => edited?.source).toThrow(SourceChanged);
    // Asked again (a check that failed on it is one finding, and the next check reads it too): the same error, never undefined.
    expect(() => edited?.source).toThrow(SourceChanged);
    rmSync(path.join(root, 'runbooks/HostOutOfMemory.md'));
    expect(() => removed?.source).toThrow(SourceChanged);
    // Touched, content the same: the hash still holds.
    const skew = path.join(root, 'runbooks/HostClockSkew.md');
    writeFileSync(skew, readFileSync(skew));
    expect(restored?.source).toBe(readFileSync(skew, 'utf8'));
  });

  it('gives a runbook and a rule file equal to the cold parse, their headings, links and positions read when first wanted', async () => {
    const cold = await run(false);
    await settledRun();
    const coldRunbook = cold.project.runbooks.find((r) => r.file === file) as Runbook;
    expect(coldRunbook.links.length).toBeGreaterThan(0);
    const runbook = unchanged(ParseCache.open(cacheFile), file) as Runbook;
    for (const key of RUNBOOK_REST) expect(lazy(runbook, key), key).toBe(true);
    expect(runbook.headings).toEqual(coldRunbook.headings);
    // One field read gives the object all of its rest, as plain properties; the text, which the
    // file holds, is read only when it is wanted.
    for (const key of RUNBOOK_REST) expect(lazy(runbook, key), key).toBe(key === 'source');
    expect(runbook.links).toEqual(coldRunbook.links);
    expect(runbook).toEqual(coldRunbook);
    // A copy made before any field was read carries the rest, as values.
    const copy = { ...(unchanged(ParseCache.open(cacheFile), file) as Runbook) };
    for (const key of RUNBOOK_REST) expect(lazy(copy, key), key).toBe(false);
    expect(copy).toEqual(coldRunbook);

    const ruleFile = 'rules/node.yaml';
    const coldRules = cold.project.ruleFiles.find((f) => f.file === ruleFile) as RuleFile;
    expect(coldRules.rules.length).toBeGreaterThan(3);
    const rules = unchanged(ParseCache.open(cacheFile), ruleFile) as RuleFile;
    const last = rules.rules.at(-1) as AlertRule;
    for (const key of RULE_REST) expect(lazy(last, key), key).toBe(true);
    expect(last.at).toEqual(coldRules.rules.at(-1)?.at);
    expect(last.exprAt).toEqual(coldRules.rules.at(-1)?.exprAt);
    // Every rule of the file has its rest once one is read.
    for (const rule of rules.rules) for (const key of RULE_REST) expect(lazy(rule, key), key).toBe(false);
    expect(rules).toEqual(coldRules);
    const rulesCopy = (unchanged(ParseCache.open(cacheFile), ruleFile) as RuleFile).rules.map((rule) => ({ ...rule }));
    expect(rulesCopy).toEqual(coldRules.rules);
  });

  it('says the cache is damaged when a rest it reads is, and drops it; a file replaced after it was opened is not damage', async () => {
    const cold = await run(false);
    await settledRun();
    const coldRunbook = cold.project.runbooks.find((r) => r.file === file) as Runbook;
    const bytes = readFileSync(cacheFile);
    const indexAt = Number(bytes.subarray(0, bytes.indexOf(10)).toString().split('\t')[2]);
    // Replaced, as a save replaces it (a new file renamed over it): what was opened is still read.
    const replaced = unchanged(ParseCache.open(cacheFile), file) as Runbook;
    writeFileSync(`${cacheFile}.other`, Buffer.alloc(bytes.length, 'x'));
    renameSync(`${cacheFile}.other`, cacheFile);
    expect(replaced.headings).toEqual(coldRunbook.headings);
    // Overwritten in place, the rests garbled after the index was read and checked.
    writeFileSync(cacheFile, bytes);
    const opened = ParseCache.open(cacheFile);
    const runbook = unchanged(opened, file) as Runbook;
    const rules = unchanged(opened, 'rules/node.yaml') as RuleFile;
    const garbled = Buffer.from(bytes);
    garbled.fill('x', bytes.indexOf(10) + 1, indexAt);
    writeFileSync(cacheFile, garbled);
    expect(() => runbook.headings).toThrow(CacheDamaged);
    expect(() => runbook.source).toThrow(CacheDamaged);
    expect(() => rules.rules[0]?.expr).toThrow(CacheDamaged);
    // A damaged cache is removed, so no later run copies the damage on.
    expect(existsSync(cacheFile)).toBe(false);
    expect(findings(await run())).toEqual(findings(cold));
    // Damaged before a run opened it (the index whole, so believed): the run says so where a check
    // read a rest, writes no cache, and the next run is right again.
    writeFileSync(cacheFile, garbled);
    expect(findings(await run())).toEqual([
      expect.stringMatching(/ internal-error .*is damaged: the cache is removed, run the command again$/),
    ]);
    expect(existsSync(cacheFile)).toBe(false);
    expect(findings(await run())).toEqual(findings(cold));
    expect(findings(await run())).toEqual(findings(cold));
  });
});
