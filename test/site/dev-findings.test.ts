/**
 * `npm run dev` (astro dev) on a copy of the sub-path fixture: a runbook with findings shows them on
 * its page, with their line and check, and the page drops a finding once the file is fixed.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, tempDir, type RunningServer } from '../support/servers.ts';
import { ROOT, TODAY } from './site-server.ts';

const fixture = path.join(import.meta.dirname, 'fixtures/subpath');
const RUNBOOK = 'runbooks/kubernetes/KubePodCrashLooping.md';
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await tempDir('runbooks-dev');
  cpSync(fixture, dir, { recursive: true });
  const file = path.join(dir, RUNBOOK);
  writeFileSync(file, readFileSync(file, 'utf8').replace('Open [the pod', 'See [the notes](./missing-notes.md).\n\nOpen [the pod'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) =>
    !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'FORCE_COLOR'].includes(name) && !name.startsWith('VITEST')));
  server = await startServer({
    name: 'astro dev',
    command: process.execPath,
    args: (port) => [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'dev', '--host', '127.0.0.1', '--port', String(port)],
    cwd: ROOT,
    env: { ...env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', RUNBOOKS_TODAY: TODAY, RUNBOOKS_CONFIG: path.join(dir, 'runbooks.config.yaml'), RUNBOOKS_SITE_CACHE: path.join(dir, '.cache') },
    readyPath: '/runbooks/',
    timeoutMs: 120_000,
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await removeDir(dir);
});

async function findings(): Promise<string> {
  const html = await (await fetch(`${server.url}/runbooks/kubernetes/kubepodcrashlooping`)).text();
  return /<section class="findings"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
}

describe('astro dev', () => {
  it('shows the findings of a runbook on its page, with line and check, until the file is fixed', async () => {
    const before = await findings();
    expect(before).toContain('2 findings in runbooks/kubernetes/KubePodCrashLooping.md');
    expect(before).toMatch(/<code class="finding-at">30:5<\/code> <strong>error<\/strong> Link target \.\/missing-notes\.md does not exist <a class="finding-check" href="\/runbooks\/checks\/broken-link\/">broken-link<\/a>/);
    expect(before).toContain('stale-review');
    const file = path.join(dir, RUNBOOK);
    writeFileSync(file, readFileSync(file, 'utf8').replace('See [the notes](./missing-notes.md).', 'See the notes.'));
    await expect.poll(findings, { timeout: 30_000, interval: 500 }).not.toContain('broken-link');
    expect(await findings()).toContain('1 finding in');
  }, 60_000);
});
