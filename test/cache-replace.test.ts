/**
 * Saving the parse cache where renaming over an open file is refused, as Windows refuses it: the
 * run still holds the cache file it read open (its entries' rests are read from it), so the new
 * file cannot simply be renamed over it.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ParseCache } from '../src/lib/perf/cache.ts';
import { contentHash } from '../src/lib/perf/cache-keys.ts';
import { send } from '../src/lib/perf/workers/encoding.ts';
import type { Runbook } from '../src/lib/project/model.ts';
import { tempDir } from './harness.ts';
import { runbookResult } from './support/parse-results.ts';

// As Windows' MoveFileEx does while any handle to the destination is open: EPERM. The cache
// holds the file it read open for the whole run, so an existing destination stands for an open one.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const renameSync = (from: string, to: string): void => {
    if (fs.existsSync(to)) throw Object.assign(new Error(`EPERM: operation not permitted, rename '${from}' -> '${to}'`), { code: 'EPERM' });
    fs.renameSync(from, to);
  };
  // And, as on Windows, a removed file that is still open keeps its name until it is closed.
  const rmSync = (target: string, options?: import('node:fs').RmOptions): void => {
    if (!target.endsWith('.old.tmp')) fs.rmSync(target, options);
  };
  return { ...fs, renameSync, rmSync, default: { ...fs, renameSync, rmSync } };
});

const temp = tempDir('runbooks-cache-replace-');
afterAll(temp.remove);

const runbook = (file: string, text: string): Runbook =>
  runbookResult(file, {
    headings: [{ depth: 2, text: 'Impact', slug: 'impact', blocks: 1, sectionEndLine: 2, line: 1, column: 1 }],
    source: text,
    lines: 2,
  });

describe('saving over the cache file the run has open', () => {
  it('replaces it, and the run still reads the rests of the file it opened', () => {
    const location = path.join(temp.dir, 'cache', 'lint-cache');
    const first = ParseCache.open(location, 'key');
    first.set('runbooks/A.md', contentHash('a\n'), send(runbook('runbooks/A.md', 'a\n')));
    expect(first.save()).toBe(true);

    const second = ParseCache.open(location, 'key');
    const a = second.get('runbooks/A.md', contentHash('a\n'), undefined, 'a\n') as Runbook;
    expect(a).toBeDefined();
    second.set('runbooks/B.md', contentHash('b\n'), send(runbook('runbooks/B.md', 'b\n')));
    expect(second.save()).toBe(true);
    // The rest of A is read from the file the run opened, which the save moved aside.
    expect(a.headings.map((h) => h.slug)).toEqual(['impact']);

    const third = ParseCache.open(location, 'key');
    expect(third.has('runbooks/A.md') && third.has('runbooks/B.md')).toBe(true);
    // Nothing is left beside the cache but its own files, and the old one until it is closed.
    expect(readdirSync(path.dirname(location)).sort()).toEqual([
      '.gitignore',
      'CACHEDIR.TAG',
      'lint-cache',
      `lint-cache.${process.pid}.0.old.tmp`,
    ]);
    expect(existsSync(location)).toBe(true);

    // Saved again from the same process, over the file it now has open: again a name of its own aside.
    third.set('runbooks/C.md', contentHash('c\n'), send(runbook('runbooks/C.md', 'c\n')));
    expect(third.save()).toBe(true);
    expect(ParseCache.open(location, 'key').has('runbooks/C.md')).toBe(true);
  });
});
