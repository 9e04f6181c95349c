/**
 * The baseline, as ESLint's bulk suppressions: the findings a team accepted when it adopted the
 * tool, so that later runs fail only on new ones. Findings are matched by file, check id and the
 * check's stable key (the alert name, the section, the link target), with a count per key, never
 * by line: editing a file elsewhere, or a day passing, does not turn an accepted finding into a new one.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import type { Diagnostic } from './diagnostic.ts';
import { UNSUPPRESSIBLE } from './suppressions.ts';

/** The file name `--baseline-update` writes beside the config when neither `--baseline` nor the config names one. */
export const BASELINE_FILE = 'runbooks-baseline.json';

/** The format's version; a file of another version is refused with a message, not misread. */
const BASELINE_VERSION = 1;

/** Accepted findings: file (relative to the config's folder) → check id → key → how many. */
type BaselineEntries = Record<string, Record<string, Record<string, number>>>;

/** The contents of runbooks-baseline.json. */
export interface Baseline {
  version: typeof BASELINE_VERSION;
  files: BaselineEntries;
}

/** One accepted finding that no longer occurs (`count` of them). */
export interface StaleEntry {
  file: string;
  ruleId: string;
  key: string;
  count: number;
}

/** The findings left after the baseline, those it accepted, and its entries that matched nothing. */
export interface BaselineResult {
  diagnostics: Diagnostic[];
  baselined: Diagnostic[];
  stale: StaleEntry[];
}

/**
 * Whether a finding may go into the baseline: not input that could not be read, not a config
 * problem, not a problem with a suppression comment (as no comment can excuse those either).
 */
export function isBaselineable(d: Diagnostic): boolean {
  return !UNSUPPRESSIBLE.has(d.ruleId);
}

/** The key a finding is matched by; the message for a finding whose check gave none. */
function keyOf(d: Diagnostic): string {
  return d.key ?? d.message;
}

/** Where the baseline is: `--baseline` (relative to the working directory), else the config's `baseline`, else beside the config. */
export function baselinePath(config: Config, cwd: string, flag?: string): { file: string; explicit: boolean } {
  if (flag !== undefined) return { file: path.resolve(cwd, flag), explicit: true };
  if (config.baseline !== undefined) return { file: config.baseline, explicit: true };
  return { file: path.join(config.root, BASELINE_FILE), explicit: false };
}

/**
 * Reads a baseline file. A missing file is an empty baseline unless it was named explicitly
 * (a typo in a path must not silently accept nothing); anything unreadable is a problem to report.
 */
export function readBaseline(
  file: string,
  explicit: boolean,
): { baseline: Baseline; problem?: undefined } | { baseline?: undefined; problem: string } {
  let text: string;
  try {
    // A FIFO or a device named as the baseline would block the run or never end.
    if (statSync(file).isFile() === false) return { problem: 'it is not a regular file' };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return { baseline: { version: BASELINE_VERSION, files: {} } };
    return {
      problem:
        code === 'ENOENT'
          ? 'the file does not exist (create it with `runbooks lint --baseline-update`)'
          : `cannot read it (${code ?? 'error'})`,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: `it is not valid JSON (${(error as Error).message}); rewrite it with \`runbooks lint --baseline-update\`` };
  }
  const object = data as Partial<Baseline> | null;
  if (
    typeof object !== 'object' ||
    object === null ||
    object.version !== BASELINE_VERSION ||
    typeof object.files !== 'object' ||
    object.files === null
  ) {
    return {
      problem: `it is not a version ${BASELINE_VERSION} baseline ({ "version": ${BASELINE_VERSION}, "files": { … } }); rewrite it with \`runbooks lint --baseline-update\``,
    };
  }
  for (const [file, checks] of Object.entries(object.files)) {
    for (const [ruleId, keys] of Object.entries(checks ?? {})) {
      for (const [key, count] of Object.entries(keys ?? {})) {
        if (!Number.isInteger(count) || count < 1)
          return { problem: `the count of ${file} ${ruleId} ${JSON.stringify(key)} is not a whole number above 0` };
      }
    }
  }
  return { baseline: object as Baseline };
}

/**
 * Takes out the findings the baseline accepts: for each file, check and key, up to the recorded
 * count (a second TODO in a file that had one is new). What is left over in the baseline no longer occurs.
 */
export function applyBaseline(diagnostics: readonly Diagnostic[], baseline: Baseline): BaselineResult {
  const remaining = new Map<string, number>();
  const id = (file: string, ruleId: string, key: string): string => JSON.stringify([file, ruleId, key]);
  for (const [file, checks] of Object.entries(baseline.files)) {
    for (const [ruleId, keys] of Object.entries(checks)) {
      for (const [key, count] of Object.entries(keys)) remaining.set(id(file, ruleId, key), count);
    }
  }
  const kept: Diagnostic[] = [];
  const baselined: Diagnostic[] = [];
  for (const d of diagnostics) {
    const entry = id(d.file, d.ruleId, keyOf(d));
    const left = isBaselineable(d) ? (remaining.get(entry) ?? 0) : 0;
    if (left > 0) {
      remaining.set(entry, left - 1);
      baselined.push(d);
    } else kept.push(d);
  }
  const stale: StaleEntry[] = [];
  for (const [entry, count] of remaining) {
    if (count === 0) continue;
    const [file, ruleId, key] = JSON.parse(entry) as [string, string, string];
    stale.push({ file, ruleId, key, count });
  }
  return { diagnostics: kept, baselined, stale };
}

/** The baseline that accepts exactly these findings (those that may be baselined). */
export function createBaseline(diagnostics: readonly Diagnostic[]): Baseline {
  // No prototypes: a key is often an alert name, and `constructor` or `__proto__` must count as any other.
  const bare = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
  const files: BaselineEntries = bare();
  for (const d of diagnostics.filter(isBaselineable)) {
    const checks = (files[d.file] ??= bare());
    const keys = (checks[d.ruleId] ??= bare());
    keys[keyOf(d)] = (keys[keyOf(d)] ?? 0) + 1;
  }
  return { version: BASELINE_VERSION, files };
}

function sortedObject<T>(object: Record<string, T>, inner: (value: T) => unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((k) => [k, inner(object[k] as T)]),
  );
}

/** The baseline as written to disk: keys sorted at every level, so a review diff shows only what changed. */
export function formatBaseline(baseline: Baseline): string {
  const files = sortedObject(baseline.files, (checks) => sortedObject(checks, (keys) => sortedObject(keys, (n) => n)));
  return `${JSON.stringify({ version: baseline.version, files }, null, 2)}\n`;
}

/** How many findings a baseline accepts. */
export function baselineSize(baseline: Baseline): number {
  let total = 0;
  for (const checks of Object.values(baseline.files))
    for (const keys of Object.values(checks)) for (const n of Object.values(keys)) total += n;
  return total;
}
