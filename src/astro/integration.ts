/**
 * `runbooks/astro`: the Astro integration that serves the runbook site. A team adds
 * `integrations: [runbooks()]` to its own Astro (or Starlight) site and gets the runbook pages
 * under `site.base` of its runbooks.config.yaml; `runbooks build` uses the same integration with no
 * Astro project of the team's, and so does this repository's astro.config.mjs. The routes are
 * injected from this package (Starlight's way), so upgrading the package upgrades the pages.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroIntegration } from 'astro';
import { storeCheckDocs } from '../lib/site/check-docs.ts';
import { brandFor } from '../lib/site/brand.ts';
import { SiteBuildError, siteConfig } from '../lib/site/load-site.ts';
import { storeSite, type SiteLoaderContext, type SiteStore } from '../lib/site/astro-loader.ts';
import { normalizeBase } from '../lib/site/paths.ts';
import { indexSite } from '../lib/site/search-index.ts';
import type { SiteData } from './data.ts';

/** Options of {@link runbooks}. */
export interface RunbooksOptions {
  /** The config file, relative to `cwd`; default: RUNBOOKS_CONFIG, else runbooks.config.yaml searched upwards from `cwd`. */
  config?: string;
  /** Where the config is looked for; default: the Astro project's root. */
  cwd?: string;
  /**
   * The folder the pages are served from; default: this module's. `runbooks build` passes a
   * symbolic link to it from inside Astro's root when the package is installed elsewhere (npm
   * install -g), because Astro only compiles the scripts of pages that share a folder with its root.
   */
  pagesFrom?: string;
  /** Serve the runbook site's "no runbook at this address" page as the 404 page; default: when the runbooks are the whole site (site.base is Astro's base). */
  notFoundPage?: boolean;
}

const VIRTUAL_ID = 'virtual:runbooks/data';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
/** Imports the team's site.stylesheet, so that Vite bundles it after the site's own (the layout imports both, in that order). */
const STYLES_ID = 'virtual:runbooks/team-styles';
const RESOLVED_STYLES_ID = `\0${STYLES_ID}`;

/**
 * The pages in `pagesDir`, by route below the runbooks' base, as Astro's file-based routing would
 * name them (`checks/[id].astro` → `checks/[id]`, `checks/index.astro` → `checks`): a page added to
 * src/astro/pages/ is served without a line here. Endpoints are .ts in the sources, .js when compiled.
 */
export function pageRoutes(pagesDir: string): { pattern: string; file: string }[] {
  return readdirSync(pagesDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(astro|ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(pagesDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
    .map((file) => ({ pattern: file.replace(/\.(astro|ts|js)$/, '').replace(/(^|\/)index$/, ''), file }));
}

/** A store that keeps entries in order; `onRefill` runs after a dev reload has refilled it. */
function memoryStore<T>(): SiteStore<T> & { entries: Map<string, T>; onRefill?: () => void } {
  const entries = new Map<string, T>();
  const store: SiteStore<T> & { entries: typeof entries; onRefill?: () => void } = {
    entries,
    set: (entry) => entries.set(entry.id, entry.data),
    clear: () => {
      entries.clear();
      // The loader refills synchronously after clearing; by the next microtask the store is whole again.
      if (store.onRefill) queueMicrotask(store.onRefill);
    },
  };
  return store;
}

/** The part of Vite's dev server the data plugin uses. */
interface DevServer {
  watcher: NonNullable<SiteLoaderContext['watcher']>;
  environments: Record<string, { moduleGraph: { getModuleById(id: string): unknown; invalidateModule(module: never): void } }>;
  ws: { send(payload: { type: 'full-reload' }): void };
}

/** The Astro integration that injects the runbook pages and builds their search index. */
export default function runbooks(options: RunbooksOptions = {}): AstroIntegration {
  let prefix = '';
  return {
    name: 'runbooks',
    hooks: {
      'astro:config:setup': ({ config: astro, command, injectRoute, updateConfig, addWatchFile, logger }) => {
        const pages = options.pagesFrom ? pathToFileURL(path.join(options.pagesFrom, '/')) : new URL('./', import.meta.url);
        const cwd = options.cwd ?? fileURLToPath(astro.root);
        const where = { cwd, config: options.config };
        // Throws SiteBuildError with the linter's report of the config's problems.
        const config = siteConfig(where);
        const base = normalizeBase(config.site.base);
        const astroBase = normalizeBase(astro.base);
        if (!base.startsWith(astroBase)) {
          throw new Error(
            `runbooks: site.base ${base} in ${config.configShown ?? 'the config'} is outside the Astro site's base ${astroBase}; set site.base to a path below it, e.g. ${astroBase}runbooks/`,
          );
        }
        prefix = base.slice(astroBase.length);
        const notFound = options.notFoundPage ?? prefix === '';
        for (const { pattern, file } of pageRoutes(fileURLToPath(new URL('./pages/', pages)))) {
          if (pattern === '404' && !notFound) continue;
          injectRoute({
            pattern: `/${prefix}${pattern}`.replace(/(.)\/$/, '$1'),
            entrypoint: new URL(`./pages/${file}`, pages),
            prerender: true,
          });
        }
        if (config.configFile) addWatchFile(config.configFile);
        let server: DevServer | undefined;
        let code: Promise<string> | undefined;
        const site = memoryStore<SiteData['site'][number]['data']>();
        const checks = memoryStore<SiteData['checks'][number]['data']>();
        const render = (): string => {
          const current = siteConfig(where);
          const data: SiteData = {
            base,
            brand: brandFor(current.site, fileURLToPath(new URL('./favicon.svg', import.meta.url))),
            site: [...site.entries].map(([id, entry]) => ({ id, data: entry })),
            checks: [...checks.entries].map(([id, entry]) => ({ id, data: entry })),
          };
          return `export default ${JSON.stringify(data)};`;
        };
        const load = async (): Promise<string> => {
          const context: SiteLoaderContext = { store: site, logger };
          const dev = command === 'dev' && server !== undefined;
          if (dev && server) context.watcher = server.watcher;
          await storeSite(context, where);
          await storeCheckDocs({ store: checks });
          // After the first fill: from now on a refill is the loader's reload after a change.
          if (dev) {
            site.onRefill = () => {
              try {
                code = Promise.resolve(render());
              } catch (error) {
                // The branding files went missing between the loader's reload and now: keep the last pages.
                logger.error(error instanceof SiteBuildError ? `The pages keep their last state:\n${error.report}` : String(error));
                return;
              }
              for (const environment of Object.values(server?.environments ?? {})) {
                const module = environment.moduleGraph.getModuleById(RESOLVED_ID);
                if (module) environment.moduleGraph.invalidateModule(module as never);
              }
              server?.ws.send({ type: 'full-reload' });
            };
          }
          return render();
        };
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'runbooks:data',
                configureServer(devServer: unknown) {
                  server = devServer as DevServer;
                },
                resolveId: (id: string) => (id === VIRTUAL_ID ? RESOLVED_ID : id === STYLES_ID ? RESOLVED_STYLES_ID : undefined),
                load: (id: string) => {
                  // Loaded once per build: the pages of every Vite environment share one model.
                  if (id === RESOLVED_ID) return (code ??= load());
                  if (id !== RESOLVED_STYLES_ID) return undefined;
                  const { stylesheet } = siteConfig(where).site;
                  return stylesheet ? `import ${JSON.stringify(stylesheet)};` : '';
                },
              },
            ],
            // The pages are .astro sources inside this package; Astro compiles them like the team's own.
            ssr: { noExternal: ['runbooks'] },
          },
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        // Only the runbooks' part of the site: a team's own docs may keep their own Pagefind index.
        const { pages, seconds } = await indexSite(path.join(fileURLToPath(dir), prefix));
        logger.info(`Pagefind indexed ${pages} pages in ${seconds.toFixed(1)} s`);
      },
    },
  };
}
