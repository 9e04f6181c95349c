/**
 * Preloaded into the linted child (`node --import ./bench/rss.js`): on exit, writes the process's
 * peak resident set size in bytes (worker threads included, they share the process) to the file
 * named by BENCH_RSS_FILE. Plain JavaScript, so that measuring does not load Node's type stripper
 * into a run that would otherwise take every module from the compile cache.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const target = process.env.BENCH_RSS_FILE;
// Workers inherit the preload; only the main thread's exit is the end of the run.
if (target && isMainThread) {
  // resourceUsage().maxRSS is in kilobytes.
  process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS * 1024)));
}
