/**
 * `runbooks dev` (`astro dev`, as `npm run dev`) on a copy of the sub-path fixture: a runbook with
 * findings shows them on its page, with their line and check, and the page drops a finding once the
 * file is fixed.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startServer, tempDir, type RunningServer } from '../support/servers.ts';
import { launchChromium, ROOT, TODAY } from './site-server.ts';

const fixture = path.join(import.meta.dirname, 'fixtures/subpath');
const RUNBOOK = 'runbooks/kubernetes/KubePodCrashLooping.md';
let dir: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  dir = await tempDir('runbooks-dev');
  cpSync(fixture, dir, { recursive: true });
  const file = path.join(dir, RUNBOOK);
  writeFileSync(file, readFileSync(file, 'utf8').replace('Open [the pod', 'See [the notes](./missing-notes.md).\n\nOpen [the pod'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'FORCE_COLOR'].includes(name) && !name.startsWith('VITEST'),
    ),
  );
  [server, browser] = await Promise.all([
    startServer({
      name: 'runbooks dev',
      command: process.execPath,
      // `runbooks dev` runs `astro dev` (what `npm run dev` runs) on the project of its config, from the project's folder.
      args: (port) => [path.join(ROOT, 'src/cli/bin.js'), 'dev', '--host', '127.0.0.1', '--port', String(port)],
      cwd: dir,
      env: { ...env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', RUNBOOKS_TODAY: TODAY, RUNBOOKS_SITE_CACHE: path.join(dir, '.cache') },
      readyPath: '/runbooks/',
      timeoutMs: 120_000,
    }),
    launchChromium(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await removeDir(dir);
});

async function findings(): Promise<string> {
  const html = await (await fetch(`${server.url}/runbooks/kubernetes/kubepodcrashlooping`)).text();
  return /<section class="findings"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
}

describe('runbooks dev', () => {
  it('shows the findings of a runbook on its page, with line and check, and the open page updates when the file is fixed', async () => {
    const before = await findings();
    expect(before).toContain('2 findings in runbooks/kubernetes/KubePodCrashLooping.md');
    expect(before).toMatch(
      /<code class="finding-at">30:5<\/code> <strong>error<\/strong> Link target \.\/missing-notes\.md does not exist <a class="finding-check" href="\/runbooks\/checks\/broken-link\/">broken-link<\/a>/,
    );
    expect(before).toContain('stale-review');
    const page = await browser.newPage();
    await page.goto(`${server.url}/runbooks/kubernetes/kubepodcrashlooping`);
    expect(await page.locator('#findings-heading').textContent()).toBe('2 findings in runbooks/kubernetes/KubePodCrashLooping.md');
    expect(await page.locator('.finding-error').innerText()).toMatch(/^30:5 error Link target/);
    const file = path.join(dir, RUNBOOK);
    writeFileSync(file, readFileSync(file, 'utf8').replace('See [the notes](./missing-notes.md).', 'See the notes.'));
    // No reload by the test: the dev server reloads the open page once the checks have run again.
    await expect
      .poll(
        () =>
          page
            .locator('#findings-heading')
            .textContent()
            .catch(() => ''),
        { timeout: 30_000, interval: 500 },
      )
      .toBe('1 finding in runbooks/kubernetes/KubePodCrashLooping.md');
    expect(await page.locator('.finding-error').count()).toBe(0);
    expect(await findings()).not.toContain('broken-link');
  }, 60_000);
});
