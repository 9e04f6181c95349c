/**
 * What the pages read. The runbooks/astro integration loads the project once per build (the same
 * checks as `runbooks lint`) into the virtual module `virtual:runbooks/data`. Not a content
 * collection, because an integration cannot add collections to a team's site; the two readers keep
 * the names and shapes of astro:content's, so the pages read as they would with collections.
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

interface Collections {
  site: SiteData['site'][number];
  checks: SiteData['checks'][number];
}

/** The runbook site's base path, e.g. `/` or `/docs/runbooks/`: pages link below it. */
export const base = data.base;

/** The team's logo, favicon and extra CSS. */
export const brand = data.brand;

/** Every entry of a collection, as astro:content's getCollection. */
export async function getCollection<K extends keyof Collections>(name: K): Promise<Collections[K][]> {
  return data[name] as Collections[K][];
}

/** One entry by id, as astro:content's getEntry. */
export async function getEntry<K extends keyof Collections>(name: K, id: string): Promise<Collections[K] | undefined> {
  return (data[name] as Collections[K][]).find((entry) => entry.id === id);
}
