import type { ParseArgsConfig } from 'node:util';

/** Exit codes, as ESLint's: 0 clean, 1 problems found, 2 usage or configuration error. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** The parsed flags of one command. */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** One CLI command: its flags, its help text and what it runs. */
export interface Command {
  name: string;
  summary: string;
  /** Usage lines after `runbooks <name>`, e.g. `[options]`. */
  usage: string;
  /** Help for each flag, already formatted, one per line. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Values, positionals: string[], context: { cwd: string; toolVersion: string }): Promise<number>;
}
