/**
 * One file's parse is bounded in time, wherever it runs (the main thread or a worker): a file
 * that takes longer gets one `parse-timeout` finding at its line 1, and every other file is still
 * checked. The slow input is real, no hook: 26,000 headings (~250 KB, under the size limits and
 * small enough for a worker) take ~0.9 s to read here, against a limit set to 0.2 s.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseCache } from '../src/lib/perf/cache.ts';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { lint } from '../src/lib/engine/lint.ts';
import { ParsePool } from '../src/lib/perf/pool.ts';
import { decode } from '../src/lib/perf/workers/encoding.ts';
import type { ParseJob } from '../src/lib/perf/workers/jobs.ts';
import { DEFAULT_PARSE_TIMEOUT_MS, parseTimeoutFromEnv } from '../src/lib/perf/workers/timeout.ts';
import { configOf, REPO, runCli, TODAY, tempDir } from './harness.ts';

const temp = tempDir('runbooks-timeout-');
afterAll(temp.remove);

const LIMIT_MS = 200;
const SLOW = `---\ntitle: Slow\n---\n${Array.from({ length: 26_000 }, (_, i) => `## H${i}\n`).join('')}`;
const SLOW_FILE = 'runbooks/Slow.md';
/**
 * The CLI starts cold: its first PromQL parse of a rule file alone takes ~0.2 s here. So the CLI
 * test gives the limit room above that and a slower file (48,000 headings, ~1.7 s) above the limit.
 */
const CLI_LIMIT = '1';
const SLOWER = `---\ntitle: Slow\n---\n${Array.from({ length: 48_000 }, (_, i) => `## H${i}\n`).join('')}`;

let copies = 0;
/** A copy of the bundled example, with the slow runbook when `slow`. */
function example(slow: boolean, text = SLOW): string {
  const root = path.join(temp.dir, `example-${copies++}`);
  for (const part of ['rules', 'runbooks', 'schema', 'runbooks.config.yaml'])
    cpSync(path.join(REPO, part), path.join(root, part), { recursive: true });
  if (slow) writeFileSync(path.join(root, SLOW_FILE), text);
  return root;
}

const brief = (d: Diagnostic): string => `${d.file}:${d.line}:${d.column} ${d.ruleId} ${d.message}`;

/** The one finding of the slow file, and that the other files have the findings they have without it. */
function expectOnlySlowStopped(diagnostics: readonly Diagnostic[], without: readonly Diagnostic[], limit = '0.2'): void {
  const slow = diagnostics.filter((d) => d.file === SLOW_FILE);
  expect(slow.map(brief)).toEqual([
    `${SLOW_FILE}:1:1 parse-timeout Reading this file took longer than ${limit} s, so it was stopped and not checked; every other file was checked`,
  ]);
  expect(slow[0]?.severity).toBe('error');
  expect(slow[0]?.hint).toMatch(/Split it into smaller files.*report it.*RUNBOOKS_PARSE_TIMEOUT/);
  expect(diagnostics.filter((d) => d.file !== SLOW_FILE).map(brief)).toEqual(without.map(brief));
  expect(without.length).toBeGreaterThan(0);
}

describe('a parse that takes too long', () => {
  it('is stopped in the main thread; the other files are reported; the stop is not cached', async () => {
    const without = (await lint(configOf(example(false)), { today: TODAY, threads: 1 })).diagnostics;
    const root = example(true);
    const cacheLocation = path.join(root, '.cache/runbooks/lint-cache');
    const started = performance.now();
    const result = await lint(configOf(root), { today: TODAY, threads: 1, parseTimeoutMs: LIMIT_MS, cacheLocation });
    // At most twice the limit for the slow file (once sharing the call with others, once alone), plus the rest.
    expect(performance.now() - started).toBeLessThan(8_000);
    expectOnlySlowStopped(result.diagnostics, without);
    const cache = ParseCache.open(cacheLocation);
    expect(cache.has('runbooks/HostDown.md')).toBe(true);
    expect(cache.has(SLOW_FILE)).toBe(false);
  });

  it('is stopped when the files are parsed by the pool, whichever thread takes it', async () => {
    const without = (await lint(configOf(example(false)), { today: TODAY, threads: 1 })).diagnostics;
    // A worker's first rule file costs ~0.2 s of cold PromQL parsing, which a loaded machine stretches
    // past 0.2 s: here the limit is 1 s, and the slow file needs well above it.
    const result = await lint(configOf(example(true, SLOWER)), { today: TODAY, threads: 2, minFilesForWorkers: 0, parseTimeoutMs: 1_000 });
    expectOnlySlowStopped(result.diagnostics, without, '1');
  });

  it('is stopped in a worker: the pool stops the worker, and the batch is parsed again file by file', async () => {
    const ok = (file: string): ParseJob => ({ kind: 'runbook', file, text: '---\ntitle: T\n---\n# T\n\n## Meaning\n\nText.\n' });
    const pool = new ParsePool(2, undefined, LIMIT_MS);
    // Larger than a batch, so it goes to the worker as soon as it is submitted, before the main thread takes any.
    const slow = pool.submit({ kind: 'runbook', file: SLOW_FILE, text: SLOW });
    const others = ['a.md', 'b.md', 'c.md'].map((file) => pool.submit(ok(file)));
    expect(pool.workers).toBe(1);
    // The worker needs ~0.9 s for that file (more with its start-up); the pool stops it at 0.2 s, before finish() is even called.
    await new Promise((resolve) => setTimeout(resolve, LIMIT_MS * 3));
    expect(pool.workers).toBe(0);
    await pool.finish();
    const [parsed, ...rest] = (await Promise.all([slow, ...others])).map(decode);
    expect(parsed?.diagnostics.map(brief)).toEqual([
      `${SLOW_FILE}:1:1 parse-timeout Reading this file took longer than 0.2 s, so it was stopped and not checked; every other file was checked`,
    ]);
    expect(rest.map((p) => [p.file, p.diagnostics.length, 'headings' in p && p.headings.length])).toEqual([
      ['a.md', 0, 2],
      ['b.md', 0, 2],
      ['c.md', 0, 2],
    ]);
  });

  it('is bounded by RUNBOOKS_PARSE_TIMEOUT in the CLI, which refuses a value that is not seconds', async () => {
    const root = example(true, SLOWER);
    const run = await runCli(['lint', '--no-cache', '--format', 'json'], root, { RUNBOOKS_PARSE_TIMEOUT: CLI_LIMIT });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { fileCount: number; diagnostics: Diagnostic[] };
    expect(report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`)).toEqual([`${SLOW_FILE}:1:1 parse-timeout`]);
    // Every file was counted as checked: the example's 23 and the slow one.
    expect(report.fileCount).toBe(24);
    // The CLI refuses whatever parseTimeoutFromEnv refuses, by one path: each value in-process, one through the CLI.
    for (const value of ['0', 'abc', '-1', '1e3', ' 5']) {
      expect(parseTimeoutFromEnv({ RUNBOOKS_PARSE_TIMEOUT: value }), value).toEqual({
        error: expect.stringContaining(`RUNBOOKS_PARSE_TIMEOUT=${value}: expected a number of seconds`),
      });
    }
    const refused = await runCli(['lint', '--no-cache'], root, { RUNBOOKS_PARSE_TIMEOUT: 'abc' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('RUNBOOKS_PARSE_TIMEOUT=abc: expected a number of seconds');
  });

  it('is 10 s unless RUNBOOKS_PARSE_TIMEOUT says otherwise', () => {
    expect(DEFAULT_PARSE_TIMEOUT_MS).toBe(10_000);
    expect(parseTimeoutFromEnv({})).toEqual({ ms: 10_000 });
    expect(parseTimeoutFromEnv({ RUNBOOKS_PARSE_TIMEOUT: '2.5' })).toEqual({ ms: 2_500 });
  });

  it('never stops the loading of a parser: a limit that runs out while micromark would load leaves later files readable', () => {
    // In a fresh process, where micromark is not loaded yet: a footnote sends the file to it.
    // A module whose load was stopped stays broken for the process, so every later file would be an internal error.
    const script = path.join(temp.dir, 'first-load.mjs');
    const jobs = JSON.stringify(path.join(REPO, 'src/lib/perf/workers/jobs.ts'));
    writeFileSync(
      script,
      `const { parseBatch } = await import(${jobs});
// The fast reader warmed up first, so that the limit runs out in micromark's load, which takes longer than 5 ms.
for (let i = 0; i < 20; i++) parseBatch([{ kind: 'runbook', file: 'plain.md', text: '# T\\n\\nText.\\n' }], 10000);
const text = '---\\ntitle: T\\n---\\n# T\\n\\nSee [^1].\\n\\n[^1]: a note\\n';
parseBatch([{ kind: 'runbook', file: 'a.md', text }], 5);
const [later] = parseBatch([{ kind: 'runbook', file: 'b.md', text }], 10000);
process.stdout.write(JSON.stringify({ diagnostics: later.diagnostics.map((d) => d.ruleId), footnotes: later.footnotes.length }));
`,
    );
    const run = spawnSync(path.join(REPO, 'node_modules/.bin/node'), [script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ diagnostics: [], footnotes: 2 });
  });
});
