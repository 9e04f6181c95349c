import { countDiagnostics } from '../lib/engine/diagnostic.ts';
import { reporters } from '../lib/reporters/index.ts';
import { fromCwd } from '../lib/engine/results.ts';
import { EXIT, type Command } from './command.ts';

/** `runbooks new`: create runbooks from the team's template, pre-filled from the alert rules. */
export const newCommand: Command = {
  name: 'new',
  summary: 'Create runbooks for alerts from the template, pre-filled from their rules',
  usage: '<AlertName>... | --missing [options]',
  help: `  -c, --config <path>     Config file (default: runbooks.config.yaml, searched upwards)
      --missing           Create a runbook for every alert that has none (and is not ignored)
      --owner <team>      Owner for the frontmatter (default: the alert's owner or team label, else TODO)`,
  options: {
    config: { type: 'string', short: 'c' },
    missing: { type: 'boolean', default: false },
    owner: { type: 'string' },
  },
  async run(values, positionals, { cwd, toolVersion }) {
    const missing = values.missing === true;
    if (missing === positionals.length > 0) {
      process.stderr.write(
        missing
          ? 'runbooks new: give alert names or --missing, not both\n'
          : 'runbooks new: name the alerts to create runbooks for (runbooks new HostDown), or use --missing\n',
      );
      return EXIT.usage;
    }
    const owner = values.owner as string | undefined;
    if (owner !== undefined && owner.trim() === '') {
      process.stderr.write('runbooks new: --owner needs a value\n');
      return EXIT.usage;
    }
    // Loaded here, not at the top: every command, `--version` and `--help` load this file.
    const [{ loadCheckedConfig }, { loadProject }, { checks }] = await Promise.all([
      import('../lib/config/checked-config.ts'),
      import('../lib/project/load-project.ts'),
      import('../lib/checks/index.ts'),
    ]);
    const loaded = loadCheckedConfig(cwd, values.config as string | undefined);
    if (!loaded.ok) {
      const stylish = reporters.stylish;
      if (stylish)
        process.stderr.write(
          stylish({
            diagnostics: loaded.problems,
            counts: countDiagnostics(loaded.problems),
            checks,
            fileCount: 1,
            toolVersion,
            color: false,
          }),
        );
      return EXIT.usage;
    }
    const { createRunbooks, missingRunbooks, readTemplate } = await import('../lib/commands/scaffold.ts');
    const template = await readTemplate(loaded.config);
    if ('problem' in template) {
      process.stderr.write(`runbooks new: ${template.problem}; check \`template\` in the config\n`);
      return EXIT.usage;
    }
    const project = await loadProject(loaded.config);
    const names = missing ? missingRunbooks(project) : positionals;
    if (names.length === 0) {
      process.stdout.write('Every alert has a runbook (or is ignored); nothing to create.\n');
      return EXIT.ok;
    }
    const root = loaded.config.root;
    const results = await createRunbooks(project, names, template.text, owner === undefined ? {} : { owner });
    for (const result of results) {
      if (result.created) process.stdout.write(`Created ${fromCwd(result.file as string, root, cwd)} for alert ${result.alert}\n`);
      for (const warning of result.warnings) process.stderr.write(`runbooks new: warning: ${warning}\n`);
      if (result.problem) process.stderr.write(`runbooks new: ${result.problem}\n`);
    }
    const created = results.filter((r) => r.created).length;
    if (created > 0)
      process.stdout.write(
        `${created} runbook${created === 1 ? '' : 's'} created; write the parts marked TODO, then run \`runbooks lint\`.\n`,
      );
    return results.some((r) => r.problem) ? EXIT.problems : EXIT.ok;
  },
};
