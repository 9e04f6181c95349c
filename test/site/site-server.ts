/**
 * One built site per test file: `astro build` into a temporary folder (with its own content cache,
 * so parallel builds of different projects do not share one), then `astro preview` on loopback.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { removeDir, startServer, tempDir, type RunningServer } from '../support/servers.ts';

const run = promisify(execFile);
/** The repository root, where astro.config.mjs is. */
export const ROOT = resolve(import.meta.dirname, '../..');
const astro = join(ROOT, 'node_modules/astro/bin/astro.mjs');

/** The day the site tests build as, so staleness does not drift with the calendar. */
export const TODAY = '2026-11-21';

/** What `astro build` printed and how it ended. */
export interface BuildOutcome {
  outDir: string;
  ok: boolean;
  output: string;
}

/** Environment of a build or preview of the project whose config is `config` (default: the bundled example). */
function siteEnv(config: string | undefined, cacheDir: string): NodeJS.ProcessEnv {
  // Vitest mirrors import.meta.env into process.env (BASE_URL=/, MODE=test…); Astro would take
  // BASE_URL from there over the configured base, so the child gets the environment without them.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'FORCE_COLOR'].includes(name) && !name.startsWith('VITEST'),
    ),
  );
  return {
    ...inherited,
    ASTRO_TELEMETRY_DISABLED: '1',
    // Tests read the build's report as plain text.
    NO_COLOR: '1',
    RUNBOOKS_TODAY: TODAY,
    RUNBOOKS_SITE_CACHE: cacheDir,
    ...(config ? { RUNBOOKS_CONFIG: config } : { RUNBOOKS_CONFIG: '' }),
  };
}

/** Builds the site of `config` into a fresh temporary folder; resolves also when the build fails. */
export async function buildSite(config?: string): Promise<BuildOutcome> {
  const dir = await tempDir('runbooks-site-test');
  const outDir = join(dir, 'dist');
  try {
    // process.execPath is the project's Node 24 under vitest; astro's shebang would pick the machine's Node.
    const { stdout, stderr } = await run(process.execPath, [astro, 'build', '--outDir', outDir], {
      cwd: ROOT,
      env: siteEnv(config, join(dir, 'cache')),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { outDir, ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    return { outDir, ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A built site served by `astro preview`; `stop()` ends the server and removes the build. */
export interface SiteServer {
  /** Origin plus base, ending in a slash: http://127.0.0.1:PORT/runbooks/ */
  url: string;
  origin: string;
  stop(): Promise<void>;
}

/** Builds and previews the site of `config`, whose pages live under `base`. */
export async function startSite(config?: string, base = '/'): Promise<SiteServer> {
  const build = await buildSite(config);
  if (!build.ok || !existsSync(join(build.outDir, 'index.html'))) throw new Error(`astro build failed:\n${build.output}`);
  let server: RunningServer;
  try {
    server = await startServer({
      name: 'astro preview',
      command: process.execPath,
      args: (port) => [astro, 'preview', '--outDir', build.outDir, '--host', '127.0.0.1', '--port', String(port), '--ignore-lock'],
      cwd: ROOT,
      env: siteEnv(config, join(build.outDir, '..', 'cache')),
      readyPath: base,
      timeoutMs: 60_000,
    });
  } catch (error) {
    await removeDir(resolve(build.outDir, '..'));
    throw error;
  }
  return {
    url: `${server.url}${base}`,
    origin: server.url,
    stop: async () => {
      await server.stop();
      await removeDir(resolve(build.outDir, '..'));
    },
  };
}

/** Debian's chromium, headless, as the issue asks. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** axe-core's source, injected into pages under test. */
const AXE_SOURCE = join(ROOT, 'node_modules/axe-core/axe.min.js');
let axeSource: string | undefined;

/** What axe-core finds wrong on the page as it is now, one line per rule with the elements it names. */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(AXE_SOURCE, 'utf8');
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }
    ).axe.run();
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}
