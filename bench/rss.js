/**
 * Preloaded into each measured child (`node --import ./bench/rss.js`): on exit, writes the
 * process's peak resident set size in bytes and its user and system CPU time in seconds (worker
 * threads included: they share the process) as JSON to the file named by BENCH_RSS_FILE. Plain
 * JavaScript, so that measuring does not load Node's type stripper into a run that would otherwise
 * take every module from the compile cache.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const target = process.env.BENCH_RSS_FILE;
// Workers inherit the preload; only the main thread's exit is the end of the run.
if (target && isMainThread) {
  process.on('exit', () => {
    // maxRSS is in kilobytes, the CPU times in microseconds.
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ bytes: usage.maxRSS * 1024, user: usage.userCPUTime / 1e6, system: usage.systemCPUTime / 1e6 }));
  });
}
