import path from 'node:path';
import type { Config } from './config.ts';
import { readTextFile } from './files.ts';
import type { RuleFile, Runbook } from './model.ts';
import { buildProject, expandGlobs, type Project } from './project.ts';
import { parseRunbook, unreadableRunbook } from './runbooks.ts';
import { readRuleFile } from './sources/prometheus.ts';

/** Runbooks larger than this are refused: no real runbook is, and parsing one would stall the run. */
export const MAX_RUNBOOK_BYTES = 1024 * 1024;
/** Rule files can be large (generated mixins), but not without bound. */
export const MAX_RULE_FILE_BYTES = 32 * 1024 * 1024;

/** Reads and parses one runbook file; never throws. */
export async function loadRunbook(root: string, file: string): Promise<Runbook> {
  const read = await readTextFile(path.join(root, file), file, MAX_RUNBOOK_BYTES);
  if (read.diagnostic) return unreadableRunbook(file, read.diagnostic);
  return parseRunbook(read.text, file).runbook;
}

/** Reads one rule file; never throws. */
export async function loadRuleFile(root: string, file: string): Promise<RuleFile> {
  const read = await readTextFile(path.join(root, file), file, MAX_RULE_FILE_BYTES);
  if (read.diagnostic) return { file, rules: [], recordingRules: 0, diagnostics: [read.diagnostic] };
  return readRuleFile(read.text, file);
}

/** Finds, reads and parses every rule file and runbook the config names, and builds the project. */
export async function loadProject(config: Config): Promise<Project> {
  const [ruleNames, runbookNames] = await Promise.all([expandGlobs(config.rules, config.root), expandGlobs(config.runbooks, config.root)]);
  const strip = (name: string): string => name.replace(/\/$/, '');
  const [ruleFiles, runbooks] = await Promise.all([
    Promise.all(ruleNames.map((name) => loadRuleFile(config.root, strip(name)))),
    Promise.all(runbookNames.map((name) => loadRunbook(config.root, strip(name)))),
  ]);
  return buildProject(config, ruleFiles, runbooks);
}
