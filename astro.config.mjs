// This repository's own site uses the runbooks/astro integration as any team's Astro site would;
// the pages' URLs come from runbooks.config.yaml (site.base, runbookUrl), read by the same code as
// the linter, so the runbook URLs the linter checks are the URLs this build serves.
import { defineConfig } from 'astro/config';
import runbooks from './src/astro/integration.ts';
import { siteConfig } from './src/lib/site/load-site.ts';

const config = siteConfig();

export default defineConfig({
  site: config.site.url,
  base: config.site.base,
  // Runbook URLs may end with a slash or not ({folder}/{alert|lower}); pages answer to both.
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
  // Concurrent builds of different projects (tests, benchmarks) each need their own content cache.
  ...(process.env.RUNBOOKS_SITE_CACHE ? { cacheDir: process.env.RUNBOOKS_SITE_CACHE } : {}),
  integrations: [runbooks()],
});
