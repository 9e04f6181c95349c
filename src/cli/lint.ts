import path from 'node:path';
import { CONFIG_ERROR, countDiagnostics, type Diagnostic } from '../lib/engine/diagnostic.ts';
import { writeFileAtomic } from '../lib/text/atomic-write.ts';
import {
  applyBaseline,
  baselinePath,
  baselineSize,
  createBaseline,
  formatBaseline,
  isBaselineable,
  readBaseline,
  type Baseline,
  type StaleEntry,
} from '../lib/engine/baseline.ts';
import { fromCwd, relativeToCwd } from '../lib/engine/results.ts';
import { reporters } from '../lib/reporters/index.ts';
import { stylish } from '../lib/reporters/stylish.ts';
import { EXIT, type Command, type Values } from './command.ts';

function useColor(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

/** `--watch`: lint, then lint again (the same flags, config reloaded) after every relevant change, until Ctrl-C. */
async function watchLint(values: Values, positionals: string[], context: { cwd: string; toolVersion: string }): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = process.stdout.isTTY === true;
  try {
    const { watchProject } = await import('../lib/commands/watch.ts');
    await watchProject({
      cwd: context.cwd,
      configPath: values.config as string | undefined,
      signal: controller.signal,
      run: () => lintCommand.run({ ...values, watch: false }, positionals, context),
      onChange(files) {
        // Clearing only on a terminal: a piped log keeps every report.
        if (tty) process.stdout.write('\u001b[2J\u001b[3J\u001b[H');
        process.stderr.write(`\n[${new Date().toLocaleTimeString()}] Changed: ${files.join(', ')}; checking again\n`);
      },
      onIdle: () => process.stderr.write('Watching for changes; press Ctrl-C to stop.\n'),
      onError: (error) =>
        process.stderr.write(`runbooks lint: internal error, please report it:\n${(error as Error).stack ?? String(error)}\n`),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return EXIT.ok;
}

type Print = (diagnostics: Diagnostic[], fileCount: number, baselined?: number) => Promise<boolean>;

/** Says which accepted findings no longer occur, on stderr so that a machine-readable report stays clean; they do not fail the run. */
function reportStale(stale: readonly StaleEntry[], shownBaseline: string, root: string, cwd: string): void {
  if (stale.length === 0) return;
  const total = stale.reduce((sum, s) => sum + s.count, 0);
  const lines = stale
    .slice(0, 20)
    .map((s) => `  ${fromCwd(s.file, root, cwd)}  ${s.ruleId}  ${s.key}${s.count > 1 ? ` (×${s.count})` : ''}`);
  if (stale.length > 20) lines.push(`  … and ${stale.length - 20} more`);
  process.stderr.write(
    `runbooks lint: ${total} finding${total === 1 ? '' : 's'} in ${shownBaseline} no longer occur${total === 1 ? 's' : ''} (fixed, or the file moved):\n${lines.join('\n')}\n` +
      'Run `runbooks lint --baseline-update` to prune them, so that they cannot come back unnoticed.\n',
  );
}

/** `--baseline-update`: every finding that may be accepted goes into the baseline; the others are reported and still fail. */
async function updateBaseline(
  diagnostics: Diagnostic[],
  file: string,
  shown: string,
  root: string,
  cwd: string,
  print: Print,
  fileCount: number,
): Promise<number> {
  const before = readBaseline(file, false);
  const next = createBaseline(diagnostics);
  const accepted = baselineSize(next);
  // Against the old file (an unreadable one counts as empty): what is new, and what was fixed since.
  const old = applyBaseline(diagnostics, before.baseline ?? { version: 1, files: {} });
  const added = old.diagnostics.filter(isBaselineable).length;
  const pruned = old.stale.reduce((sum, s) => sum + s.count, 0);
  try {
    await writeFileAtomic(file, formatBaseline(next));
  } catch (error) {
    process.stderr.write(`runbooks lint: cannot write the baseline ${shown}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const rest = diagnostics.filter((d) => !isBaselineable(d));
  if (!(await print(relativeToCwd(rest, root, cwd), fileCount, accepted))) return EXIT.usage;
  const files = Object.keys(next.files).length;
  process.stderr.write(
    `runbooks lint: wrote ${shown}: ${accepted} finding${accepted === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} accepted (${added} added, ${pruned} pruned)` +
      `${rest.length > 0 ? `; ${rest.length} cannot be baselined (unreadable input, config or suppression problems) and still count` : ''}\n`,
  );
  return countDiagnostics(rest).errors > 0 ? EXIT.problems : EXIT.ok;
}

/** `runbooks lint`: check runbooks against the alerting rules. */
export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check runbooks against the alerting rules (the default command)',
  usage: '[options]',
  help: `  -c, --config <path>     Config file (default: runbooks.config.yaml, searched upwards)
  -f, --format <name>     Output format: ${Object.keys(reporters).join(', ')} (default: stylish)
  -o, --output <file>     Write the report to a file; the console still gets the stylish summary
      --max-warnings <n>  Exit 1 when there are more than n warnings
      --quiet             Report errors only
      --since <git-ref>   Report only findings in files changed since the ref (all files are still read)
      --watch             Check again on every change to a runbook, rule file, the schema or the config
      --no-cache          Parse every file, without reading or writing the parse cache
      --cache-location <dir>  Folder the parse cache keeps for its own (default: .cache/runbooks/ beside the config); refused if it holds anything else
      --baseline <file>   Accepted findings; only others fail (default: the config's baseline, else runbooks-baseline.json beside it)
      --baseline-update   Write every current finding into the baseline (adding new ones, pruning fixed ones)`,
  options: {
    config: { type: 'string', short: 'c' },
    format: { type: 'string', short: 'f', default: 'stylish' },
    output: { type: 'string', short: 'o' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    since: { type: 'string' },
    watch: { type: 'boolean', default: false },
    'no-cache': { type: 'boolean', default: false },
    'cache-location': { type: 'string' },
    baseline: { type: 'string' },
    'baseline-update': { type: 'boolean', default: false },
  },
  async run(values, positionals, { cwd, toolVersion }) {
    if (positionals.length > 0) {
      process.stderr.write(`runbooks lint: unexpected argument "${positionals[0]}"; files come from the config\n`);
      return EXIT.usage;
    }
    const format = String(values.format);
    const reporter = reporters[format];
    if (!reporter) {
      process.stderr.write(`runbooks lint: unknown format "${format}"; use one of ${Object.keys(reporters).join(', ')}\n`);
      return EXIT.usage;
    }
    let maxWarnings: number | undefined;
    if (values['max-warnings'] !== undefined) {
      const given = String(values['max-warnings']);
      // Only digits: Number() would take "", " 5", "0x10" and "1e3".
      maxWarnings = /^\d{1,15}$/.test(given) ? Number(given) : Number.NaN;
      if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
        process.stderr.write(`runbooks lint: --max-warnings takes a whole number, not "${String(values['max-warnings'])}"\n`);
        return EXIT.usage;
      }
    }
    const update = values['baseline-update'] === true;
    if (update && (values.since !== undefined || values.watch)) {
      process.stderr.write(
        `runbooks lint: --baseline-update records every finding; it cannot be combined with ${values.since !== undefined ? '--since' : '--watch'}\n`,
      );
      return EXIT.usage;
    }
    if (values.watch) return watchLint(values, positionals, { cwd, toolVersion });
    // The engine loads here, not at the top: every command, `--version` and `--help` load this file, and need none of it.
    const [
      { loadCheckedConfig },
      { docsUrlFor, lint },
      { checks },
      { checkedCacheLocation },
      { noConfigMessage, unmatchedPatternProblems },
    ] = await Promise.all([
      import('../lib/config/checked-config.ts'),
      import('../lib/engine/lint.ts'),
      import('../lib/checks/index.ts'),
      import('../lib/perf/cache.ts'),
      import('../lib/engine/unmatched.ts'),
    ]);
    const output = values.output === undefined ? undefined : path.resolve(cwd, String(values.output));
    const loaded = loadCheckedConfig(cwd, values.config as string | undefined);
    // Without site.url (or without a config) findings carry no docs link rather than a guessed one.
    const docsUrl = (id: string): string | undefined => (loaded.config ? docsUrlFor(loaded.config, id) : undefined);
    /** Prints the report, and writes it to --output; false when that file cannot be written. Paths must already be relative to cwd. */
    const print = async (diagnostics: Diagnostic[], fileCount: number, baselined?: number): Promise<boolean> => {
      const input = {
        diagnostics,
        counts: countDiagnostics(diagnostics),
        checks,
        fileCount,
        toolVersion,
        docsUrlFor: docsUrl,
        baselined,
        srcRoot: cwd,
      };
      process.stdout.write((output ? stylish : reporter)({ ...input, color: useColor() }));
      // SARIF and JUnit have no place a reader sees for it; stylish, json and github say it themselves.
      if (!output && baselined !== undefined && (format === 'sarif' || format === 'junit')) {
        process.stderr.write(`runbooks lint: ${baselined} finding${baselined === 1 ? '' : 's'} accepted by the baseline, not reported\n`);
      }
      if (!output) return true;
      try {
        await writeFileAtomic(output, reporter({ ...input, color: false }));
        return true;
      } catch (error) {
        process.stderr.write(`runbooks lint: cannot write --output ${String(values.output)}: ${(error as Error).message}\n`);
        return false;
      }
    };
    if (!loaded.ok) {
      await print(loaded.problems, 1);
      return EXIT.usage;
    }
    const located = values['no-cache']
      ? undefined
      : checkedCacheLocation(loaded.config.root, cwd, values['cache-location'] as string | undefined);
    if (located && 'error' in located) {
      process.stderr.write(`runbooks lint: ${located.error}\n`);
      return EXIT.usage;
    }
    const cacheLocation = located?.location;
    // A bad ref is a usage error, found before the (longer) lint run.
    const since = values.since === undefined ? undefined : await import('../lib/project/changed-files.ts');
    const changed = since && (await since.changedFiles(loaded.config.root, String(values.since)));
    if (changed?.error !== undefined) {
      process.stderr.write(`runbooks lint: --since: ${changed.error}\n`);
      return EXIT.usage;
    }
    const config = loaded.config;
    const where = baselinePath(config, cwd, values.baseline as string | undefined);
    const shownBaseline = fromCwd(where.file, cwd, cwd);
    let baseline: Baseline | undefined;
    if (!update) {
      const read = readBaseline(where.file, where.explicit);
      if (read.problem !== undefined) {
        process.stderr.write(`runbooks lint: baseline ${shownBaseline}: ${read.problem}\n`);
        return EXIT.usage;
      }
      baseline = read.baseline;
    }
    const result = await lint(config, { cacheLocation, baseline });
    const unmatched = result.project.unmatchedPatterns ?? [];
    if (unmatched.length > 0) {
      if (!config.configFile) {
        process.stderr.write(noConfigMessage(cwd, unmatched));
        return EXIT.usage;
      }
      await print(unmatchedPatternProblems(config, unmatched), 1);
      return EXIT.usage;
    }
    const fileCount = result.project.ruleFiles.length + result.project.runbooks.length;
    if (update) return updateBaseline(result.diagnostics, where.file, shownBaseline, config.root, cwd, print, fileCount);
    reportStale(result.staleBaseline, shownBaseline, config.root, cwd);
    const found = since && changed ? since.onlyInFiles(result.diagnostics, changed.files) : result.diagnostics;
    const counts = countDiagnostics(found);
    const shown = values.quiet ? found.filter((d) => d.severity === 'error') : found;
    const baselined = baselineSize(baseline ?? { version: 1, files: {} }) > 0 ? result.baselined.length : undefined;
    if (!(await print(relativeToCwd(shown, config.root, cwd), fileCount, baselined))) return EXIT.usage;
    // A rules server that cannot be read is a configuration problem (exit 2), found only while loading.
    if (result.diagnostics.some((d) => d.ruleId === CONFIG_ERROR)) return EXIT.usage;
    if (counts.errors > 0) return EXIT.problems;
    if (maxWarnings !== undefined && counts.warnings > maxWarnings) {
      process.stderr.write(`runbooks lint: ${counts.warnings} warnings, more than --max-warnings ${maxWarnings} allows\n`);
      return EXIT.problems;
    }
    return EXIT.ok;
  },
};
