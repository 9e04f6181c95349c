/**
 * The worker's work: parses batches of files sent by the pool (src/lib/perf/pool.ts) and answers with
 * each file's encoded result, in order. Holds no state between batches. Loaded by parse.js.
 */
import { parentPort } from 'node:worker_threads';
import { send, type Sent } from './encoding.ts';
import { parseJob, type ParseJob } from './jobs.ts';

/** A batch from the pool. */
export interface BatchRequest {
  id: number;
  jobs: ParseJob[];
}

/** The answer to one batch: results in job order, or why the batch failed (a bug, not bad input). */
export type BatchResponse = { id: number; results: Sent[]; error?: undefined } | { id: number; results?: undefined; error: string };

parentPort?.on('message', (request: BatchRequest) => {
  let response: BatchResponse;
  try {
    response = { id: request.id, results: request.jobs.map((job) => send(parseJob(job), job.text)) };
  } catch (error) {
    response = { id: request.id, error: (error as Error).stack ?? String(error) };
  }
  parentPort?.postMessage(response);
});
