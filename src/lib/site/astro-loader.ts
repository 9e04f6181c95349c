/**
 * The loader behind the pages' data (the runbooks/astro integration fills a store with it). Typed
 * by the few members it uses rather than by Astro's or Vite's types, so that src/lib stays free of
 * Astro imports and type-checks with plain tsc.
 */
import { loadSite, SiteBuildError, type LoadedSite, type LoadSiteOptions } from './load-site.ts';
import type { AlertRow, Coverage, RedirectPage, RunbookPage } from './site-model.ts';
import type { GroupPage, IncidentRow, LiveIndex, RunbookSituation, SituationAlert } from './situation.ts';

/** The part of Astro's DataStore the loader writes to, holding entries of type T. */
export interface SiteStore<T = SiteEntry> {
  set(entry: { id: string; data: T }): unknown;
  clear(): void;
}

/** The part of Astro's LoaderContext the loader uses. */
export interface SiteLoaderContext {
  store: SiteStore;
  logger: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** Present in `astro dev` only. */
  watcher?: {
    add(paths: string | readonly string[]): unknown;
    on(event: 'change' | 'add' | 'unlink', listener: (file: string) => void): unknown;
  };
}

/** The single entry that holds what the home and coverage pages list. */
interface SiteIndex {
  kind: 'index';
  title: string;
  base: string;
  builtOn: string;
  alerts: AlertRow[];
  severities: string[];
  owners: string[];
  services: string[];
  coverage: Coverage;
}

/** The single entry with what the home page and the live view need of the situation model. */
export interface SituationIndex {
  kind: 'situation';
  services: { name: string; href: string; alerts: number; symptom: number; cause: number }[];
  teams: { name: string; href: string; alerts: number }[];
  alerts: SituationAlert[];
  recentIncidents: IncidentRow[];
  alertmanager: string[];
  /** The alert label that holds the severity, for the live view's badges. */
  severityLabel: string;
  live: LiveIndex;
}

/** A service's or team's page. */
export type GroupEntry = GroupPage;

/** What a runbook page shows of the situation, by the page's path. */
type RunbookSituationEntry = RunbookSituation & { kind: 'runbook-situation' };

/** Any entry of the `site` collection. */
export type SiteEntry = SiteIndex | RunbookPage | RedirectPage | SituationIndex | GroupEntry | RunbookSituationEntry;

/** Entry id of the {@link SiteIndex}. */
const INDEX_ID = 'index';

/** Entry id of the {@link SituationIndex}. */
export const SITUATION_ID = 'situation';

/** Entry id of a runbook page's {@link RunbookSituationEntry}. */
export function runbookSituationId(path: string): string {
  return `situation:${path}`;
}

function fill(store: SiteStore, site: LoadedSite): void {
  const { model } = site;
  store.clear();
  const index: SiteIndex = {
    kind: 'index',
    title: model.title,
    base: model.base,
    builtOn: model.builtOn,
    alerts: model.alerts,
    severities: model.severities,
    owners: model.owners,
    services: model.services,
    coverage: model.coverage,
  };
  // The store takes plain records; these interfaces are plain data by construction.
  store.set({ id: INDEX_ID, data: { ...index } });
  for (const page of model.pages) store.set({ id: `page:${page.path}`, data: { ...page } });
  for (const redirect of model.redirects) store.set({ id: `redirect:${redirect.path}`, data: { ...redirect } });
  const { situation } = site;
  const summary: SituationIndex = {
    kind: 'situation',
    services: situation.services.map((s) => ({
      name: s.name,
      href: s.href,
      alerts: s.alerts.length,
      symptom: s.counts.symptom,
      cause: s.counts.cause,
    })),
    teams: situation.teams.map((t) => ({ name: t.name, href: t.href, alerts: t.alerts.length })),
    alerts: situation.alerts,
    recentIncidents: situation.recentIncidents,
    alertmanager: situation.alertmanager,
    severityLabel: situation.severityLabel,
    live: situation.live,
  };
  store.set({ id: SITUATION_ID, data: { ...summary } });
  for (const group of [...situation.services, ...situation.teams]) store.set({ id: `${group.kind}:${group.slug}`, data: { ...group } });
  for (const runbook of situation.runbooks)
    store.set({ id: runbookSituationId(runbook.path), data: { ...runbook, kind: 'runbook-situation' } });
}

/** Colour the report as the CLI does: on a terminal, unless NO_COLOR says otherwise. */
function useColor(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stderr.isTTY === true;
}

/**
 * Loads, checks and stores the site; in `astro dev`, reloads when a runbook, rule file or the config
 * changes. `options` says where the config is (default: RUNBOOKS_CONFIG, else searched from the working directory).
 */
export async function storeSite(context: SiteLoaderContext, options: Pick<LoadSiteOptions, 'cwd' | 'config'> = {}): Promise<void> {
  const { store, logger, watcher } = context;
  // Only `astro dev` has a watcher: there an author previews runbooks that may not pass yet.
  const dev = watcher !== undefined;
  const site = await loadSite({ ...options, allowErrors: dev, color: useColor() });
  if (site.report) {
    if (site.diagnostics.some((d) => d.severity === 'error'))
      logger.error(`The checks found errors; \`npm run build\` would refuse to publish:\n${site.report}`);
    else logger.warn(`The checks found warnings (the site is built):\n${site.report}`);
  }
  fill(store, site);
  logger.info(`${site.model.pages.length} runbook pages, ${site.model.redirects.length} redirects`);
  if (!watcher) return;
  const root = site.config.root;
  const watched = new Set(site.files);
  watcher.add([...watched]);
  const reload = async (file: string): Promise<void> => {
    const inProject = file.startsWith(root) && /\.(md|ya?ml)$/.test(file) && !/[/](node_modules|dist|\.astro)[/]/.test(file);
    if (!watched.has(file) && !inProject) return;
    try {
      const next = await loadSite({ ...options, allowErrors: true, color: useColor() });
      fill(store, next);
      for (const f of next.files) if (!watched.has(f)) watched.add(f);
      watcher.add([...watched]);
      logger.info(`Reloaded after a change to ${file}`);
      if (next.diagnostics.some((d) => d.severity === 'error'))
        logger.error(`The checks found errors; \`npm run build\` would refuse to publish:\n${next.report}`);
    } catch (error) {
      // Site errors (two alerts on one page) still stop the model; the pages keep their last state.
      logger.error(error instanceof SiteBuildError ? `The pages keep their last state:\n${error.report}` : String(error));
    }
  };
  for (const event of ['change', 'add', 'unlink'] as const) watcher.on(event, (file) => void reload(file));
}
