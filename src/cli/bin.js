#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=50 --no-turbofan
/**
 * The `runbooks` command's entry point. It turns on Node's compile cache before loading anything
 * else: compiling this tool's TypeScript (type stripping) and its dependencies is ~0.2 s of CPU on
 * every run, 40% of linting a small project, and the cache (in the OS temp folder, keyed by each
 * file's content) makes it a one-time cost. Static imports would be compiled before this line
 * ran, hence the dynamic import. This one file is plain JavaScript: as TypeScript, it would load
 * Node's type stripper (~40 ms) before the cache is on, only to strip itself.
 *
 * The V8 flags (here and in package.json's scripts) bound the garbage parsing leaves behind: its
 * short-lived trees filled V8's default young generation, and the old one grew to several times
 * the ~135 MB that 10,000 runbooks keep live. Measured at 10,000 runbooks: peak memory 650 MB
 * without them, 400-560 MB with the smaller young generation, 320-360 MB with the slower heap
 * growth too, for ~5 % more time. `--no-turbofan` leaves V8's top compiler out: a lint run lasts
 * seconds, and TurboFan compiling the parsers' hundreds of small functions, again in each thread,
 * cost more than its faster code gave back. Measured on the 2-core machine: 1,000 runbooks cold
 * ~2.07 -> ~1.88 s (CPU 3.7 -> 3.4 s); the bundled example, 10,000 cold (12.5 s) and 10,000 warm
 * the same within noise. Maglev still optimizes hot code. The flags must be given at start: set
 * from inside the process they reach only part of the heap.
 */
import module from 'node:module';

// Astro 7's floor. Checked before anything else loads, in syntax every Node since 14 parses, so an
// older Node gets one line instead of a stack trace from deep inside a dependency.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`runbooks needs Node.js 22.12 or newer (24 recommended); this is Node.js ${process.versions.node}.\n`);
  process.exit(2);
}
module.enableCompileCache?.();
await import('./main.ts');
