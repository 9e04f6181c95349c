import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroInlineConfig } from 'astro';
import type { Config } from '../lib/config/config.ts';
import { EXIT, type Command, type Values } from './command.ts';

const SITE_HELP = `  -c, --config <path>     Config file (default: runbooks.config.yaml, searched upwards)`;
const SERVER_HELP = `      --host <address>    Address to listen on (default: localhost)
      --port <n>          Port to listen on (default: 4321, or the next free one)`;

const siteOptions = { config: { type: 'string', short: 'c' } } as const;
const serverOptions = { host: { type: 'string' }, port: { type: 'string' } } as const;

/** Where `runbooks build` writes and `runbooks preview` serves: --out-dir, else site.outDir (default dist/ beside the config). */
function outDirOf(values: Values, config: Config, cwd: string): string {
  return values['out-dir'] === undefined ? config.site.outDir : path.resolve(cwd, String(values['out-dir']));
}

/**
 * The Astro config of a team's site, inline: the team has no Astro project, only its
 * runbooks.config.yaml. Astro's root is a work folder, .cache/runbooks-site/ beside the config
 * (Astro writes .astro/ and node_modules/.vite/ into its root), so the team's src/ and public/,
 * which may belong to something else, are never read as an Astro site's. Not inside
 * .cache/runbooks/: the lint cache owns that folder and refuses one holding anything else.
 */
async function inlineConfig(config: Config, values: Values, cwd: string, command: 'build' | 'dev' | 'preview'): Promise<AstroInlineConfig> {
  const { default: runbooks } = await import('../astro/integration.ts');
  const { toolRoot } = await import('../lib/config/tool.ts');
  const TOOL_ROOT = toolRoot();
  const work = path.join(config.root, '.cache/runbooks-site');
  const pagesFrom = await pagesInside(work, TOOL_ROOT, fileURLToPath(new URL('../astro/', import.meta.url)));
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port takes a port number, not "${String(values.port)}"`);
  }
  return {
    root: work,
    configFile: false,
    cacheDir: path.join(work, 'cache'),
    outDir: outDirOf(values, config, cwd),
    site: config.site.url,
    base: config.site.base,
    // Runbook URLs may end with a slash or not ({folder}/{alert|lower}); pages answer to both.
    trailingSlash: 'ignore',
    build: { format: 'directory', inlineStylesheets: 'always' },
    devToolbar: { enabled: false },
    server: { ...(values.host === undefined ? {} : { host: String(values.host) }), ...(port === undefined ? {} : { port }) },
    mode: command === 'dev' ? 'development' : 'production',
    integrations: [
      runbooks({ cwd: config.root, ...(config.configFile ? { config: config.configFile } : {}), ...(pagesFrom ? { pagesFrom } : {}) }),
    ],
    vite: {
      // The dev server serves the pages' scripts from this package and Astro's, outside the work
      // folder that is its root: under the team's node_modules, or wherever a global install is.
      server: { fs: { allow: [work, config.root, TOOL_ROOT] } },
      // Keeps the pages' paths inside the root when they are reached through the link (see pagesInside).
      ...(pagesFrom ? { resolve: { preserveSymlinks: true } } : {}),
      plugins: [
        {
          name: 'runbooks:astro-of-this-package',
          enforce: 'pre',
          // Astro's entry and virtual modules import astro/… as if from the root, which a global
          // install (npm install -g) leaves without node_modules/astro: then take this package's Astro.
          async resolveId(id, importer, options) {
            if (!(id === 'astro' || id.startsWith('astro/'))) return null;
            const found = await this.resolve(id, importer, { ...options, skipSelf: true });
            return found ?? (await this.resolve(id, path.join(TOOL_ROOT, 'package.json'), { ...options, skipSelf: true }));
          },
        },
      ],
    },
  };
}

class UsageError extends Error {}

/**
 * Astro compiles a page's scripts only when the page shares a folder with Astro's root below the
 * file system's root (a package in the team's node_modules does; a global install in /usr/lib does
 * not). Then the pages are reached through a symbolic link inside the work folder; undefined when
 * no link is needed.
 */
async function pagesInside(work: string, packageRoot: string, pages: string): Promise<string | undefined> {
  const first = (p: string): string => path.resolve(p).split(path.sep)[1] ?? '';
  if (first(work) === first(pages)) return undefined;
  // A link to the whole package: the pages import its compiled modules by relative paths.
  const link = path.join(work, 'package');
  await mkdir(work, { recursive: true });
  await rm(link, { force: true });
  await symlink(packageRoot, link, 'dir');
  return path.join(link, path.relative(packageRoot, pages));
}

/** Loads the config for a site command, or prints why it cannot and returns the exit code. */
async function loadSiteConfig(values: Values, cwd: string): Promise<Config | number> {
  // Loaded here, not at the top: every `runbooks lint` loads this file, and the site's modules are heavier.
  const { siteConfig, SiteBuildError } = await import('../lib/site/load-site.ts');
  try {
    return siteConfig({ cwd, config: values.config as string | undefined, color: process.stderr.isTTY === true && !process.env.NO_COLOR });
  } catch (error) {
    if (!(error instanceof SiteBuildError)) throw error;
    process.stderr.write(error.report);
    return EXIT.usage;
  }
}

/** A SiteBuildError as Vite rethrows it: the same object, or a wrapper that keeps its message. */
function isSiteBuildError(error: unknown): boolean {
  if (error instanceof Error && error.name === 'SiteBuildError') return true;
  const message = error instanceof Error ? error.message : String(error);
  return /The (runbooks|configuration) ha(ve|s) errors; the site is not built\./.test(message);
}

/** Runs one Astro command on the team's site, mapping failures to exit codes. */
async function runSite(command: 'build' | 'dev' | 'preview', values: Values, positionals: string[], cwd: string): Promise<number> {
  if (positionals.length > 0) {
    process.stderr.write(`runbooks ${command}: unexpected argument "${positionals[0]}"; files come from the config\n`);
    return EXIT.usage;
  }
  const config = await loadSiteConfig(values, cwd);
  if (typeof config === 'number') return config;
  // Astro asks to send usage data from a team's CI; it stays off unless the team turns it on.
  process.env.ASTRO_TELEMETRY_DISABLED ??= '1';
  let inline: AstroInlineConfig;
  try {
    inline = await inlineConfig(config, values, cwd, command);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`runbooks ${command}: ${error.message}\n`);
    return EXIT.usage;
  }
  if (command === 'preview' && !existsSync(String(inline.outDir))) {
    process.stderr.write(
      `runbooks preview: ${path.relative(cwd, String(inline.outDir)) || '.'} does not exist; run \`runbooks build\` first (or give --out-dir)\n`,
    );
    return EXIT.usage;
  }
  const astro = await import('astro');
  try {
    if (command === 'build') {
      await astro.build(inline);
      process.stderr.write(`runbooks build: the site is in ${path.relative(cwd, String(inline.outDir)) || '.'}\n`);
      return EXIT.ok;
    }
    const server = command === 'dev' ? await astro.dev(inline) : await astro.preview(inline);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.stop();
    return EXIT.ok;
  } catch (error) {
    // Vite has printed the error above: the linter's report, or what Astro could not do (a team
    // stylesheet that does not parse, a port it cannot bind). One line says what it means.
    if (isSiteBuildError(error)) {
      process.stderr.write(`runbooks ${command}: the site is not built; fix the errors above (\`runbooks lint\` shows the same report)\n`);
      return EXIT.problems;
    }
    process.stderr.write(`runbooks ${command}: Astro stopped: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.problems;
  }
}

/** `runbooks build`: check, then build the site with its search index. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'Check, then build the runbook site with its search index (fails on any lint error)',
  usage: '[options]',
  help: `${SITE_HELP}
      --out-dir <dir>     Where to write the site (default: site.outDir, else dist/ beside the config)`,
  options: { ...siteOptions, 'out-dir': { type: 'string' } },
  run: (values, positionals, { cwd }) => runSite('build', values, positionals, cwd),
};

/** `runbooks dev`: the site with live reload, for authors. */
export const devCommand: Command = {
  name: 'dev',
  summary: 'Serve the site for authors, reloading as runbooks, rules or the config change',
  usage: '[options]',
  help: `${SITE_HELP}\n${SERVER_HELP}`,
  options: { ...siteOptions, ...serverOptions },
  run: (values, positionals, { cwd }) => runSite('dev', values, positionals, cwd),
};

/** `runbooks preview`: serve the built site (search needs HTTP, not file://). */
export const previewCommand: Command = {
  name: 'preview',
  summary: 'Serve the built site, as it will be published',
  usage: '[options]',
  help: `${SITE_HELP}
      --out-dir <dir>     The built site (default: site.outDir, else dist/ beside the config)
${SERVER_HELP}`,
  options: { ...siteOptions, ...serverOptions, 'out-dir': { type: 'string' } },
  run: (values, positionals, { cwd }) => runSite('preview', values, positionals, cwd),
};
