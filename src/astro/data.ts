/**
 * What the pages read. The runbooks/astro integration loads the project once per build (the same
 * checks as `runbooks lint`) into the virtual module `virtual:runbooks/data`. Not a content
 * collection, because an integration cannot add collections to a team's site; getCollection keeps
 * the name and shape of astro:content's, so the pages read as they would with collections, and a
 * page asks for one entry by id and kind, so it gets that kind's type without a cast.
 */
import data from 'virtual:runbooks/data';
import type { CheckPage } from '../lib/site/check-docs.ts';
import type { Brand } from '../lib/site/brand.ts';
import type { SiteEntry } from '../lib/site/astro-loader.ts';

/** The virtual module's content. */
export interface SiteData {
  /** The runbook site's base path, with a leading and a trailing slash. */
  base: string;
  brand: Brand;
  site: { id: string; data: SiteEntry }[];
  checks: { id: string; data: CheckPage & { order: number } }[];
}

/** The `site` entry of one kind. */
type SiteEntryOf<K extends SiteEntry['kind']> = Extract<SiteEntry, { kind: K }>;

/** The runbook site's base path, e.g. `/` or `/docs/runbooks/`: pages link below it. */
export const base = data.base;

/** The team's logo, favicon and extra CSS. */
export const brand = data.brand;

/** Every entry of a collection, as astro:content's getCollection. */
export async function getCollection<K extends 'site' | 'checks'>(name: K): Promise<SiteData[K]> {
  return data[name];
}

function isKind<K extends SiteEntry['kind']>(entry: SiteEntry, kind: K): entry is SiteEntryOf<K> {
  return entry.kind === kind;
}

/** The `site` entry with this id, when there is one and it is of this kind. */
export async function findSiteEntry<K extends SiteEntry['kind']>(id: string, kind: K): Promise<SiteEntryOf<K> | undefined> {
  const entry = data.site.find((e) => e.id === id)?.data;
  return entry && isKind(entry, kind) ? entry : undefined;
}

/** The `site` entry with this id and kind that every build has (the index, the situation). */
export async function siteEntry<K extends SiteEntry['kind']>(id: string, kind: K): Promise<SiteEntryOf<K>> {
  const entry = await findSiteEntry(id, kind);
  if (!entry) throw new Error(`The site data has no ${kind} entry "${id}"`);
  return entry;
}
