/**
 * `runbooks`: the programmatic API, what the CLI is built from. Load a project's config, lint it
 * and format the results as the CLI does:
 *
 *     import { loadCheckedConfig, lint, formatResults } from 'runbooks';
 *     const loaded = loadCheckedConfig(process.cwd());
 *     if (loaded.ok) process.stdout.write(formatResults(await lint(loaded.config), loaded.config, 'stylish'));
 */
import { checks } from './checks/index.ts';
import type { Config } from './config/config.ts';
import { toolVersion } from './config/tool.ts';
import { countDiagnostics, type Diagnostic } from './engine/diagnostic.ts';
import { docsUrlFor, type LintResult } from './engine/lint.ts';
import { reporters } from './reporters/index.ts';

export {
  CONFIG_FILE,
  findConfig,
  loadConfig,
  type CheckSetting,
  type Config,
  type ConfigResult,
  type IgnoredAlert,
  type SiteConfig,
} from './config/config.ts';
export { loadCheckedConfig, type CheckedConfig } from './config/checked-config.ts';
export { docsUrlFor, lint, runChecks, validateCheckSettings, type LintOptions, type LintResult } from './engine/lint.ts';
export { loadProject, type LoadOptions } from './project/load-project.ts';
export type { Project } from './project/build-project.ts';
export { checks } from './checks/index.ts';
export { defineCheck, type Check } from './checks/define.ts';
export {
  compareDiagnostics,
  countDiagnostics,
  IO_ERROR,
  PARSE_ERROR,
  type Counts,
  type Diagnostic,
  type Related,
  type Severity,
} from './engine/diagnostic.ts';
export { reporters } from './reporters/index.ts';
export type { Reporter, ReportInput } from './reporters/types.ts';
export { loadSite, siteConfig, SiteBuildError, type LoadedSite, type LoadSiteOptions } from './site/load-site.ts';

/** This package's version. */
export function version(): string {
  return toolVersion();
}

/** Options of {@link formatResults}. */
export interface FormatOptions {
  /** Colour the stylish output, as on a terminal; default false. */
  color?: boolean;
  /** Only these findings (e.g. errors only, as `--quiet`); default: all of the result's. */
  diagnostics?: readonly Diagnostic[];
}

/** The report of a lint result in one of the CLI's formats (stylish, json, sarif, github, junit), as `runbooks lint --format` prints it. */
export function formatResults(result: LintResult, config: Config, format = 'stylish', options: FormatOptions = {}): string {
  const reporter = reporters[format];
  if (!reporter) throw new Error(`Unknown format "${format}"; use one of ${Object.keys(reporters).join(', ')}`);
  const diagnostics = options.diagnostics ?? result.diagnostics;
  return reporter({
    diagnostics,
    counts: countDiagnostics(diagnostics),
    checks,
    fileCount: result.project.ruleFiles.length + result.project.runbooks.length,
    toolVersion: version(),
    color: options.color ?? false,
    docsUrlFor: (id) => docsUrlFor(config, id),
  });
}
