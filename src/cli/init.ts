import { EXIT, type Command } from './command.ts';

/** `runbooks init`: set the tool up in an existing repository. */
export const initCommand: Command = {
  name: 'init',
  summary: 'Set up this repository: find its rule files and runbooks, write the config, schema, template and a lint:runbooks script',
  usage: '',
  help: '  (none: rule files and manifests are found by their content, the runbooks folder by what its files name; no file is replaced)',
  options: {},
  async run(_values, positionals, { cwd }) {
    if (positionals.length > 0) {
      process.stderr.write(`runbooks init: unexpected argument "${positionals[0]}"; run it in the repository's root folder\n`);
      return EXIT.usage;
    }
    const { init, initReport } = await import('../lib/commands/init.ts');
    const result = await init({ cwd });
    if (result.problem) {
      process.stderr.write(`runbooks init: ${result.problem}\nNothing was written.\n`);
      return EXIT.problems;
    }
    process.stdout.write(initReport(result));
    return EXIT.ok;
  },
};
