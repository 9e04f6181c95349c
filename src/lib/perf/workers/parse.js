/**
 * Worker thread entry point of the parse pool. When the main thread uses Node's compile cache
 * (the CLI turns it on), the worker uses it too before loading the parsers, to spare it
 * compiling them again; hence the dynamic import. Plain JavaScript, as src/cli/bin.js and for the
 * same reason: as TypeScript it would load the type stripper before the cache is on.
 * workerData: ParseWorkerData (pool.ts).
 */
import module from 'node:module';
import { workerData } from 'node:worker_threads';

const compileCacheDir = workerData?.compileCacheDir;
if (compileCacheDir) module.enableCompileCache?.(compileCacheDir);
await import('./batches.ts');
