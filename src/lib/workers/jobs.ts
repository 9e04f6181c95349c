import { parseRunbook } from '../runbooks.ts';
import { readRuleFile } from '../sources/index.ts';
import type { Parsed } from './encoding.ts';

/** One file to parse: its text is already read (and hashed) by the main thread. */
export interface ParseJob {
  kind: 'runbook' | 'rules';
  /** Repo-relative POSIX path, as it appears in every position. */
  file: string;
  text: string;
}

/** Parses one file's text; pure (the result depends only on the text and the path), never throws. */
export function parseJob(job: ParseJob): Parsed {
  return job.kind === 'runbook' ? parseRunbook(job.text, job.file) : readRuleFile(job.text, job.file);
}
