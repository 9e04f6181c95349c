/**
 * A team's look for the site, from the config's `site` settings: the logo and the accent colour.
 * (Its own stylesheet, `site.stylesheet`, is bundled by the integration after the site's.)
 * Rebranding is configuration, so a team never forks the pages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SiteConfig } from '../config/config.ts';

/** What the layout puts on every page. */
export interface Brand {
  /** data: URI of the team's logo, shown beside the title; undefined without one. */
  logo?: string;
  /** data: URI of the favicon: the logo, else the default icon. */
  favicon: string;
  /** CSS of the accent colour ('' without one). */
  css: string;
}

const MIME: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** A file as a data: URI. Inlined because the site may be mounted inside a team's Astro site, whose public/ folder is not ours. */
function dataUri(file: string): string {
  const mime = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return `data:${mime};base64,${readFileSync(file).toString('base64')}`;
}

/** The brand of `site`; `defaultIcon` is the favicon used when the team has no logo. */
export function brandFor(site: SiteConfig, defaultIcon: string): Brand {
  const logo = site.logo ? dataUri(site.logo) : undefined;
  // The config schema admits only colour syntax here (no `;` or braces), so it cannot end the rule;
  // :root:root outranks both the light and the dark palette of the stylesheet, wherever Astro puts it.
  const css = site.accentColor ? `:root:root { --link: ${site.accentColor}; --accent: ${site.accentColor}; }` : '';
  return { logo, favicon: logo ?? dataUri(defaultIcon), css };
}
