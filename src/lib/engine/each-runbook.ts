import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Check, Report, Reporter, RunbookCheckContext } from '../checks/define.ts';
import type { Project } from '../project/build-project.ts';
import type { Runbook } from '../project/model.ts';
import { findingsKey } from '../perf/cache-keys.ts';
import { internalError, type Diagnostic } from './diagnostic.ts';

/*
 * The checks that look at one runbook at a time (Check.eachRunbook), run over every runbook, or,
 * for a runbook unchanged since a run under the same key, what they found then said again, as
 * ESLint's --cache does. A check may read other files through its context (a link's target): what
 * it read is kept with the findings, which are said again only while those files are as they were,
 * as TypeScript's incremental build keeps each file's dependencies.
 */

/** Another file a check of one runbook read: a runbook, as its content hash (null: no runbook there), or whether a file exists. */
type Use = ['runbook', string, string | null] | ['file', string, boolean];

/** What the runbook-at-a-time checks found in one runbook, by check id, and what else they read. */
interface RunbookFindings {
  found: Record<string, Report[]>;
  uses: Use[];
}

/**
 * Where those findings are kept between runs (the parse cache, perf/cache.ts), under a key that
 * says what else they follow from (findingsKey).
 */
export interface FindingsStore {
  /** What the checks found in the file in a run under `key`, when the file is as it was then. */
  findingsOf(file: string, key: string): { found: Record<string, unknown[]>; uses: unknown[] } | undefined;
  setFindings(file: string, key: string, findings: RunbookFindings): void;
  /** The content hash of the file as this run read it, when the store knows it. */
  hashOf(file: string): string | undefined;
}

/** An enabled runbook-at-a-time check, with its options and where its findings go. */
export interface EnabledCheck {
  check: Check & { eachRunbook: NonNullable<Check['eachRunbook']> };
  options: Record<string, unknown>;
  report: Reporter;
}

type Checker = (runbook: Runbook, report: Reporter) => void;

/** Runs `checks` over every runbook of the project, or says again what they found, from `store`. */
export function checkEachRunbook(
  project: Project,
  checks: readonly EnabledCheck[],
  store: FindingsStore | undefined,
  diagnostics: Diagnostic[],
): void {
  const key = store && findingsKey({ config: project.config, checks: checks.map(({ check, options }) => [check.id, options]) });
  const byFile = new Map(project.runbooks.map((r) => [r.file, r]));
  const onDisk = new Map<string, boolean>();
  const exists = (file: string): boolean => {
    let found = onDisk.get(file);
    if (found === undefined) {
      found = existsSync(path.join(project.config.root, file));
      onDisk.set(file, found);
    }
    return found;
  };
  // A runbook's hash as this run read it ('' when the store has none, which never matches).
  const hashNow = (file: string): string | null => (byFile.has(file) ? (store?.hashOf(file) ?? '') : null);

  // What the runbook being checked reads of other files.
  let checking: Runbook | undefined;
  let uses: Use[] = [];
  const context: RunbookCheckContext['project'] = {
    config: project.config,
    claimsOf: project.claimsOf,
    claimSource: project.claimSource,
    runbookAt(file) {
      if (file !== checking?.file) uses.push(['runbook', file, hashNow(file)]);
      return byFile.get(file);
    },
    exists(file) {
      const found = exists(file);
      uses.push(['file', file, found]);
      return found;
    },
  };
  const holds = (use: unknown): boolean => {
    if (!Array.isArray(use) || typeof use[1] !== 'string') return false;
    if (use[0] === 'runbook') return use[2] !== '' && hashNow(use[1]) === use[2];
    return use[0] === 'file' && exists(use[1]) === use[2];
  };

  // A kept finding past the runbook's end comes from a doctored cache file (the index's CRC
  // catches damage), never from a check: the runbook is checked afresh instead.
  const inside = (found: Record<string, unknown[]>, runbook: Runbook): boolean => {
    for (const reports of Object.values(found)) {
      for (const report of reports as Report[]) if (report.at.line > runbook.lines + 1) return false;
    }
    return true;
  };

  // Each check is set up on the first runbook it must look at: a run that says again what the
  // checks found needs none of them set up (a schema compiled, a pattern built).
  const checkers = new Map<EnabledCheck, Checker | Error>();
  const checkerOf = (enabled: EnabledCheck): Checker | Error => {
    let checker = checkers.get(enabled);
    if (checker === undefined) {
      try {
        checker = enabled.check.eachRunbook({ project: context, options: enabled.options });
      } catch (error) {
        checker = error instanceof Error ? error : new Error(String(error));
        diagnostics.push(
          internalError(
            project.config.configShown ?? project.runbooks[0]?.file ?? 'runbooks.config.yaml',
            `check ${enabled.check.id}`,
            error,
          ),
        );
      }
      checkers.set(enabled, checker);
    }
    return checker;
  };

  for (const runbook of project.runbooks) {
    const known = key === undefined ? undefined : store?.findingsOf(runbook.file, key);
    if (known?.uses.every(holds) && inside(known.found, runbook)) {
      for (const { check, report } of checks) for (const found of (known.found[check.id] ?? []) as Report[]) report(found);
      continue;
    }
    const findings: RunbookFindings = { found: {}, uses: [] };
    checking = runbook;
    uses = findings.uses;
    let failed = false;
    for (const enabled of checks) {
      const checker = checkerOf(enabled);
      if (checker instanceof Error) {
        failed = true;
        continue;
      }
      try {
        checker(runbook, (found) => {
          (findings.found[enabled.check.id] ??= []).push(found);
          enabled.report(found);
        });
      } catch (error) {
        // One runbook a check fails on is one finding there; the others are still checked, and this one again next time.
        failed = true;
        diagnostics.push(internalError(runbook.file, `check ${enabled.check.id}`, error));
      }
    }
    checking = undefined;
    // A runbook read whose hash the store does not know cannot be told unchanged next time: such findings are not kept.
    if (key !== undefined && !failed && !findings.uses.some((use) => use[0] === 'runbook' && use[2] === '')) {
      store?.setFindings(runbook.file, key, findings);
    }
  }
}
