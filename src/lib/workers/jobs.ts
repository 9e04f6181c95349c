import { parseRunbook } from '../runbooks.ts';
import { readRuleFile } from '../sources/index.ts';
import { internalError } from '../diagnostic.ts';
import type { Parsed } from './encoding.ts';

/** One file to parse: its text is already read (and hashed) by the main thread. */
export interface ParseJob {
  kind: 'runbook' | 'rules';
  /** Repo-relative POSIX path, as it appears in every position. */
  file: string;
  text: string;
}

/**
 * Parses one file's text; pure (the result depends only on the text and the path), never throws:
 * a throw in a reader is this tool's bug, and becomes the one finding of that file.
 */
export function parseJob(job: ParseJob): Parsed {
  try {
    return job.kind === 'runbook' ? parseRunbook(job.text, job.file) : readRuleFile(job.text, job.file);
  } catch (error) {
    const diagnostic = internalError(job.file, job.kind === 'runbook' ? 'the runbook reader' : 'the rule file reader', error);
    return job.kind === 'runbook'
      // No lines: the checks treat it as unread, as a file that could not be opened.
      ? { file: job.file, frontmatter: undefined, headings: [], links: [], source: '', comments: [], lines: 0, diagnostics: [diagnostic] }
      : { file: job.file, rules: [], recordingRules: 0, diagnostics: [diagnostic] };
  }
}
