import type { Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ParseCache } from '../perf/cache.ts';
import { contentHash } from '../perf/cache-keys.ts';
import type { Config } from '../config/config.ts';
import { readTextFile, statTextFile, type ReadResult, type StatResult } from '../text/read-file.ts';
import { PARSE_TIMEOUT, type Diagnostic } from '../engine/diagnostic.ts';
import type { RuleFile, Runbook } from './model.ts';
import { buildProject, type Project, type UnmatchedPattern } from './build-project.ts';
import { expandGlobsDetailed, type ExpandedGlobs } from './globs.ts';
import { decode, send, type Parsed, type Sent } from '../perf/workers/encoding.ts';
import type { ParseJob } from '../perf/workers/jobs.ts';
import { ParsePool } from '../perf/pool.ts';
import { DEFAULT_PARSE_TIMEOUT_MS, parseTimeoutFromEnv } from '../perf/workers/timeout.ts';

/** Runbooks larger than this are refused: no real runbook is, and parsing one would stall the run. */
const MAX_RUNBOOK_BYTES = 1024 * 1024;
/** Rule files can be large (generated mixins), but not without bound. */
export const MAX_RULE_FILE_BYTES = 32 * 1024 * 1024;

/**
 * Below this many files to parse, the main thread parses alone: a worker takes as long to load
 * the parsers as the main thread takes to parse that many files.
 */
const MIN_FILES_FOR_WORKERS = 200;

/**
 * A run that the cache answers for at least this many files starts one worker at once, before it
 * knows whether a file changed: in the loop of editing a runbook and linting, one did, and the
 * worker starts and parses it while the main thread decodes the others' entries, where the main
 * thread would otherwise stop to load the parsers and parse. With fewer entries to decode, the
 * worker's start would outlast them. When nothing changed, the worker is stopped unused (its start
 * costs the other core about a fifth of a second).
 */
const MIN_FILES_TO_HIDE_A_WORKER = 2000;

/** Files the main thread parses per call when it parses alone (a call is one `vm` timeout, see parseBatch). */
const MAIN_SLICE = 256;

/** How a project is read. */
export interface LoadOptions {
  /**
   * The parse cache file (see cache.ts); no cache when undefined. The CLI passes one by default;
   * the site build and tests call without.
   */
  cacheLocation?: string;
  /** Threads that parse, the main thread included; default: os.availableParallelism(). 1 parses in the main thread only. */
  threads?: number;
  /** Fewer files than this to parse are parsed in the main thread; default MIN_FILES_FOR_WORKERS. */
  minFilesForWorkers?: number;
  /** With at least this many cache entries, one worker starts at once, for the files that changed; default MIN_FILES_TO_HIDE_A_WORKER. */
  minFilesToHideAWorker?: number;
  /** How long one file's parse may take, in ms; default RUNBOOKS_PARSE_TIMEOUT's (workers/timeout.ts). */
  parseTimeoutMs?: number;
}

// The parsers (micromark, yaml) load only when a file must be parsed, so a run that the cache
// answers entirely does not pay for loading them.
const parsing = (): Promise<typeof import('../perf/workers/jobs.ts')> => import('../perf/workers/jobs.ts');

type Input = Pick<ParseJob, 'kind' | 'file'>;

const maxBytes = (input: Input): number => (input.kind === 'runbook' ? MAX_RUNBOOK_BYTES : MAX_RULE_FILE_BYTES);

/**
 * A file the reader refused, or read with a warning (not UTF-8): parsed here, in the main thread,
 * and never cached, so the warning is said on every run.
 */
async function loadOne(input: Input, read: ReadResult, timeoutMs: number): Promise<Parsed> {
  if (read.diagnostic) {
    if (input.kind === 'rules') return { file: input.file, rules: [], recordingRules: 0, diagnostics: [read.diagnostic] };
    const { unreadableRunbook } = await import('../markdown/runbook-reader.ts');
    return unreadableRunbook(input.file, read.diagnostic);
  }
  const { parseBatch } = await parsing();
  const parsed = parseBatch([{ ...input, text: read.text }], timeoutMs)[0] as Parsed;
  if (read.warning) parsed.diagnostics.unshift(read.warning);
  return parsed;
}

/** With RUNBOOKS_TIMING=1 in the environment, says on stderr how long each phase took; otherwise does nothing. */
function phases(): (phase: string) => void {
  if (!process.env.RUNBOOKS_TIMING) return () => {};
  let last = performance.now();
  process.stderr.write(`runbooks: loading starts ${last.toFixed(0)} ms after the process\n`);
  return (phase) => {
    const now = performance.now();
    process.stderr.write(`runbooks: ${phase} ${(now - last).toFixed(0)} ms\n`);
    last = now;
  };
}

/**
 * Finds, reads and parses every rule file and runbook the config names, and builds the project.
 * Each file is read once and parsed once; with a cache, files whose content is unchanged are not
 * parsed at all. Parsing is spread over worker threads when there are enough files.
 */
export async function loadProject(config: Config, options: LoadOptions = {}): Promise<Project> {
  const { project, cache } = await loadProjectAndCache(config, options);
  saveCache(cache);
  return project;
}

/** Saves the cache when that is worth it (see ParseCache.save); with RUNBOOKS_TIMING=1, says how long it took. */
export function saveCache(cache: ParseCache | undefined): void {
  // `performance` is read only when timing: the first read loads perf_hooks, a few ms of start-up.
  const start = process.env.RUNBOOKS_TIMING ? performance.now() : 0;
  if (cache?.save() && process.env.RUNBOOKS_TIMING) {
    process.stderr.write(`runbooks: save cache ${(performance.now() - start).toFixed(0)} ms\n`);
  }
}

/**
 * As loadProject, with the cache left open and not yet saved: the caller records in it what the
 * checks found (see lint), then saves it, or discards it when the run fails.
 */
export async function loadProjectAndCache(
  config: Config,
  options: LoadOptions = {},
): Promise<{ project: Project; cache: ParseCache | undefined }> {
  const timing = phases();
  // Servers are asked while the files are read: their answers take network time, not CPU.
  const served =
    config.ruleServers.length > 0
      ? import('../sources/http.ts').then(({ readServer }) => Promise.all(config.ruleServers.map((s) => readServer(config, s))))
      : undefined;
  const notes: Diagnostic[] = [];
  const none: ExpandedGlobs = { files: [], unmatched: [] };
  const finding = Promise.all([
    config.rules.length > 0 ? expandGlobsDetailed(config.rules, config.root, notes) : none,
    expandGlobsDetailed(config.runbooks, config.root, notes),
  ]);
  // Read while the globber's folder reads are on libuv's thread pool. Synchronously: a cache
  // file read asynchronously is a large buffer outside the heap, which V8 answers with extra full GCs.
  const cache = options.cacheLocation ? ParseCache.open(options.cacheLocation) : undefined;
  const [rules, runbooks] = await finding;
  const ruleNames = rules.files;
  const runbookNames = runbooks.files;
  const unmatchedPatterns: UnmatchedPattern[] = [
    ...rules.unmatched.map((u) => ({ key: 'rules' as const, ...u, index: config.ruleEntryIndex?.[u.index] ?? u.index })),
    ...runbooks.unmatched.map((u) => ({ key: 'runbooks' as const, ...u })),
  ];
  const strip = (name: string): string => name.replace(/\/$/, '');
  // Rule files first: they are the largest jobs, and a pool does best starting with those.
  const inputs: Input[] = [
    ...ruleNames.map((name) => ({ kind: 'rules' as const, file: strip(name) })),
    ...runbookNames.map((name) => ({ kind: 'runbook' as const, file: strip(name) })),
  ];
  timing('glob and open cache');
  try {
    const counts = { cached: 0, inWorkers: 0, inMain: 0 };
    const parsed = await readAndParse(config.root, inputs, cache, options, counts);
    timing(
      `read, hash, parse or decode (${counts.cached} from the cache, ${counts.inWorkers} parsed in workers, ${counts.inMain} in the main thread)`,
    );
    let ruleFiles = parsed.slice(0, ruleNames.length) as RuleFile[];
    const serverDiagnostics: Diagnostic[] = [];
    if (served) {
      const answers = await served;
      const { mergeServedRules } = await import('../sources/http.ts');
      ruleFiles = mergeServedRules(
        ruleFiles,
        answers.flatMap((a) => (a.ruleFile ? [a.ruleFile] : [])),
      );
      serverDiagnostics.push(...answers.flatMap((a) => (a.diagnostic ? [a.diagnostic] : [])));
      timing('read rule servers');
    }
    const project = buildProject(config, ruleFiles, parsed.slice(ruleNames.length) as Runbook[]);
    project.inputDiagnostics.push(...serverDiagnostics);
    // A symbolic link met twice (rules and runbooks walk the same folder) is one finding.
    const said = new Set<string>();
    for (const note of notes) {
      const key = `${note.file}\n${note.message}`;
      if (said.has(key)) continue;
      said.add(key);
      project.inputDiagnostics.push(note);
    }
    timing('build project');
    return { project: { ...project, unmatchedPatterns }, cache };
  } catch (error) {
    cache?.discard();
    throw error;
  }
}

/** Reads every input once, answers from the cache what it can, and parses the rest, on several threads when they are many. */
async function readAndParse(
  root: string,
  inputs: Input[],
  cache: ParseCache | undefined,
  options: LoadOptions,
  counts: { cached: number; inWorkers: number; inMain: number },
): Promise<Parsed[]> {
  const { threads: requested, minFilesForWorkers, minFilesToHideAWorker = MIN_FILES_TO_HIDE_A_WORKER } = options;
  const fromEnv = parseTimeoutFromEnv();
  const timeoutMs = options.parseTimeoutMs ?? ('ms' in fromEnv ? fromEnv.ms : DEFAULT_PARSE_TIMEOUT_MS);
  // A stopped parse says how busy the machine was, not what the file holds: never cached.
  const cacheable = (parsed: Parsed): boolean => !parsed.diagnostics.some((d) => d.ruleId === PARSE_TIMEOUT);
  const results: (Parsed | Promise<Parsed>)[] = new Array(inputs.length);
  const misses: { index: number; job: ParseJob; hash: string; stat: Stats }[] = [];

  const threads = requested ?? availableParallelism();
  const minimum = minFilesForWorkers ?? MIN_FILES_FOR_WORKERS;
  // Start the workers before reading when that many files are sure to be parsed (new to the
  // cache, or no cache), so their start-up overlaps the reading.
  const sureMisses = cache ? inputs.filter((input) => !cache.has(input.file)).length : inputs.length;
  let pool = threads > 1 && sureMisses >= minimum ? new ParsePool(threads, undefined, timeoutMs) : undefined;
  if (!pool && threads > 1 && cache && cache.size >= minFilesToHideAWorker) {
    pool = new ParsePool(2, undefined, timeoutMs);
    pool.sendAtOnce();
  }
  /**
   * A result as the project keeps it, cached when it may be. A result parsed in this thread goes
   * through JSON as a worker's does: the objects JSON.parse makes take a fraction of the memory of
   * those the parsers built. Either way a runbook's source is the text read here (see `Sent`).
   */
  const keep = (job: ParseJob, hash: string, stat: Stats, given: Sent): Parsed => {
    const sent = given.data === undefined ? given : send(given.data, job.text);
    const parsed = decode(sent, job.text);
    if (cache && cacheable(parsed)) cache.set(job.file, hash, sent, stat);
    return parsed;
  };
  const record =
    (job: ParseJob, hash: string, stat: Stats) =>
    (sent: Sent): Parsed => {
      // JSON comes from a worker; the main thread hands over its result as data.
      if (sent.core !== undefined) counts.inWorkers++;
      else counts.inMain++;
      return keep(job, hash, stat, sent);
    };

  try {
    const absolutes = inputs.map((input) => path.join(root, input.file));
    // Every file's metadata first, and only then the cache entries of the files it shows
    // unchanged: the files to parse are found at once and go to the workers while the main
    // thread decodes.
    const trusted: { index: number; stat: Stats }[] = [];
    const miss = async (index: number, checked: StatResult): Promise<void> => {
      const input = inputs[index] as Input;
      const absolute = absolutes[index] as string;
      const read = checked.stat ? readTextFile(absolute, input.file, { maxBytes: maxBytes(input), stat: checked.stat }) : checked;
      if (read.diagnostic || read.warning) {
        results[index] = loadOne(input, read, timeoutMs);
        return;
      }
      const { text, stat } = read;
      const hash = cache ? contentHash(text) : '';
      const cached = cache?.get(input.file, hash, stat, text);
      if (cached) {
        counts.cached++;
        results[index] = cached;
        return;
      }
      const job: ParseJob = { ...input, text };
      if (pool) {
        results[index] = pool.submit(job).then(record(job, hash, stat));
        // Now and then, let the workers' answers in, so they get their next batch while we read.
        if (index % 64 === 63) await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        misses.push({ index, job, hash, stat });
      }
    };
    for (let index = 0; index < inputs.length; index++) {
      const input = inputs[index] as Input;
      const checked = statTextFile(absolutes[index] as string, input.file, maxBytes(input));
      if (checked.stat && cache?.trusts(input.file, checked.stat)) trusted.push({ index, stat: checked.stat });
      else await miss(index, checked);
    }
    for (const { index, stat } of trusted) {
      const unchanged = cache?.getUnchanged((inputs[index] as Input).file, stat, absolutes[index] as string);
      if (unchanged) {
        counts.cached++;
        results[index] = unchanged;
      } else await miss(index, { stat });
    }
    if (misses.length > 0) {
      // Misses wait here only when no pool was started (a pool takes each one as it is met).
      if (threads > 1 && misses.length >= minimum) {
        pool = new ParsePool(threads, undefined, timeoutMs);
        for (const { index, job, hash, stat } of misses) results[index] = pool.submit(job).then(record(job, hash, stat));
      } else {
        const { parseBatch } = await parsing();
        // In slices, so that what the parsers built for one slice, and its text, are garbage before the next.
        while (misses.length > 0) {
          const slice = misses.splice(0, MAIN_SLICE);
          const parsed = parseBatch(
            slice.map((miss) => miss.job),
            timeoutMs,
          );
          slice.forEach(({ index, job, hash, stat }, i) => {
            counts.inMain++;
            results[index] = keep(job, hash, stat, { data: parsed[i] as Parsed });
          });
        }
      }
    }
    await pool?.finish();
    return await Promise.all(results);
  } finally {
    await pool?.close();
  }
}
