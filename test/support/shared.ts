/**
 * Where the team's shared test material is: the corpus of real rule files and runbooks
 * (`RUNBOOKS_CORPUS`, default `../shared/corpus` beside the checkout) and the official SARIF schema
 * (`RUNBOOKS_SHARED`, default `../shared`). A fresh clone without them still runs every other test:
 * what needs them is skipped with one line saying so. When the variable is set (as `.ci/run` does),
 * a missing folder is an error, so CI cannot pass by skipping.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import formatsModule from 'ajv-formats';
import { describe } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');

function sharedPath(variable: string, fallback: string): string | undefined {
  const given = process.env[variable];
  const dir = path.resolve(REPO, given || fallback);
  if (existsSync(dir)) return dir;
  if (given) throw new Error(`${variable}=${given}: no such folder (unset it to skip the tests that need it)`);
  return undefined;
}

const SHARED = sharedPath('RUNBOOKS_SHARED', '../shared');
const corpusDir = sharedPath('RUNBOOKS_CORPUS', SHARED ? path.join(SHARED, 'corpus') : '../shared/corpus');
const sarifFile = SHARED && path.join(SHARED, 'schemas/sarif-schema-2.1.0.json');

/** The shared corpus folder ('' when absent: every use sits inside `describeCorpus`). */
export const CORPUS = corpusDir ?? '';
/** The official SARIF 2.1.0 schema ('' when absent: every use sits inside `itWithSarifSchema`). */
const SARIF_SCHEMA = sarifFile && existsSync(sarifFile) ? sarifFile : '';

const told = new Set<string>();
function tell(what: string): void {
  if (told.has(what)) return;
  told.add(what);
  console.warn(`skipped: ${what}`);
}

/** `describe` for tests that read the corpus; skipped, with one line, when there is none. */
export const describeCorpus = describe.skipIf(!CORPUS);
if (!CORPUS) tell('tests on the shared corpus (set RUNBOOKS_CORPUS to its folder to run them)');

/** Whether the SARIF schema is here; tells once when it is not. */
export function haveSarifSchema(): boolean {
  if (!SARIF_SCHEMA) tell('validation against the official SARIF schema (set RUNBOOKS_SHARED to the shared folder)');
  return SARIF_SCHEMA !== '';
}

/** A validator of the official SARIF schema, with formats (helpUri and informationUri must be real URIs). */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as object;
  // Both are CommonJS: under Node's ESM loader the default import is module.exports itself.
  const Ajv04 = ajvDraft04 as unknown as typeof ajvDraft04.default;
  const addFormats = formatsModule as unknown as typeof formatsModule.default;
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Every Markdown file under `dir`, at any depth, in a stable order. */
export function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
