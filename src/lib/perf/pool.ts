import module from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Encoded, Parsed } from './workers/encoding.ts';
import type { ParseJob } from './workers/jobs.ts';
import { DEFAULT_PARSE_TIMEOUT_MS } from './workers/timeout.ts';
import type { BatchRequest, BatchResponse } from './workers/batches.ts';

/** A batch holds about this much text: a few runbooks, short enough to parse that no thread idles long. */
const BATCH_BYTES = 24 * 1024;
/** Batches a worker holds at once: one to parse, one queued, so it never waits for the main thread. */
const IN_FLIGHT_PER_WORKER = 2;
/**
 * A worker's heap is capped: it holds one batch's syntax trees at a time (a few MB), yet V8 lets
 * an uncapped heap fill with garbage, a large share of the peak memory of a large project.
 */
const WORKER_HEAP_MB = 96;
/**
 * Files larger than this (a generated rule file, a giant runbook) are parsed in the main thread,
 * whose heap is not capped: a 1 MB runbook needs more than WORKER_HEAP_MB; 256 KB fits.
 */
const WORKER_MAX_JOB_CHARS = 256 * 1024;

const WORKER_URL = new URL('./workers/parse.js', import.meta.url);

/** What the pool passes to each worker (read by workers/parse.js). */
interface ParseWorkerData {
  /** The main thread's compile cache folder, when it has one. */
  compileCacheDir?: string;
}

/** How many threads parse, counting the main thread: every core the machine offers this process. */
function defaultThreads(): number {
  return availableParallelism();
}

interface Pending {
  job: ParseJob;
  resolve: (result: Encoded) => void;
}

interface WorkerSlot {
  worker: Worker;
  inFlight: Map<number, Pending[]>;
  alive: boolean;
  /** Fires when the worker has spent the parse time limit on its current batch (see #watch). */
  watchdog?: NodeJS.Timeout;
}

/**
 * Parses files on several threads: `threads - 1` workers plus the main thread, which parses
 * batches itself while it waits. Jobs can be submitted while earlier ones are parsed, so reading
 * files overlaps parsing them. A worker that fails (it cannot start, or dies) hands its batches
 * back to the main thread; results never depend on which thread parsed a file.
 */
export class ParsePool {
  readonly #slots: WorkerSlot[] = [];
  #queue: Pending[] = [];
  /** Jobs too large for a worker's heap, and jobs of a batch a worker was stopped on, parsed one by one. */
  readonly #mainOnly: Pending[] = [];
  #queuedBytes = 0;
  #flushing = false;
  /** Every job goes to a worker as soon as one has room, not in full batches (see sendAtOnce). */
  #atOnce = false;
  #nextBatch = 0;
  /** Wakes `finish` when a worker answers. */
  #wake: (() => void) | undefined;

  /** How long one file's parse may take, in ms, in a worker or in the main thread. */
  readonly #timeoutMs: number;

  /** Starts `threads - 1` workers (none for one thread); `workerUrl` replaces the worker script, for tests. */
  constructor(threads: number = defaultThreads(), workerUrl: URL = WORKER_URL, timeoutMs: number = DEFAULT_PARSE_TIMEOUT_MS) {
    this.#timeoutMs = timeoutMs;
    for (let i = 0; i < Math.max(0, threads - 1); i++) this.#startWorker(workerUrl);
  }

  /** Number of workers still alive. */
  get workers(): number {
    return this.#slots.filter((s) => s.alive).length;
  }

  #startWorker(url: URL): void {
    let worker: Worker;
    try {
      const workerData: ParseWorkerData = { compileCacheDir: module.getCompileCacheDir?.() };
      worker = new Worker(url, { workerData, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    } catch {
      return; // No workers here (a restricted runtime): the main thread parses everything.
    }
    const slot: WorkerSlot = { worker, inFlight: new Map(), alive: true };
    worker.on('message', (response: BatchResponse) => {
      const batch = slot.inFlight.get(response.id);
      if (!batch) return;
      slot.inFlight.delete(response.id);
      this.#watch(slot);
      if (response.results) batch.forEach((pending, i) => pending.resolve(response.results[i] as Encoded));
      else this.#requeue(batch);
      this.#dispatch();
      this.#wake?.();
    });
    const fail = (): void => {
      if (!slot.alive) return;
      slot.alive = false;
      clearTimeout(slot.watchdog);
      for (const batch of slot.inFlight.values()) this.#requeue(batch);
      slot.inFlight.clear();
      this.#wake?.();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    // Until it has work, an idle worker must not keep the process alive. After the listeners:
    // adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.#slots.push(slot);
  }

  /**
   * Arms the slot's watchdog for the batch the worker now parses: unanswered within the parse
   * time limit, the worker is stopped and that batch is parsed in the main thread file by file
   * (jobs.ts's parseBatch), so only the slow file gets parse-timeout. A timer costs nothing per batch.
   */
  #watch(slot: WorkerSlot): void {
    clearTimeout(slot.watchdog);
    slot.watchdog = undefined;
    const current = slot.inFlight.entries().next().value;
    if (!slot.alive || !current) return;
    const [id, batch] = current;
    slot.watchdog = setTimeout(() => {
      if (!slot.alive || !slot.inFlight.has(id)) return;
      slot.alive = false;
      slot.inFlight.delete(id);
      this.#mainOnly.push(...batch);
      for (const other of slot.inFlight.values()) this.#requeue(other);
      slot.inFlight.clear();
      void slot.worker.terminate();
      this.#wake?.();
    }, this.#timeoutMs);
    // The worker, referenced while it has work, keeps the process alive; this timer need not.
    slot.watchdog.unref();
  }

  /** Puts a failed batch back at the front of the queue, for the main thread. */
  #requeue(batch: Pending[]): void {
    this.#queue = [...batch, ...this.#queue];
    this.#queuedBytes += batch.reduce((sum, p) => sum + p.job.text.length, 0);
  }

  #takeBatch(limit = BATCH_BYTES): Pending[] {
    let bytes = 0;
    let count = 0;
    while (count < this.#queue.length && (count === 0 || bytes < limit)) bytes += (this.#queue[count++] as Pending).job.text.length;
    this.#queuedBytes -= bytes;
    return this.#queue.splice(0, count);
  }

  /** Sends full batches (any batch once input has ended) to workers with room for one. */
  #dispatch(): void {
    for (const slot of this.#slots) {
      while (
        slot.alive &&
        slot.inFlight.size < IN_FLIGHT_PER_WORKER &&
        this.#queue.length > 0 &&
        (this.#flushing || this.#atOnce || this.#queuedBytes >= BATCH_BYTES)
      ) {
        const batch = this.#takeBatch();
        const id = this.#nextBatch++;
        slot.inFlight.set(id, batch);
        if (slot.inFlight.size === 1) {
          slot.worker.ref();
          this.#watch(slot);
        }
        const request: BatchRequest = { id, jobs: batch.map((p) => p.job) };
        slot.worker.postMessage(request);
      }
      if (slot.alive && slot.inFlight.size === 0) slot.worker.unref();
    }
  }

  /**
   * From now on, sends each job to a worker as soon as one has room instead of waiting for a full
   * batch: for a few files to parse while the main thread is busy with other work.
   */
  sendAtOnce(): void {
    this.#atOnce = true;
    this.#dispatch();
  }

  /** Queues one file; the promise gives its encoded result (JSON from a worker, data from the main thread). */
  submit(job: ParseJob): Promise<Encoded> {
    return new Promise((resolve) => {
      if (job.text.length > WORKER_MAX_JOB_CHARS && this.workers > 0) {
        this.#mainOnly.push({ job, resolve });
        return;
      }
      this.#queue.push({ job, resolve });
      this.#queuedBytes += job.text.length;
      this.#dispatch();
    });
  }

  /**
   * Ends input and parses what is left, the main thread taking batches while the workers do the
   * same; resolves when every submitted job has its result, then stops the workers.
   */
  async finish(): Promise<void> {
    this.#flushing = true;
    this.#dispatch();
    let parseBatch: typeof import('./workers/jobs.ts').parseBatch | undefined;
    for (;;) {
      if (this.#queue.length > 0 || this.#mainOnly.length > 0) {
        // The parsers load here, and only when this thread parses: starting the workers need not
        // wait for them, and a thread whose workers took every job never loads them.
        parseBatch ??= (await import('./workers/jobs.ts')).parseBatch;
        // Smaller batches on the main thread: it must get back to feeding the workers quickly.
        const batch = this.#mainOnly.length > 0 ? this.#mainOnly.splice(0, 1) : this.#takeBatch(BATCH_BYTES / 2);
        const parsed = parseBatch(
          batch.map((p) => p.job),
          this.#timeoutMs,
        );
        batch.forEach((pending, i) => pending.resolve({ data: parsed[i] as Parsed }));
        this.#dispatch();
        // Let worker answers in, so they get their next batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      const busy = this.#slots.some((s) => s.alive && s.inFlight.size > 0);
      if (!busy) break;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
    await this.close();
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    const slots = this.#slots.splice(0);
    for (const slot of slots) {
      slot.alive = false;
      clearTimeout(slot.watchdog);
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
