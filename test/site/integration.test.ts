/**
 * The runbooks/astro integration's set-up, without building: which routes it injects below the
 * Astro site's base, when it adds the 404 page, and what it says when site.base lies outside.
 * (Builds with it: test/site/*.test.ts for this repository, test/e2e/package.test.ts for a team's site.)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import runbooks, { pageRoutes, type RunbooksOptions } from '../../src/astro/integration.ts';
import { REPO, tempDir } from '../harness.ts';

const ASTRO_DIR = path.join(REPO, 'src/astro');

const temp = tempDir('runbooks-integration-');
afterAll(temp.remove);

function project(name: string, base: string): string {
  const dir = path.join(temp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'runbooks.config.yaml'), `site:\n  base: ${base}\n`);
  return dir;
}

/** Runs the integration's astro:config:setup as Astro would; returns the injected routes. */
function setUp(root: string, astroBase: string, options: RunbooksOptions = {}): { pattern: string; entrypoint: string }[] {
  const routes: { pattern: string; entrypoint: string }[] = [];
  const hook = runbooks(options).hooks['astro:config:setup'];
  if (!hook) throw new Error('no astro:config:setup hook');
  const noop = (): void => undefined;
  // Only the members the hook uses; the rest of Astro's parameters play no part here.
  void hook({
    config: { root: pathToFileURL(`${root}/`), base: astroBase },
    command: 'build',
    injectRoute: (route: { pattern: string; entrypoint: string | URL }) =>
      routes.push({
        pattern: route.pattern,
        entrypoint: path.relative(ASTRO_DIR, fileURLToPath(route.entrypoint)).split(path.sep).join('/'),
      }),
    updateConfig: noop,
    addWatchFile: noop,
    logger: { info: noop, warn: noop, error: noop },
  } as never);
  return routes;
}

describe('the runbooks/astro integration', () => {
  it("mounts the runbook pages at site.base below the Astro site's own base, without taking its 404 page", () => {
    const routes = setUp(project('docs', '/docs/runbooks/'), '/docs');
    const byPattern = Object.fromEntries(routes.map((r) => [r.pattern, r.entrypoint]));
    expect(byPattern).toMatchObject({
      '/runbooks': 'pages/index.astro',
      '/runbooks/coverage': 'pages/coverage.astro',
      '/runbooks/checks': 'pages/checks/index.astro',
      '/runbooks/checks/[id]': 'pages/checks/[id].astro',
      '/runbooks/[...path]': 'pages/[...path].astro',
    });
    expect(Object.keys(byPattern).every((p) => p.startsWith('/runbooks'))).toBe(true);
    expect(byPattern['/runbooks/404']).toBeUndefined();
  });

  it('adds the 404 page when the runbooks are the whole site, or when asked', () => {
    expect(setUp(project('whole', '/'), '/').map((r) => r.pattern)).toContain('/404');
    expect(setUp(project('asked', '/runbooks/'), '/', { notFoundPage: true }).map((r) => r.pattern)).toContain('/runbooks/404');
  });

  it('says where to put site.base when it lies outside the Astro site', () => {
    expect(() => setUp(project('outside', '/runbooks/'), '/docs/')).toThrow(
      "runbooks: site.base /runbooks/ in runbooks.config.yaml is outside the Astro site's base /docs/; set site.base to a path below it, e.g. /docs/runbooks/",
    );
  });

  it('reads the config named in its options, relative to cwd', () => {
    const dir = project('named', '/');
    mkdirSync(path.join(dir, 'ops'), { recursive: true });
    writeFileSync(path.join(dir, 'ops/runbooks.yaml'), 'site:\n  base: /ops/\n');
    expect(setUp(dir, '/', { config: 'ops/runbooks.yaml' }).map((r) => r.pattern)).toContain('/ops/coverage');
  });
});

describe('the pages live in the integration', () => {
  const files = readdirSync(ASTRO_DIR, { recursive: true })
    .map(String)
    .map((f) => f.split(path.sep).join('/'));

  it("injects every page under src/astro/pages/, named as Astro's file-based routing would", () => {
    const injected = setUp(project('all-pages', '/'), '/')
      .map((r) => r.entrypoint)
      .sort();
    expect(injected).toEqual(files.filter((f) => f.startsWith('pages/') && /\.(astro|ts)$/.test(f)).sort());
    const dir = path.join(temp.dir, 'pages-of-a-branch');
    for (const file of ['index.astro', 'teams/index.astro', 'teams/[team].astro', 'situation.json.ts', 'types.d.ts']) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), '');
    }
    expect(pageRoutes(dir)).toEqual([
      { pattern: '', file: 'index.astro' },
      { pattern: 'situation.json', file: 'situation.json.ts' },
      { pattern: 'teams/[team]', file: 'teams/[team].astro' },
      { pattern: 'teams', file: 'teams/index.astro' },
    ]);
  });

  it("keeps no page, component or layout in src/ outside src/astro/ (only this repository would serve it, never a team's site)", () => {
    const outside = ['pages', 'components', 'layouts', 'styles', 'content.config.ts'].filter((name) =>
      existsSync(path.join(REPO, 'src', name)),
    );
    expect(outside, 'move them into src/astro/ (git mv; imports of ../lib/ get one more ../)').toEqual([]);
  });

  it("reads data through src/astro/data.ts, since an integration cannot add content collections to a team's site", () => {
    const users = files.filter((f) => f.endsWith('.astro') && readFileSync(path.join(ASTRO_DIR, f), 'utf8').includes("'astro:content'"));
    expect(users, "import getEntry and getCollection from '../data.ts' instead").toEqual([]);
  });
});
