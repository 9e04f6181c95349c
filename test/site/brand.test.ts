/**
 * Rebranding is configuration: the logo, accent colour and stylesheet of `site` reach every page
 * (src/lib/site/brand.ts), a wrong path is a config error at its line, and the site commands reject
 * bad arguments before starting Astro.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config/config.ts';
import { brandFor } from '../../src/lib/site/brand.ts';
import { REPO, runCli, tempDir } from '../harness.ts';

const temp = tempDir('runbooks-brand-');
afterAll(temp.remove);
const DEFAULT_ICON = path.join(REPO, 'src/astro/favicon.svg');

function project(name: string, config: string, files: Record<string, string> = {}): string {
  const dir = path.join(temp.dir, name);
  for (const [file, text] of Object.entries({ 'runbooks.config.yaml': config, ...files })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the brand of the site', () => {
  it('inlines the logo, as the favicon too, and sets the accent colour over both palettes', () => {
    const dir = project('branded', 'site:\n  logo: brand/logo.svg\n  accentColor: "#6f42c1"\n  stylesheet: brand/team.css\n', {
      'brand/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'brand/team.css': '.site-title { letter-spacing: .1em; }',
    });
    const loaded = loadConfig(dir);
    expect(loaded.diagnostics).toEqual([]);
    const brand = brandFor(loaded.config!.site, DEFAULT_ICON);
    expect(brand.logo).toBe(`data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`);
    expect(brand.favicon).toBe(brand.logo);
    expect(brand.css).toBe(':root:root { --link: #6f42c1; --accent: #6f42c1; }');
    expect(loaded.config!.site.stylesheet).toBe(path.join(dir, 'brand/team.css'));
  });

  it('without settings: the default icon, no logo, no extra CSS', () => {
    const loaded = loadConfig(project('plain', 'site:\n  title: Plain\n'));
    const brand = brandFor(loaded.config!.site, DEFAULT_ICON);
    expect(brand).toEqual({ logo: undefined, favicon: expect.stringMatching(/^data:image\/svg\+xml;base64,/), css: '' });
    expect(loaded.config!.site.outDir).toBe(path.join(temp.dir, 'plain', 'dist'));
  });

  it('reports a logo or stylesheet that does not exist at its line', () => {
    const loaded = loadConfig(project('missing', 'site:\n  title: T\n  logo: nope.png\n  stylesheet: gone.css\n'));
    expect(loaded.config).toBeUndefined();
    expect(loaded.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [3, 9, 'site.logo names nope.png, which does not exist'],
      [4, 15, 'site.stylesheet names gone.css, which does not exist'],
    ]);
  });

  it('accepts only a colour as accentColor, so it cannot end the CSS rule it is put in', () => {
    const loaded = loadConfig(project('inject', 'site:\n  accentColor: "red; } body { display: none"\n'));
    expect(loaded.config).toBeUndefined();
    expect(loaded.diagnostics[0]?.message).toMatch(/^Config: "site.accentColor" must match/);
    for (const colour of ['#abc', '#6f42c1', 'rebeccapurple', 'rgb(1 2 3)', 'oklch(0.6 0.2 300)']) {
      expect(loadConfig(project(`ok-${colour.replace(/\W/g, '')}`, `site:\n  accentColor: "${colour}"\n`)).diagnostics, colour).toEqual([]);
    }
  });
});

describe('the site commands', () => {
  const dir = project('commands', 'rules: [rules/*.yaml]\n');

  it('reject arguments and a bad port before starting Astro (exit 2)', async () => {
    const positional = await runCli(['build', 'extra'], dir);
    expect(positional.code).toBe(2);
    expect(positional.stderr).toContain('runbooks build: unexpected argument "extra"');
    const port = await runCli(['preview', '--port', 'eighty'], dir);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('runbooks preview: --port takes a port number, not "eighty"');
  });

  it('preview says to build first when there is no site (exit 2)', async () => {
    const run = await runCli(['preview', '--out-dir', 'nowhere'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('runbooks preview: nowhere does not exist; run `runbooks build` first (or give --out-dir)\n');
  });

  it("print the config's problems and exit 2", async () => {
    const broken = project('broken', 'site:\n  logo: missing.svg\n');
    const run = await runCli(['build'], broken);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/2:9\s+error\s+site\.logo names missing\.svg, which does not exist/);
  });
});
