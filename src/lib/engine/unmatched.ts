/**
 * No silent passes: a `rules` or `runbooks` pattern that finds no file is a configuration error,
 * as ESLint's "No files matching the pattern", so a typo or a run in the wrong folder cannot
 * report "0 files checked, no problems".
 */
import { CONFIG_ERROR, CONFIG_FILE, type Config } from '../config/config.ts';
import type { Diagnostic } from './diagnostic.ts';
import type { UnmatchedPattern } from '../project/build-project.ts';

/** One config-error per pattern that found nothing, at the pattern's line of the config file. */
export function unmatchedPatternProblems(config: Config, unmatched: readonly UnmatchedPattern[]): Diagnostic[] {
  return unmatched.map(({ key, index, pattern, allExcluded }) => {
    const at = config.keyPositions?.[`/${key}/${index}`] ?? config.keyPositions?.[`/${key}`] ?? { line: 1, column: 1 };
    const what = key === 'rules' ? 'rule files' : 'runbooks';
    return {
      file: config.configShown ?? CONFIG_FILE,
      line: at.line,
      column: at.column,
      ruleId: CONFIG_ERROR,
      severity: 'error' as const,
      message: allExcluded
        ? `All files matched by the ${key} pattern "${pattern}" in ${config.root} are excluded by its "!" patterns`
        : `No files matching the ${key} pattern "${pattern}" in ${config.root}`,
      hint: allExcluded
        ? `Narrow the "!" patterns of \`${key}\`, or remove "${pattern}".`
        : `Patterns are relative to the folder of the config file. Fix the pattern so it finds your ${what}, or remove it${key === 'runbooks' ? ' (`runbooks new --missing` creates runbooks for every alert)' : ''}.`,
    };
  });
}

/**
 * Without a config file, the defaults found nothing: the tool is probably run in a repository
 * that has not adopted it yet. One message for the whole situation, pointing at `runbooks init`.
 */
export function noConfigMessage(cwd: string, unmatched: readonly UnmatchedPattern[]): string {
  const patterns = unmatched.map((u) => `${u.key}: ${u.pattern}`).join(', ');
  return (
    `No ${CONFIG_FILE} in ${cwd} or any folder above it, and the default patterns (${patterns}) find no files there.\n` +
    `Run \`runbooks init\` to find your rule files and runbooks and write a ${CONFIG_FILE}, or pass --config <path>.\n`
  );
}
