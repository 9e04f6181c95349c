import { readFileSync } from 'node:fs';
import type { RuleFile, Runbook } from '../project/model.ts';
import { contentHash } from './cache-keys.ts';
import { revive, RULE_REST, RUNBOOK_REST } from './workers/encoding.ts';

/*
 * The fields of a cached result that are its rest (perf/workers/encoding.ts): accessors that read
 * the rest when one is first read, then plain properties, as the parser gives them. Own
 * properties, enumerable: a copy (`{...runbook}`), JSON or a test's deep equality sees every field.
 */

/** A cached runbook's source changed on disk since the run found the runbook unchanged. */
export class SourceChanged extends Error {}

/** The text of the runbook at `absolute` when its content hash is still `hash`. */
function sourceOf(absolute: string, hash: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    throw new SourceChanged(`${file} could not be read again during this run: run the command again`);
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (contentHash(text) !== hash) throw new SourceChanged(`${file} changed during this run: run the command again`);
  return text;
}

/** A cache entry's rest cannot be read or is not what was written: the file is damaged (on disk, or after this run opened it). */
export class CacheDamaged extends Error {}

/** Sets `key` as a plain property, as the parser gives it. */
function setField(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** How a cached runbook gets its rest and its source (see restLater). */
export interface RunbookRest {
  readRest: () => unknown;
  text: string | undefined;
  absolute: string | undefined;
  hash: string;
  /** The rest is read; only the source may still be wanted (from the file). */
  read?: true;
}

const runbookRests = new WeakMap<object, RunbookRest>();
const ruleRests = new WeakMap<object, () => void>();

/** Gives a cached runbook its rest fields as plain properties, and its source when the rest holds one or the text is known. */
function loadRunbookRest(runbook: object): void {
  const rest = runbookRests.get(runbook);
  if (!rest || rest.read) return;
  // Read before anything is set: a rest that cannot be read fails every read of the fields alike.
  const fields = rest.readRest() as Record<string, unknown>;
  rest.read = true;
  for (const key of RUNBOOK_REST) if (key !== 'source') setField(runbook, key, fields[key]);
  // The rest holds a source that is not the file's text; otherwise the file holds it, read only when wanted.
  const known = typeof fields.source === 'string' ? fields.source : rest.text;
  if (known === undefined) return;
  setField(runbook, 'source', known);
  runbookRests.delete(runbook);
}

/** Gives a cached runbook its source: from its rest or the text known, else from the file, checked against the entry's hash. */
function loadRunbookSource(runbook: object): void {
  loadRunbookRest(runbook);
  const rest = runbookRests.get(runbook);
  if (!rest) return;
  setField(runbook, 'source', sourceOf(rest.absolute as string, rest.hash, (runbook as Runbook).file));
  runbookRests.delete(runbook);
}

/**
 * One accessor per field for every cached object, not one per object: each reads what its
 * object's field needs on first use (`load`, which turns the accessor into a plain property) and
 * gives the field; setting a field first reads the rest (`beforeSet`), so the other fields stay.
 */
function lazyFields(keys: readonly string[], load: (target: object) => void, beforeSet = load): PropertyDescriptorMap {
  const fields: PropertyDescriptorMap = {};
  for (const key of keys) {
    fields[key] = {
      enumerable: true,
      configurable: true,
      get(this: Record<string, unknown>): unknown {
        load(this);
        return Object.getOwnPropertyDescriptor(this, key)?.get ? undefined : this[key];
      },
      set(this: object, value: unknown) {
        beforeSet(this);
        setField(this, key, value);
      },
    };
  }
  return fields;
}

const RUNBOOK_FIELDS: PropertyDescriptorMap = {
  ...lazyFields(
    RUNBOOK_REST.filter((key) => key !== 'source'),
    loadRunbookRest,
  ),
  // A source set by hand needs no file read; the rest's other fields are read first all the same.
  ...lazyFields(['source'], loadRunbookSource, (runbook) => {
    loadRunbookRest(runbook);
    runbookRests.delete(runbook);
  }),
};
const RULE_FIELDS = lazyFields(RULE_REST, (rule) => ruleRests.get(rule)?.());

/**
 * Makes a runbook's rest fields (encoding.ts, RUNBOOK_REST) read its rest when one is first read;
 * its source is the text given, or the file's, read then and checked against the entry's hash.
 */
export function restLater(runbook: Runbook, rest: RunbookRest): void {
  runbookRests.set(runbook, rest);
  Object.defineProperties(runbook, RUNBOOK_FIELDS);
}

/** Makes each rule's rest fields (encoding.ts, RULE_REST) read the rule file's rest when one of them is first read. */
export function ruleRestLater(ruleFile: RuleFile, readRest: () => unknown): void {
  const load = (): void => {
    const rests = readRest() as Record<string, unknown>[];
    for (const rule of ruleFile.rules) ruleRests.delete(rule);
    ruleFile.rules.forEach((rule, i) => {
      const rest = rests[i] as Record<string, unknown>;
      for (const key of RULE_REST) {
        if (key in rest) setField(rule, key, rest[key]);
        else delete (rule as unknown as Record<string, unknown>)[key];
      }
    });
    revive(ruleFile);
  };
  for (const rule of ruleFile.rules) {
    ruleRests.set(rule, load);
    Object.defineProperties(rule, RULE_FIELDS);
  }
}
