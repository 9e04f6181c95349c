#!/usr/bin/env -S node --max-semi-space-size=16
/**
 * The `runbooks` command's entry point. It turns on Node's compile cache before loading anything
 * else: compiling this tool's TypeScript (type stripping) and its dependencies is ~0.2 s of CPU on
 * every run, 40% of linting a small project, and the cache (in the OS temp folder, keyed by each
 * file's content) makes it a one-time cost. Static imports would be compiled before this line
 * ran, hence the dynamic import. This one file is plain JavaScript: as TypeScript, it would load
 * Node's type stripper (~40 ms) before the cache is on, only to strip itself.
 *
 * --max-semi-space-size=16 (here and in package.json's scripts): parsing makes short-lived trees,
 * and V8's default young generation lets ~250 MB more garbage pile up before it collects; at
 * 10,000 runbooks the peak went from ~650 MB to ~405 MB at the same speed. It must be given at
 * start: set from inside the process it reaches only part of the heap.
 */
import module from 'node:module';

// Absent before Node 22.1; the tool still runs, only slower to start.
module.enableCompileCache?.();
await import('./main.ts');
