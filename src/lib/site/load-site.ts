/**
 * The build's way in: the same config loading and the same checks as `runbooks lint`, then the
 * site model. Errors stop the build with the linter's own report, so the site never publishes
 * what the linter rejects.
 */
import path from 'node:path';
import { checks } from '../checks/index.ts';
import type { Config } from '../config/config.ts';
import { loadCheckedConfig } from '../config/checked-config.ts';
import { toolVersion } from '../config/tool.ts';
import { compareDiagnostics, countDiagnostics, type Diagnostic } from '../engine/diagnostic.ts';
import { baselinePath, readBaseline } from '../engine/baseline.ts';
import { relativeToCwd } from '../engine/results.ts';
import { unmatchedPatternProblems } from '../engine/unmatched.ts';
import { lint } from '../engine/lint.ts';
import { stylish } from '../reporters/stylish.ts';
import { buildSiteModel, type SiteModel } from './site-model.ts';
import { buildSituation, type Situation } from './situation.ts';

/** The build refuses to publish: `report` is the linter's stylish report of why. */
export class SiteBuildError extends Error {
  readonly report: string;
  readonly diagnostics: Diagnostic[];
  constructor(report: string, diagnostics: Diagnostic[], headline = 'The runbooks have errors; the site is not built.') {
    super(`${headline}\n${report}`);
    this.name = 'SiteBuildError';
    this.report = report;
    this.diagnostics = diagnostics;
    // Whoever prints this (Astro) shows the stack too; for a user's error the report is all there is to read.
    this.stack = this.message;
  }
}

/** A built site model with the warnings the checks found (printed, not fatal). */
export interface LoadedSite {
  config: Config;
  model: SiteModel;
  /** Services, teams, symptom and cause relations, incidents and the live index. */
  situation: Situation;
  diagnostics: Diagnostic[];
  /** The stylish report of the findings (warnings; errors too with allowErrors), or '' when there are none. */
  report: string;
  /** Every file the build read: the dev server watches them. */
  files: string[];
}

/** Options of {@link loadSite}. */
export interface LoadSiteOptions {
  /** Where to look for runbooks.config.yaml (upwards); default: the working directory. */
  cwd?: string;
  /** An explicit config file, relative to cwd; default: the RUNBOOKS_CONFIG environment variable, then the search. */
  config?: string;
  /** Today as YYYY-MM-DD; default: RUNBOOKS_TODAY, then the current UTC date. */
  today?: string;
  /** Colour the report, as for a terminal. */
  color?: boolean;
  /**
   * Build the model despite lint errors (they land in `report`): for `astro dev`, where an author
   * previews a runbook while fixing it. Never for a build that publishes.
   */
  allowErrors?: boolean;
}

function report(diagnostics: Diagnostic[], fileCount: number, color: boolean): string {
  return stylish({ diagnostics, counts: countDiagnostics(diagnostics), checks, fileCount, toolVersion: toolVersion(), color });
}

/** Reads the config the way the CLI does: an explicit path, else RUNBOOKS_CONFIG, else searched upwards. */
export function siteConfig(options: LoadSiteOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const loaded = loadCheckedConfig(cwd, options.config ?? (process.env.RUNBOOKS_CONFIG || undefined));
  if (!loaded.ok) {
    throw new SiteBuildError(
      report(loaded.problems, 1, options.color ?? false),
      loaded.problems,
      'The configuration has errors; the site is not built.',
    );
  }
  return loaded.config;
}

/** Loads and checks the project, then builds the site model; throws {@link SiteBuildError} on any error. */
export async function loadSite(options: LoadSiteOptions = {}): Promise<LoadedSite> {
  const config = siteConfig(options);
  const cwd = options.cwd ?? process.cwd();
  const today = options.today ?? (process.env.RUNBOOKS_TODAY || new Date().toISOString().slice(0, 10));
  // The same baseline as `runbooks lint` (the config's, else the default file): what the linter accepts, the site publishes.
  const where = baselinePath(config, cwd);
  const read = readBaseline(where.file, where.explicit);
  if (read.problem !== undefined) {
    const problem = {
      file: config.configShown ?? 'runbooks.config.yaml',
      line: config.keyPositions?.['/baseline']?.line ?? 1,
      column: config.keyPositions?.['/baseline']?.column ?? 1,
      ruleId: 'config-error',
      severity: 'error' as const,
      message: `Baseline ${path.relative(cwd, where.file) || where.file}: ${read.problem}`,
      hint: 'Fix or rewrite the baseline with `runbooks lint --baseline-update`.',
    };
    throw new SiteBuildError(
      report([problem], 1, options.color ?? false),
      [problem],
      'The configuration has errors; the site is not built.',
    );
  }
  const result = await lint(config, { today, baseline: read.baseline });
  const color = options.color ?? false;
  const unmatched = unmatchedPatternProblems(config, result.project.unmatchedPatterns ?? []);
  if (unmatched.length > 0)
    throw new SiteBuildError(report(unmatched, 1, color), unmatched, 'The configuration finds no files; the site is not built.');
  const fileCount = result.project.ruleFiles.length + result.project.runbooks.length;
  const files = [
    ...result.project.ruleFiles.filter((f) => !f.server).map((f) => f.file),
    ...result.project.runbooks.map((r) => r.file),
  ].map((f) => path.join(config.root, f));
  const shown = (diagnostics: Diagnostic[]): Diagnostic[] => relativeToCwd(diagnostics, config.root, cwd);
  if (result.counts.errors > 0 && !options.allowErrors)
    throw new SiteBuildError(report(shown(result.diagnostics), fileCount, color), result.diagnostics);
  const model = buildSiteModel(result.project, {
    today,
    diagnostics: result.diagnostics,
    // Only a preview that allows errors (astro dev) puts findings on the pages; a published site has none to show.
    showFindings: options.allowErrors === true,
  });
  if (model.problems.length > 0) {
    const all = [...result.diagnostics, ...model.problems].sort(compareDiagnostics);
    throw new SiteBuildError(report(shown(all), fileCount, color), all);
  }
  return {
    config,
    model,
    situation: buildSituation(result.project, model, { today, diagnostics: result.diagnostics }),
    diagnostics: result.diagnostics,
    report: result.diagnostics.length > 0 ? report(shown(result.diagnostics), fileCount, color) : '',
    files: config.configFile ? [config.configFile, ...files] : files,
  };
}
