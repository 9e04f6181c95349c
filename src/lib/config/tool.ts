import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tool's own folder, found on first use: a copy of this module that a site build bundles into its page chunks never asks. */
let root: string | undefined;

/**
 * This tool's own folder (where schema/, package.json and the bundled example are), found from a
 * module's location rather than the working directory, so an installed package finds its own files
 * whichever folder of it (the sources, or the compiled build/) the code runs from.
 */
export function toolRoot(from?: string): string {
  if (from === undefined) return (root ??= findRoot(path.dirname(fileURLToPath(import.meta.url))));
  return findRoot(from);
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'schema/config.schema.json')) && existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`runbooks: cannot find its own schema/ folder above ${from}`);
  }
}

let version: string | undefined;

/** The tool's version, from its package.json. */
export function toolVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(path.join(toolRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
