#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { toolVersion } from '../lib/config/tool.ts';
import { parseTimeoutFromEnv } from '../lib/perf/workers/timeout.ts';
import { EXIT, type Command } from './command.ts';
import { fixCommand } from './fix.ts';
import { initCommand } from './init.ts';
import { lintCommand } from './lint.ts';
import { newCommand } from './new.ts';
import { buildCommand, devCommand, previewCommand } from './site.ts';

/** Every command, in the order help lists them; the first is the default. */
const commands: Command[] = [lintCommand, fixCommand, newCommand, initCommand, buildCommand, devCommand, previewCommand];

const version = toolVersion;

function usage(command?: Command): string {
  if (command) {
    return `Usage: runbooks ${command.name} ${command.usage}\n\n${command.summary}.\n\nOptions:\n${command.help}\n  -h, --help              Show this help\n`;
  }
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `Usage: runbooks <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Run \`runbooks <command> --help\` for its options.
  -h, --help      Show this help
  -v, --version   Show the version

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage or config error.
`;
}

async function main(argv: string[]): Promise<number> {
  const named = commands.find((c) => c.name === argv[0]);
  const command = named ?? (commands[0] as Command);
  const args = named ? argv.slice(1) : argv;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`runbooks: ${(error as Error).message}\n\n${usage(named)}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (values.help) {
    process.stdout.write(usage(named));
    return EXIT.ok;
  }
  if (!named && positionals.length > 0) {
    process.stderr.write(`runbooks: unknown command "${positionals[0]}"\n\n${usage()}`);
    return EXIT.usage;
  }
  // Read where files are parsed (project/load-project.ts); a value that is not a number of seconds is refused here, not ignored there.
  const timeout = parseTimeoutFromEnv();
  if ('error' in timeout) {
    process.stderr.write(`runbooks: ${timeout.error}\n`);
    return EXIT.usage;
  }
  return command.run(values, positionals, { cwd: process.cwd(), toolVersion: version() });
}

/**
 * Ends the process as soon as what it wrote has reached stdout and stderr (a pipe may still hold it
 * on some systems), rather than when the event loop runs dry: that waits for whatever a command left
 * behind (an idle worker, a timer) and then tears the whole heap down, which after a large project
 * takes a noticeable part of the run.
 */
function exit(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit()));
}

main(process.argv.slice(2)).then(exit, (error: unknown) => {
  // Only a bug in this tool gets here: user errors are diagnostics. Show the stack so it can be reported.
  process.stderr.write(`runbooks: internal error, please report it:\n${(error as Error).stack ?? String(error)}\n`);
  exit(EXIT.usage);
});
