import type { Check } from '../lib/checks/define.ts';
import { compareDiagnostics, countDiagnostics, type Diagnostic } from '../lib/engine/diagnostic.ts';
import { reporters } from '../lib/reporters/index.ts';
import { fromCwd, relativeToCwd } from '../lib/engine/results.ts';
import { EXIT, type Command } from './command.ts';

function printProblems(diagnostics: Diagnostic[], toolVersion: string, checks: readonly Check[]): void {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const stylish = reporters.stylish;
  if (stylish)
    process.stderr.write(
      stylish({ diagnostics: sorted, counts: countDiagnostics(sorted), checks, fileCount: 0, toolVersion, color: false }),
    );
}

/** `runbooks fix`: write or correct the runbook_url annotation of every alert that has a runbook. */
export const fixCommand: Command = {
  name: 'fix',
  summary: 'Write or correct the runbook_url annotation of every alert that has a runbook',
  usage: '[options]',
  help: `  -c, --config <path>     Config file (default: runbooks.config.yaml, searched upwards)
      --dry-run           Print a unified diff of the changes; write nothing
      --check             Write nothing; exit 1 when some annotation would change`,
  options: {
    config: { type: 'string', short: 'c' },
    'dry-run': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
  async run(values, positionals, { cwd, toolVersion }) {
    if (positionals.length > 0) {
      process.stderr.write(`runbooks fix: unexpected argument "${positionals[0]}"; files come from the config\n`);
      return EXIT.usage;
    }
    // Loaded here, not at the top: every command, `--version` and `--help` load this file.
    const [{ loadCheckedConfig }, { loadProject }, { checks }, { checkOptions, checkSeverity }, { default: runbookUrl }] =
      await Promise.all([
        import('../lib/config/checked-config.ts'),
        import('../lib/project/load-project.ts'),
        import('../lib/checks/index.ts'),
        import('../lib/checks/options.ts'),
        import('../lib/checks/runbook-url.ts'),
      ]);
    const loaded = loadCheckedConfig(cwd, values.config as string | undefined);
    if (!loaded.ok) {
      printProblems(loaded.problems, toolVersion, checks);
      return EXIT.usage;
    }
    const config = loaded.config;
    if (!config.runbookUrl) {
      process.stderr.write(
        'runbooks fix: the config sets no `runbookUrl`, so there is no link to write.\n' +
          'Add e.g. `runbookUrl: https://runbooks.example.com/alerts/{alert}/` to runbooks.config.yaml.\n',
      );
      return EXIT.usage;
    }
    if (checkSeverity(config, runbookUrl) === 'off') {
      // Fix writes what lint asks for; with the check off, lint asks for nothing.
      process.stdout.write('The runbook-url check is off in the config, so runbooks fix leaves the annotations alone.\n');
      return EXIT.ok;
    }
    const project = await loadProject(config);
    // Loaded here, not at the top: every `runbooks lint` loads this file, and the diff library with it.
    const { applyFixes, planFixes, unifiedDiff } = await import('../lib/commands/fix.ts');
    const plan = await planFixes(project);
    const annotation = String(checkOptions(config, runbookUrl).annotation);
    const dryRun = values['dry-run'] === true || values.check === true;
    if (values['dry-run'] === true) for (const fix of plan.fixes) process.stdout.write(unifiedDiff(fix));
    const problems = [...plan.diagnostics, ...(dryRun ? [] : await applyFixes(config.root, plan))];
    const failed = new Set(problems.map((d) => d.file));
    const written = plan.fixes.filter((fix) => !failed.has(fix.file));
    const count = written.reduce((n, fix) => n + fix.changed.length, 0);
    // With --dry-run stdout carries only the diff, so it can be piped to `git apply`.
    const say = (line: string): boolean => (values['dry-run'] === true ? process.stderr : process.stdout).write(`${line}\n`);
    for (const fix of written) {
      say(
        `${dryRun ? 'Would fix' : 'Fixed'} ${fix.changed.length} ${annotation} annotation${fix.changed.length === 1 ? '' : 's'} in ${fromCwd(fix.file, config.root, cwd)}`,
      );
    }
    if (problems.length > 0) printProblems(relativeToCwd(problems, config.root, cwd), toolVersion, checks);
    if (plan.fixes.length === 0 && problems.length === 0) say(`Every ${annotation} annotation is right; nothing to fix.`);
    else if (written.length > 0)
      say(
        `${dryRun ? 'Would change' : 'Changed'} ${count} annotation${count === 1 ? '' : 's'} in ${written.length} file${written.length === 1 ? '' : 's'}.`,
      );
    if (problems.length > 0) return EXIT.problems;
    return values.check === true && plan.fixes.length > 0 ? EXIT.problems : EXIT.ok;
  },
};
