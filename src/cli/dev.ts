import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfig, TOOL_ROOT } from '../lib/config.ts';
import { EXIT, type Command } from './command.ts';

/**
 * `runbooks dev`: the site's live preview (`astro dev`) for the project of the config found from
 * the working directory, where each runbook page shows its lint findings and updates as files change.
 */
export const devCommand: Command = {
  name: 'dev',
  summary: 'Preview the site live, with each runbook\'s findings on its page',
  usage: '[options]',
  help: `  -c, --config <path>     Config file (default: runbooks.config.yaml, searched upwards)
      --port <n>          Port to listen on (default: Astro's, 4321)
      --host <address>    Address to listen on (default: localhost)`,
  options: {
    config: { type: 'string', short: 'c' },
    port: { type: 'string' },
    host: { type: 'string' },
  },
  async run(values, _positionals, { cwd }) {
    const loaded = loadConfig(cwd, values.config as string | undefined);
    if (!loaded.config?.configFile) {
      process.stderr.write('runbooks dev: no runbooks.config.yaml found (run `runbooks lint` to see why, or `runbooks init` to write one)\n');
      return EXIT.usage;
    }
    let astro: string;
    try {
      astro = path.join(path.dirname(createRequire(path.join(TOOL_ROOT, 'package.json')).resolve('astro/package.json')), 'bin/astro.mjs');
    } catch {
      astro = '';
    }
    if (!astro || !existsSync(astro) || !existsSync(path.join(TOOL_ROOT, 'astro.config.mjs'))) {
      process.stderr.write('runbooks dev: the site needs Astro beside runbooks (npm install astro)\n');
      return EXIT.usage;
    }
    const args = [astro, 'dev', ...(values.port ? ['--port', String(values.port)] : []), ...(values.host ? ['--host', String(values.host)] : [])];
    // The site's Astro config reads the project from RUNBOOKS_CONFIG, as `npm run build` does.
    const child = spawn(process.execPath, args, { cwd: TOOL_ROOT, stdio: 'inherit', env: { ...process.env, RUNBOOKS_CONFIG: loaded.config.configFile } });
    const stop = (): void => void child.kill('SIGTERM');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code ?? EXIT.ok));
      child.once('error', (error) => {
        process.stderr.write(`runbooks dev: ${error.message}\n`);
        resolve(EXIT.usage);
      });
    });
  },
};
