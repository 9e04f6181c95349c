import { PARSE_TIMEOUT, type Diagnostic } from '../../engine/diagnostic.ts';

/*
 * The parse time limit (see parseBatch in jobs.ts), apart from the parsers so that the pool and
 * the CLI can read it without loading them.
 */

/** How long one file's parse may take by default, in ms: 100 to 1,000 times what a real file takes. */
export const DEFAULT_PARSE_TIMEOUT_MS = 10_000;

/**
 * The parse time limit from RUNBOOKS_PARSE_TIMEOUT (seconds, decimals allowed; unset or empty: the
 * default), or why the value is not one.
 */
export function parseTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): { ms: number } | { error: string } {
  const value = env.RUNBOOKS_PARSE_TIMEOUT;
  if (value === undefined || value === '') return { ms: DEFAULT_PARSE_TIMEOUT_MS };
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 0.001 && seconds <= 3600))
    return { error: `RUNBOOKS_PARSE_TIMEOUT=${value}: expected a number of seconds from 0.001 to 3600, e.g. 30` };
  return { ms: seconds * 1000 };
}

/** The finding of a file whose parse was stopped after `timeoutMs`. */
export function parseTimeout(file: string, timeoutMs: number): Diagnostic {
  const limit = `${Number((timeoutMs / 1000).toFixed(3))} s`;
  return {
    file,
    line: 1,
    column: 1,
    ruleId: PARSE_TIMEOUT,
    severity: 'error',
    message: `Reading this file took longer than ${limit}, so it was stopped and not checked; every other file was checked`,
    hint: `Split it into smaller files. If it is not unusually large, please report it on the issue tracker of runbooks with the file (a slow reader is a bug). RUNBOOKS_PARSE_TIMEOUT=<seconds> raises the limit of ${limit}.`,
  };
}
