/**
 * The parse cache (ESLint's --cache for runbooks): a warm run reports exactly what a cold run
 * reports, sees changed files, the config and the schema, shrugs off a damaged cache file, and
 * starts afresh for another version of the tool.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ParseCache, cacheLocationFor, contentHash, toolKey } from '../src/lib/cache.ts';
import { loadConfig } from '../src/lib/config.ts';
import { lint, type LintResult } from '../src/lib/lint.ts';
import type { Runbook } from '../src/lib/model.ts';
import { REPO, TODAY, tempDir } from './harness.ts';

const temp = tempDir('runbooks-cache-');
afterAll(temp.remove);

let root = '';
let cacheFile = '';
let copies = 0;

/** A fresh copy of the bundled example, with its cache file path. */
beforeEach(() => {
  root = path.join(temp.dir, `example-${copies++}`);
  for (const part of ['rules', 'runbooks', 'schema', 'runbooks.config.yaml']) cpSync(path.join(REPO, part), path.join(root, part), { recursive: true });
  cacheFile = path.join(root, '.cache/runbooks/lint-cache');
});

async function run(withCache = true): Promise<LintResult> {
  const { config } = loadConfig(root);
  if (!config) throw new Error('the example config does not load');
  return lint(config, { today: TODAY, ...(withCache ? { cacheLocation: cacheFile } : {}) });
}

const findings = (result: LintResult): string[] => result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId} ${d.message}`);

/** The smallest parse result of a runbook that the cache accepts as one; `lines` tells them apart. */
function parsed(file: string, lines = 0): Runbook {
  return { file, frontmatter: undefined, headings: [], links: [], source: '', comments: [], lines, diagnostics: [] };
}

function edit(file: string, change: (text: string) => string): void {
  const full = path.join(root, file);
  writeFileSync(full, change(readFileSync(full, 'utf8')));
}

describe('the parse cache', () => {
  it('gives a warm run the findings and data of a cold run, and the cache answers it', async () => {
    edit('runbooks/HostDown.md', (t) => t.replace('## Impact', '## Effect').replace('last_reviewed: 2026-10-14', 'last_reviewed: 2020-01-01'));
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
    const entry = cache.get(file, contentHash(readFileSync(path.join(root, file), 'utf8')));
    expect(entry && 'headings' in entry).toBe(true);
    const lines = readFileSync(cacheFile, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${JSON.stringify(file)}\t`));
    const fields = (lines[at] as string).split('\t');
    const doctored = JSON.parse(fields[4] as string) as { headings: unknown[] };
    doctored.headings = [];
    lines[at] = [...fields.slice(0, 4), JSON.stringify(doctored)].join('\t');
    writeFileSync(cacheFile, lines.join('\n'));
    expect(findings(await run())).toEqual(findings(cold));
  });

  it('parses a changed file again', async () => {
    await run();
    edit('runbooks/HostDown.md', (t) => t.replace('## Mitigation', '## Fixes'));
    const warm = await run();
    const cold = await run(false);
    expect(findings(warm)).toEqual(findings(cold));
    expect(findings(warm).filter((f) => f.startsWith('runbooks/HostDown.md'))).toEqual(['runbooks/HostDown.md:19:1 required-sections Missing required section "## Mitigation"']);
  });

  it('runs the checks again when the config or the schema changes, though no file did', async () => {
    await run();
    writeFileSync(path.join(root, 'runbooks.config.yaml'),
      readFileSync(path.join(root, 'runbooks.config.yaml'), 'utf8').replace('requiredSections: [Meaning, Impact, Diagnosis, Mitigation]', 'requiredSections: [Meaning, Impact, Diagnosis, Mitigation, Rollback]'));
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
    const hash = contentHash(readFileSync(path.join(root, file), 'utf8'));
    expect(ParseCache.open(cacheFile).get(file, hash)).toBeDefined();
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
    write.set(file, 'h1', { json: JSON.stringify(parsed(file, 1)) }, old);
    write.set('runbooks/Fresh.md', 'h2', { json: JSON.stringify(parsed('runbooks/Fresh.md')) }, fresh);
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

  it('leaves a large cache as it is for a few changed files, and rewrites it for many', () => {
    const big = 'x'.repeat(100_000);
    const write = ParseCache.open(cacheFile);
    for (let i = 0; i < 30; i++) write.set(`r${i}.md`, 'old', { json: JSON.stringify({ ...parsed(`r${i}.md`), source: big }) });
    expect(write.save()).toBe(true);
    // 3 MB of cache: rewriting it costs about as much as parsing 5 files.
    const oneChanged = ParseCache.open(cacheFile);
    for (let i = 1; i < 30; i++) expect(oneChanged.get(`r${i}.md`, 'old')).toBeDefined();
    oneChanged.set('r0.md', 'new', { json: JSON.stringify(parsed('r0.md')) });
    expect(oneChanged.save()).toBe(false);
    expect(ParseCache.open(cacheFile).get('r0.md', 'old')).toBeDefined();
    const manyChanged = ParseCache.open(cacheFile);
    for (let i = 0; i < 30; i++) manyChanged.set(`r${i}.md`, 'new', { json: JSON.stringify(parsed(`r${i}.md`)) });
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
    const result = spawnSync(path.join(REPO, 'node_modules/.bin/node'), [path.join(REPO, 'src/cli/main.ts'), 'lint', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
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
    expect(cacheLocationFor(root, root, 'my-cache')).toBe(path.join(root, 'my-cache'));
  });
});
