/**
 * Reading and parsing in worker threads gives exactly what parsing in the main thread gives: on
 * the bundled example, on the prometheus-operator runbooks, and on files that cannot be parsed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadProject } from '../src/lib/project/load-project.ts';
import { ParsePool } from '../src/lib/perf/pool.ts';
import { decode } from '../src/lib/perf/workers/encoding.ts';
import { parseBatch, type ParseJob } from '../src/lib/perf/workers/jobs.ts';
import { configOf, REPO, runbookText, tempDir } from './harness.ts';
import { CORPUS } from './support/shared.ts';

const CORPUS_RUNBOOKS = path.join(CORPUS, 'prometheus-operator-runbooks/content/runbooks');
const temp = tempDir('runbooks-load-');
afterAll(temp.remove);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

function jobsIn(root: string, dirs: { dir: string; kind: ParseJob['kind']; ext: RegExp }[]): ParseJob[] {
  return dirs.flatMap(({ dir, kind, ext }) =>
    walk(path.join(root, dir))
      .filter((file) => ext.test(file))
      .sort()
      .map((file) => ({ kind, file: path.relative(root, file).split(path.sep).join('/'), text: readFileSync(file, 'utf8') })),
  );
}

/** The jobs parsed in the main thread alone, decoded. */
function inThread(jobs: readonly ParseJob[]) {
  return parseBatch(jobs).map((data) => decode({ data }));
}

/** The jobs parsed by a pool of the main thread and one worker, as they come back from it. */
async function pooled(jobs: readonly ParseJob[]) {
  const pool = new ParsePool(2);
  const results = jobs.map((job) => pool.submit(job));
  await pool.finish();
  return Promise.all(results);
}

/** Parses the jobs with one worker and in the main thread alone, and checks both agree and the worker took part. */
async function expectSameFromWorkers(jobs: ParseJob[]): Promise<void> {
  const fromPool = await pooled(jobs);
  // JSON text comes only from a worker: at least some files must have been parsed there.
  expect(fromPool.filter((e) => e.core !== undefined).length).toBeGreaterThan(0);
  expect(fromPool.map((sent, i) => decode(sent, jobs[i]?.text))).toEqual(inThread(jobs));
}

describe('the parse pool', () => {
  it('gives the same runbooks and rule files as the main thread, on the bundled example', async () => {
    const jobs = jobsIn(REPO, [
      { dir: 'rules', kind: 'rules', ext: /\.ya?ml$/ },
      { dir: 'runbooks', kind: 'runbook', ext: /\.md$/ },
    ]);
    expect(jobs.length).toBeGreaterThan(20);
    await expectSameFromWorkers(jobs);
  });

  it.runIf(CORPUS)('gives the same runbooks as the main thread, on the prometheus-operator runbooks', async () => {
    const jobs = jobsIn(path.dirname(CORPUS_RUNBOOKS), [{ dir: 'runbooks', kind: 'runbook', ext: /\.md$/ }]);
    expect(jobs.length).toBeGreaterThan(100);
    await expectSameFromWorkers(jobs);
  });

  it('keeps values JSON cannot carry (YAML .nan, .inf) intact across threads', async () => {
    const text = '---\nalert: A\nweights: [.nan, .inf, -.inf]\n---\n\n# A\n';
    const [encoded] = await pooled(Array.from({ length: 4 }, (_, i) => ({ kind: 'runbook' as const, file: `r${i}.md`, text })));
    const data = encoded && decode(encoded, text);
    expect(data && 'frontmatter' in data ? data.frontmatter?.data : undefined).toEqual({
      alert: 'A',
      weights: [Number.NaN, Infinity, -Infinity],
    });
  });

  it('parses in the main thread what a failed worker cannot', async () => {
    const pool = new ParsePool(2, new URL('./no-such-worker.ts', import.meta.url));
    const jobs = Array.from({ length: 30 }, (_, i) => ({ kind: 'runbook' as const, file: `r${i}.md`, text: runbookText(`A${i}`) }));
    const results = jobs.map((job) => pool.submit(job));
    await pool.finish();
    const parsed = await Promise.all(results);
    expect(parsed.every((e) => e.data !== undefined)).toBe(true);
    expect(parsed.map((sent) => decode(sent))).toEqual(inThread(jobs));
  });

  it('does not keep the process alive while its workers have no work', () => {
    const script = path.join(temp.dir, 'idle-pool.mjs');
    writeFileSync(
      script,
      `const { ParsePool } = await import(${JSON.stringify(path.join(REPO, 'src/lib/perf/pool.ts'))});\nnew ParsePool(2);\n`,
    );
    const run = spawnSync(path.join(REPO, 'node_modules/.bin/node'), [script], { timeout: 10_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
  });
});

/** A project of 30 runbooks linted once into its cache; `change` rewrites one runbook's first section heading. */
async function cachedProject(name: string) {
  const root = path.join(temp.dir, name);
  mkdirSync(path.join(root, 'runbooks'), { recursive: true });
  writeFileSync(path.join(root, 'runbooks.config.yaml'), 'runbooks: [runbooks/*.md]\n');
  for (let i = 0; i < 30; i++) writeFileSync(path.join(root, `runbooks/Alert${i}.md`), runbookText(`Alert${i}`));
  const config = configOf(root);
  const cacheLocation = path.join(root, '.cache/runbooks/lint-cache');
  await loadProject(config, { threads: 1, cacheLocation });
  const change = (alert: string, heading = 'What it means'): void =>
    writeFileSync(path.join(root, `runbooks/${alert}.md`), runbookText(alert).replace('Meaning', heading));
  return { config, cacheLocation, change };
}

describe('loadProject', () => {
  it('builds the same project with workers as without, unreadable files included', async () => {
    const root = path.join(temp.dir, 'mixed');
    mkdirSync(path.join(root, 'rules'), { recursive: true });
    mkdirSync(path.join(root, 'runbooks/folder.md'), { recursive: true });
    writeFileSync(path.join(root, 'runbooks.config.yaml'), 'rules: [rules/*.yaml]\nrunbooks: [runbooks/**/*.md]\n');
    const rules = Array.from(
      { length: 40 },
      (_, i) => `      - alert: Alert${i}\n        expr: vector(1)\n        labels: {severity: critical}`,
    );
    writeFileSync(path.join(root, 'rules/a.yaml'), `groups:\n  - name: g\n    rules:\n${rules.join('\n')}\n`);
    writeFileSync(path.join(root, 'rules/bad.yaml'), 'groups:\n  - name: [unclosed\n');
    for (let i = 0; i < 40; i++) writeFileSync(path.join(root, `runbooks/Alert${i}.md`), runbookText(`Alert${i}`));
    writeFileSync(path.join(root, 'runbooks/binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    writeFileSync(path.join(root, 'runbooks/crlf.md'), runbookText('Alert0').replaceAll('\n', '\r\n'));
    const config = configOf(root);
    const single = await loadProject(config, { threads: 1 });
    const pooled = await loadProject(config, { threads: 2, minFilesForWorkers: 0 });
    expect(pooled.runbooks).toEqual(single.runbooks);
    expect(pooled.ruleFiles).toEqual(single.ruleFiles);
    expect(pooled.inputDiagnostics).toEqual(single.inputDiagnostics);
    const ids = single.inputDiagnostics.map((d) => `${d.file} ${d.ruleId}`);
    expect(ids).toEqual(
      expect.arrayContaining(['runbooks/binary.md parse-error', 'runbooks/folder.md io-error', 'rules/bad.yaml parse-error']),
    );
  });

  it('sends a changed file met among cached ones to a worker, and gives the same project', async () => {
    const { config, cacheLocation, change } = await cachedProject('warm');
    change('Alert10');
    // The load says what it did when RUNBOOKS_TIMING is set: the run's own account, not a stand-in.
    const said: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => said.push(String(chunk)) > 0);
    vi.stubEnv('RUNBOOKS_TIMING', '1');
    let warm;
    try {
      warm = await loadProject(config, { threads: 2, cacheLocation, minFilesToHideAWorker: 10 });
    } finally {
      vi.unstubAllEnvs();
      write.mockRestore();
    }
    expect(said.join('')).toContain('(29 from the cache, 1 parsed in workers, 0 in the main thread)');
    const fresh = await loadProject(config, { threads: 1 });
    expect(warm.runbooks).toEqual(fresh.runbooks);
  });
});

describe('a worker started among cached files', () => {
  it('also parses the changed files met before the first cached one', async () => {
    const { config, cacheLocation, change } = await cachedProject('warm-early-misses');
    // Alert0 and Alert1 come before any cached file; Alert2 starts the worker; Alert25 is too large for a worker.
    change('Alert0');
    change('Alert1');
    change('Alert2');
    change('Alert25', `What it means\n\n${'Words to read. '.repeat(20_000)}`);
    const warm = await loadProject(config, { threads: 2, cacheLocation, minFilesForWorkers: 2, minFilesToHideAWorker: 10 });
    const fresh = await loadProject(config, { threads: 1 });
    expect(warm.runbooks).toEqual(fresh.runbooks);
  }, 20_000);
});
