/**
 * Pagefind indexing of the built site, run by the build after Astro writes the pages. Only runbook
 * pages carry `data-pagefind-body`, so the home, coverage and redirect pages stay out of results.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';

/** What indexing did. */
export interface IndexResult {
  pages: number;
  seconds: number;
}

/** Indexes the HTML under `dir` (a path or a file: URL) into `<dir>/pagefind/`; throws on Pagefind errors. */
export async function indexSite(dir: string | URL): Promise<IndexResult> {
  const started = performance.now();
  const root = typeof dir === 'string' ? dir : fileURLToPath(dir);
  try {
    const created = await pagefind.createIndex({ forceLanguage: 'en' });
    if (!created.index) throw new Error(`Pagefind could not start: ${created.errors.join('; ')}`);
    const added = await created.index.addDirectory({ path: root });
    if (added.errors.length > 0) throw new Error(`Pagefind could not index ${root}: ${added.errors.join('; ')}`);
    const written = await created.index.writeFiles({ outputPath: path.join(root, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
    return { pages: added.page_count, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pagefind.close();
  }
}
