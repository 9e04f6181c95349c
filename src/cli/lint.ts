import path from 'node:path';
import { cacheLocationFor } from '../lib/cache.ts';
import { checks } from '../lib/checks/index.ts';
import { CONFIG_ERROR, loadConfig } from '../lib/config.ts';
import { countDiagnostics, type Diagnostic } from '../lib/diagnostic.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { docsUrlFor, lint, validateCheckSettings } from '../lib/lint.ts';
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
    const { watchProject } = await import('../lib/watch.ts');
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
      onError: (error) => process.stderr.write(`runbooks lint: internal error, please report it:\n${(error as Error).stack ?? String(error)}\n`),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return EXIT.ok;
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
      --cache-location <path>  Parse cache file or folder (default: .cache/runbooks/ beside the config)`,
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
      maxWarnings = Number(values['max-warnings']);
      if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
        process.stderr.write(`runbooks lint: --max-warnings takes a whole number, not "${String(values['max-warnings'])}"\n`);
        return EXIT.usage;
      }
    }
    if (values.watch) return watchLint(values, positionals, { cwd, toolVersion });
    const output = values.output === undefined ? undefined : path.resolve(cwd, String(values.output));
    const loaded = loadConfig(cwd, values.config as string | undefined);
    const docsUrl = (id: string): string | undefined => (loaded.config ? docsUrlFor(loaded.config, id) : undefined);
    /** Prints the report, and writes it to --output; false when that file cannot be written. */
    const print = async (diagnostics: Diagnostic[], fileCount: number): Promise<boolean> => {
      const input = { diagnostics, counts: countDiagnostics(diagnostics), checks, fileCount, toolVersion, docsUrlFor: docsUrl };
      process.stdout.write((output ? stylish : reporter)({ ...input, color: useColor() }));
      if (!output) return true;
      try {
        await writeFileAtomic(output, reporter({ ...input, color: false }));
        return true;
      } catch (error) {
        process.stderr.write(`runbooks lint: cannot write --output ${String(values.output)}: ${(error as Error).message}\n`);
        return false;
      }
    };
    const configProblems = loaded.config ? validateCheckSettings(loaded.config) : loaded.diagnostics;
    if (!loaded.config || configProblems.length > 0) {
      await print(configProblems, 1);
      return EXIT.usage;
    }
    const cacheLocation = values['no-cache'] ? undefined : cacheLocationFor(loaded.config.root, cwd, values['cache-location'] as string | undefined);
    // A bad ref is a usage error, found before the (longer) lint run.
    const since = values.since === undefined ? undefined : await import('../lib/changed-files.ts');
    const changed = since && (await since.changedFiles(loaded.config.root, String(values.since)));
    if (changed?.error !== undefined) {
      process.stderr.write(`runbooks lint: --since: ${changed.error}\n`);
      return EXIT.usage;
    }
    const result = await lint(loaded.config, { cacheLocation });
    const found = since && changed ? since.onlyInFiles(result.diagnostics, changed.files) : result.diagnostics;
    const counts = countDiagnostics(found);
    const shown = values.quiet ? found.filter((d) => d.severity === 'error') : found;
    if (!(await print(shown, result.project.ruleFiles.length + result.project.runbooks.length))) return EXIT.usage;
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
