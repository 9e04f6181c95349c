import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { removeDir, startServer, tempDir, type RunningServer } from './servers.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const astro = join(root, 'node_modules/astro/bin/astro.mjs');
// Tests must not reach the network; Astro would otherwise send telemetry.
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };

/** Builds the site into a fresh temporary folder, so parallel builds and the author's dist/ do not collide. */
export async function buildSite(): Promise<string> {
  const dir = await tempDir('runbooks-site');
  const outDir = join(dir, 'dist');
  // astro.config.mjs reads RUNBOOKS_SITE_CACHE: a build of its own must not share Astro's content
  // cache with another one running at the same time.
  const buildEnv = { ...env, RUNBOOKS_SITE_CACHE: join(dir, 'cache') };
  // process.execPath is the project's Node 24; astro's shebang would pick the machine's Node.
  await run(process.execPath, [astro, 'build', '--outDir', outDir], { cwd: root, env: buildEnv, maxBuffer: 32 * 1024 * 1024 }).catch(
    (error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`astro build failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    },
  );
  return outDir;
}

/** `astro preview` of a site built by `buildSite`, on a free loopback port; `stop()` also removes the build. */
export async function previewSite(outDir: string): Promise<RunningServer> {
  const removeBuild = (): Promise<void> => removeDir(resolve(outDir, '..'));
  const server = await startServer({
    name: 'astro preview',
    command: process.execPath,
    // --ignore-lock: other suites may run their own preview at the same time.
    args: (port) => [astro, 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--ignore-lock'],
    cwd: root,
    env,
    readyPath: '/',
    timeoutMs: 60_000,
  }).catch(async (error: unknown) => {
    await removeBuild();
    throw error;
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await removeBuild();
    },
  };
}
