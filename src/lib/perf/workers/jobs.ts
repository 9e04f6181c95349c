import { Script } from 'node:vm';
import {
  ExactReaderNotLoaded,
  allowExactReaderLoading,
  loadExactReader,
  parseRunbook,
  unreadableRunbook,
} from '../../markdown/runbook-reader.ts';
import { readRuleFile } from '../../sources/index.ts';
import { internalError, type Diagnostic } from '../../engine/diagnostic.ts';
import { DEFAULT_PARSE_TIMEOUT_MS, parseTimeout } from './timeout.ts';
import type { Parsed } from './encoding.ts';

/** One file to parse: its text is already read (and hashed) by the main thread. */
export interface ParseJob {
  kind: 'runbook' | 'rules';
  /** Repo-relative POSIX path, as it appears in every position. */
  file: string;
  text: string;
}

/** The result of a file that could not be read: no lines, so the checks treat it as unread, as a file that could not be opened. */
function unread(job: ParseJob, diagnostic: Diagnostic): Parsed {
  return job.kind === 'runbook'
    ? unreadableRunbook(job.file, diagnostic)
    : { file: job.file, rules: [], recordingRules: 0, diagnostics: [diagnostic] };
}

/**
 * Parses one file's text; pure (the result depends only on the text and the path), never throws:
 * a throw in a reader is this tool's bug, and becomes the one finding of that file.
 */
export function parseJob(job: ParseJob): Parsed {
  try {
    return job.kind === 'runbook' ? parseRunbook(job.text, job.file, { fast: true }) : readRuleFile(job.text, job.file, { fast: true });
  } catch (error) {
    // Not a failure of this file: parseBatch loads the reader and parses the file again.
    if (error instanceof ExactReaderNotLoaded) throw error;
    return unread(job, internalError(job.file, job.kind === 'runbook' ? 'the runbook reader' : 'the rule file reader', error));
  }
}

/*
 * The main thread's bound (the pool stops a worker instead): nothing in a thread can stop its own
 * synchronous parse, but a vm script's timeout can. It costs a thread per call, so a whole batch is
 * one call and only a stopped batch is parsed again file by file (ARCHITECTURE.md, "Reading fast").
 */
const RUN = Symbol.for('runbooks.boundedParse');
const SCRIPT = new Script(`globalThis[Symbol.for('runbooks.boundedParse')]()`, { filename: 'runbooks-bounded-parse' });

/**
 * Parses `jobs` in order, results in job order, each file's parse stopped after `timeoutMs`: a
 * file stopped that long is one `parse-timeout` finding, and the files after it are still parsed.
 */
export function parseBatch(jobs: readonly ParseJob[], timeoutMs: number = DEFAULT_PARSE_TIMEOUT_MS): Parsed[] {
  const results: Parsed[] = new Array(jobs.length);
  let next = 0;
  const global = globalThis as unknown as Record<symbol, () => void>;
  while (next < jobs.length) {
    const first = next;
    global[RUN] = () => {
      for (; next < jobs.length; next++) results[next] = parseJob(jobs[next] as ParseJob);
    };
    allowExactReaderLoading(false);
    try {
      SCRIPT.runInThisContext({ timeout: Math.max(1, Math.round(timeoutMs)) });
    } catch (error) {
      // Loading a library is not reading the file: it happens outside the limit, then the file starts again.
      if (error instanceof ExactReaderNotLoaded) {
        allowExactReaderLoading(true);
        loadExactReader();
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
      // Stopped while parsing jobs[next]. When files before it shared the call, it had less than
      // the whole time: it starts again, first of a call of its own, so a file is given up on only
      // after it alone ran out of time.
      if (next === first) {
        const job = jobs[next] as ParseJob;
        results[next++] = unread(job, parseTimeout(job.file, timeoutMs));
      }
    } finally {
      allowExactReaderLoading(true);
      delete global[RUN];
    }
  }
  return results;
}
