/**
 * A cache file whose close fails (NFS reports a write that failed, over quota or out of space,
 * only when the file is closed): the save is skipped as any write that fails is, never an error
 * of the run, and nothing is left behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ParseCache } from '../src/lib/perf/cache.ts';
import { contentHash } from '../src/lib/perf/cache-keys.ts';
import { send } from '../src/lib/perf/workers/encoding.ts';
import type { Runbook } from '../src/lib/project/model.ts';
import { tempDir } from './harness.ts';
import { runbookResult } from './support/parse-results.ts';

const failing = vi.hoisted(() => ({ on: false, fds: new Map<number, string>() }));

// closeSync of a temporary file fails with EIO while `failing.on`, after closing it, as close(2) does.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = (file: string, ...rest: unknown[]): number => {
    const fd = (fs.openSync as (...args: unknown[]) => number)(file, ...rest);
    failing.fds.set(fd, String(file));
    return fd;
  };
  const closeSync = (fd: number): void => {
    fs.closeSync(fd);
    const file = failing.fds.get(fd);
    failing.fds.delete(fd);
    if (failing.on && file?.endsWith('.tmp')) throw Object.assign(new Error('EIO: i/o error, close'), { code: 'EIO' });
  };
  return { ...fs, openSync, closeSync, default: { ...fs, openSync, closeSync } };
});

const temp = tempDir('runbooks-cache-close-');
afterAll(temp.remove);

const runbook = (file: string, text: string): Runbook => runbookResult(file, { source: text, lines: 2 });

describe('a cache file whose close fails', () => {
  it('is not saved, the run goes on, and the old cache file stays as it was', () => {
    const location = path.join(temp.dir, 'cache', 'lint-cache');
    const first = ParseCache.open(location, 'key');
    first.set('runbooks/A.md', contentHash('a\n'), send(runbook('runbooks/A.md', 'a\n')));
    expect(first.save()).toBe(true);
    const before = readFileSync(location);

    const second = ParseCache.open(location, 'key');
    second.set('runbooks/B.md', contentHash('b\n'), send(runbook('runbooks/B.md', 'b\n')));
    failing.on = true;
    try {
      expect(second.save()).toBe(false);
    } finally {
      failing.on = false;
    }
    expect(readFileSync(location).equals(before)).toBe(true);
    expect(readdirSync(path.dirname(location)).sort()).toEqual(['.gitignore', 'CACHEDIR.TAG', 'lint-cache']);
  });
});
