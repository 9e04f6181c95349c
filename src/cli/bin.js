#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=50 --initial-old-space-size=64 --no-turbofan --no-concurrent-recompilation
/**
 * The `runbooks` command's entry point: it turns on Node's compile cache before anything else is
 * loaded (static imports would be compiled before this line ran, hence the dynamic import), and
 * is plain JavaScript so that Node's type stripper is not loaded before the cache is on. The V8
 * flags (here and in package.json's scripts) bound the memory parsing leaves behind, let the old
 * generation reach 64 MB before its first collection (a large run's live data passes that anyway),
 * leave out TurboFan, which costs more than it gives back in a run of seconds, and compile in each
 * thread itself rather than in background threads; they must be given at start.
 * ARCHITECTURE.md ("Start-up and memory") says why each is there.
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
