// One collection for the whole site, loaded through src/lib like `runbooks lint`: the loader runs
// the same checks and fails the build on errors, printing the linter's report.
import { defineCollection } from 'astro:content';
import { storeSite } from './lib/site/loader.ts';
import { storeCheckDocs } from './lib/check-docs.ts';

export const collections = {
  site: defineCollection({ loader: { name: 'runbooks', load: storeSite } }),
  // The /checks/<id>/ pages: each check's docs, with its examples linted.
  checks: defineCollection({ loader: { name: 'check-docs', load: storeCheckDocs } }),
};
