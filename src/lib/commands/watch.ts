import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE, globBase, loadConfig, type Config } from '../config/config.ts';
import { compileGlobs } from '../project/globs.ts';

/** Folders never watched: dependencies, version control and build output hold no runbooks. */
const IGNORED_DIRS = new Set(['node_modules', '.git', 'dist', '.astro']);

/** How long the files must be quiet before a re-check: an editor's save is several events. */
const DEBOUNCE_MS = 100;

/** What to watch for one config: folders, and which changed paths matter. */
export interface WatchPlan {
  /** Absolute folders to watch with everything below them. */
  roots: string[];
  /** Whether a changed absolute path can change the findings. */
  relevant(file: string): boolean;
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The folders and files a lint run depends on: the config root (config file, schema) and the
 * fixed folder of every rule and runbook glob, also when a glob reaches outside the root.
 */
export function watchPlan(config: Config | undefined, configFile: string): WatchPlan {
  const configDir = path.dirname(configFile);
  if (!config) return { roots: [configDir], relevant: (file) => file === configFile };
  // Each list's `!` patterns exclude from that list only, as when lint reads the files.
  const lists = [compileGlobs(config.rules, config.root), compileGlobs(config.runbooks, config.root)];
  const positive = lists.flatMap((globs) => globs.positive);
  const candidates = [config.root, path.dirname(config.schemaFile), ...positive.map((p) => path.resolve(config.root, globBase(p)))];
  const roots = [...new Set(candidates)].filter((dir, _, all) => !all.some((other) => other !== dir && inside(dir, other)));
  return {
    roots,
    relevant(file) {
      if (file === configFile || file === config.schemaFile || file === config.configFile) return true;
      return lists.some((globs) => globs.matches(file));
    },
  };
}

/** Options of a watch session. */
export interface WatchOptions {
  /** Where the CLI runs; the config is searched from here, as `lint` does. */
  cwd: string;
  /** The --config path, if given. */
  configPath?: string;
  /** One full lint run that prints its own report; called once at the start and after each change. */
  run(): Promise<unknown>;
  /** Called before each re-check with the changed files (relative to `cwd`), e.g. to clear the screen. */
  onChange?(files: string[]): void;
  /** Called after each run, e.g. to say that it keeps watching. */
  onIdle?(): void;
  /** Called when a run throws; watching goes on, as the next save may fix it. */
  onError?(error: unknown): void;
  /** Ends the session: watchers close, and the returned promise resolves after the current run. */
  signal: AbortSignal;
  debounceMs?: number;
}

function skipped(name: string): boolean {
  return IGNORED_DIRS.has(name) || name.startsWith('.');
}

/** Folders below `root` (itself included), skipping the ignored ones and other hidden folders. */
async function folders(root: string): Promise<string[]> {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    const dir = out[i] as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // gone since it was listed, or unreadable: nothing to watch there
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !skipped(entry.name)) out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

/**
 * Runs `run` once, then again after every relevant change, until `signal` aborts. Watches each
 * folder with a non-recursive node:fs.watch: the recursive mode of Node on Linux watches every
 * file below the root, node_modules included (13,000 inotify watches for this repository), and
 * cannot skip folders.
 */
export async function watchProject(options: WatchOptions): Promise<void> {
  const { signal } = options;
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  const watchers = new Map<string, FSWatcher>();
  let plan: WatchPlan = { roots: [], relevant: () => false };
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const onEvent = (dir: string, name: string | Buffer | null): void => {
    if (signal.aborted) return;
    // Without a name (some platforms) the folder itself is what changed.
    const file = name ? path.join(dir, name.toString()) : dir;
    const isWatchedDir = watchers.has(file);
    const relevant = plan.relevant(file) || isWatchedDir;
    if (!relevant) {
      // A new folder may hold runbooks already (mkdir -p, git checkout): re-check, and the sync watches it.
      // Ignored and hidden folders (build output, the parse cache) never hold any, and must not cause runs.
      if (!skipped(path.basename(file)))
        stat(file).then(
          (s) => {
            if (s.isDirectory() && !watchers.has(file)) schedule(file);
          },
          () => {},
        );
      return;
    }
    schedule(file);
  };

  const schedule = (file: string): void => {
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => void start(), debounceMs);
  };

  const sync = async (): Promise<void> => {
    const loaded = loadConfig(options.cwd, options.configPath);
    // With no config file found, watch for one appearing where `lint` would look first.
    const configFile = loaded.config?.configFile ?? path.resolve(options.cwd, options.configPath ?? CONFIG_FILE);
    plan = watchPlan(loaded.config, configFile);
    const wanted = new Set((await Promise.all(plan.roots.map((root) => folders(root)))).flat());
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (watchers.has(dir) || signal.aborted) continue;
      try {
        const watcher = watch(dir, { persistent: true }, (_event, name) => onEvent(dir, name));
        watcher.on('error', () => {
          // The folder went away; the next sync drops it.
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        // Vanished between listing and watching: nothing to watch.
      }
    }
  };

  const start = async (): Promise<void> => {
    if (signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    const changed = [...pending].map((f) => path.relative(options.cwd, f).split(path.sep).join('/') || '.');
    pending = new Set();
    running = (async () => {
      try {
        if (changed.length > 0) options.onChange?.(changed.sort());
        // Sync first: the change may be the config, a new folder, or a glob that now reaches elsewhere.
        await sync();
        await options.run();
      } catch (error) {
        options.onError?.(error);
      } finally {
        running = undefined;
        if (!signal.aborted) options.onIdle?.();
      }
    })();
    await running;
    if (again && !signal.aborted) {
      again = false;
      await start();
    }
  };

  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await start();
  await stopped;
  clearTimeout(timer);
  for (const watcher of watchers.values()) watcher.close();
  watchers.clear();
  await running;
}
