// The site's build settings come from runbooks.config.yaml (site.base, site.url), read by the same
// code as the linter, so the runbook URLs the linter checks are the URLs this build serves.
import { defineConfig } from 'astro/config';
import { siteConfig } from './src/lib/site/load.ts';
import { indexSite } from './src/lib/site/search-index.ts';

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
  // Pages are prerendered by Astro; Pagefind then indexes the written HTML.
  integrations: [
    {
      name: 'runbooks-search-index',
      hooks: {
        'astro:build:done': async ({ dir, logger }) => {
          const { pages, seconds } = await indexSite(dir);
          logger.info(`Pagefind indexed ${pages} pages in ${seconds.toFixed(1)} s`);
        },
      },
    },
  ],
});
