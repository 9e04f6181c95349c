import type { Check } from '../checks/define.ts';
import type { Diagnostic } from '../engine/diagnostic.ts';
import { validateCheckSettings } from '../engine/lint.ts';
import { loadConfig, type Config } from './config.ts';

/**
 * A config that every command and the site may run with, or every problem that stops them.
 * `config` is there whenever the file loaded, even when its check settings are wrong: the
 * report of those problems still links each finding to its docs page.
 */
export type CheckedConfig = { ok: true; config: Config; problems: [] } | { ok: false; config: Config | undefined; problems: Diagnostic[] };

/**
 * The one way in for `lint`, `fix`, `new` and the site: reads the config as {@link loadConfig}
 * does (the explicit path, else searched upwards from `cwd`), then checks its settings against the
 * checks (unknown check ids, options that do not fit their schema).
 */
export function loadCheckedConfig(cwd: string, configPath?: string, checks?: readonly Check[]): CheckedConfig {
  const loaded = loadConfig(cwd, configPath);
  if (!loaded.config) return { ok: false, config: undefined, problems: loaded.diagnostics };
  const problems = validateCheckSettings(loaded.config, checks);
  return problems.length > 0 ? { ok: false, config: loaded.config, problems } : { ok: true, config: loaded.config, problems: [] };
}
