/**
 * Worker thread entry point of the parse pool. When the main thread uses Node's compile cache
 * (the CLI turns it on), the worker uses it too before loading the parsers, which saves it
 * ~0.1 s of compiling; hence the dynamic import.
 */
import module from 'node:module';
import { workerData } from 'node:worker_threads';

/** What the pool passes to each worker. */
export interface ParseWorkerData {
  /** The main thread's compile cache folder, when it has one. */
  compileCacheDir?: string;
}

const { compileCacheDir } = (workerData ?? {}) as ParseWorkerData;
if (compileCacheDir) module.enableCompileCache?.(compileCacheDir);
await import('./batches.ts');
