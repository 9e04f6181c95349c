/**
 * The fuzz property, shared by `npm test` (a few hundred cases, test/fuzz.test.ts) and `npm run
 * fuzz` (scripts/fuzz.ts, any seed and case count). A case is a tiny project whose rule file and
 * runbook are real files (the shared corpus, the check fixtures, the bundled example) damaged by a
 * few mutations: byte flips, truncation, deep nesting, invalid UTF-8, lone surrogates, bidi and
 * zero-width characters, CR-only and mixed line endings, huge lines and hostile names. Whatever
 * the damage, the tool must answer: no internal error, well-formed findings inside their files,
 * the same findings with and without the cache, JSON output that parses, an idempotent fix, and
 * bounded time. No vitest here, so the long run is a plain script.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { checks } from '../../src/lib/checks/index.ts';
import { loadConfig } from '../../src/lib/config/config.ts';
import { countDiagnostics, type Diagnostic } from '../../src/lib/engine/diagnostic.ts';
import { planFixes } from '../../src/lib/commands/fix.ts';
import { lint } from '../../src/lib/engine/lint.ts';
import { reporters } from '../../src/lib/reporters/index.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
/** Where failures found by `npm run fuzz` are kept, minimised; every one is replayed by `npm test`. */
const REGRESSIONS = path.join(REPO, 'test/fuzz/regressions');

/** One change to a file's bytes; positions are fractions of the length, so they shrink well. */
export type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; snippet: number }
  | { kind: 'nest'; at: number; style: number; depth: number }
  | { kind: 'endings'; style: 'cr' | 'mixed' | 'crlf' }
  | { kind: 'huge'; at: number; unit: number; times: number }
  | { kind: 'duplicate'; from: number; to: number; at: number };

/** Byte sequences and text that broke, or could break, a reader. */
const SNIPPETS: Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xe9]),
  Buffer.from([0x93, 0x94]),
  ...[
    '\u202e',
    '\u200b',
    '\u2066',
    '\ufeff',
    '\u00a0',
    '\r',
    '\r\n',
    '\n',
    '\t',
    '\u0000',
    '"Bad\\uD800Name"',
    'alert: "\\uDC00"\n',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '__proto__: x\n',
    'constructor: {a: 1}\n',
    '<<: *a\n',
    '&a ',
    '*a',
    '*a\n',
    '{{ $labels.instance }}',
    '{{- if .Values.x }}\n',
    '.nan',
    '.inf',
    '~',
    '[a](',
    '](',
    '[x]: <',
    '<!-- ',
    ' -->',
    '<!-- runbooks-disable-next-line placeholder-content -- why -->\n',
    '# runbooks-disable-next-line runbook-url -- why\n',
    '---\n',
    '\n---\n',
    '# Heading\n',
    '## Mitigation\n',
    '- ',
    '> ',
    '```\n',
    ': ',
    '? ',
    '!!str ',
    '!!binary ',
    '%YAML 1.2\n',
    '"',
    "'",
    '|\n',
    '>-\n',
    '\\',
    '%2e%2e/',
    '../',
    '/\\evil.example/',
    'aliases: ["/../x"]\n',
    'alerts: [__proto__, constructor]\n',
    'severity: .nan\n',
    'last_reviewed: 2026-02-30\n',
    'runbook_url: https://rb.example.com/alerts/%E0%A4%A/\n',
    '\u{1F525}',
    'e\u0301',
  ].map((s) => Buffer.from(s)),
];

const NESTINGS = ['- ', '[', '{a: ', '> ', '  - x\n', '* ', '1. '];
const HUGE_UNITS = ['x', '[a](', '*a', '_a_[', '<a ', '- ', '# ', '&a ', 'a: '];

/** Applies the mutations in order to a copy of `bytes`. */
export function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  let out: Buffer = Buffer.from(bytes);
  const at = (fraction: number): number => Math.min(out.length, Math.floor(fraction * (out.length + 1)));
  const insert = (offset: number, piece: Buffer): Buffer => Buffer.concat([out.subarray(0, offset), piece, out.subarray(offset)]);
  for (const m of mutations) {
    switch (m.kind) {
      case 'flip':
        if (out.length > 0) out[Math.min(out.length - 1, at(m.at))] = m.byte;
        break;
      case 'truncate':
        out = out.subarray(0, at(m.at));
        break;
      case 'insert':
        out = insert(at(m.at), SNIPPETS[m.snippet % SNIPPETS.length] as Buffer);
        break;
      case 'nest': {
        const unit = NESTINGS[m.style % NESTINGS.length] as string;
        const text = unit.endsWith('\n')
          ? Array.from({ length: m.depth }, (_, i) => '  '.repeat(i) + unit.trimStart()).join('')
          : unit.repeat(m.depth);
        out = insert(at(m.at), Buffer.from(text));
        break;
      }
      case 'endings': {
        const text = out.toString('latin1');
        const changed =
          m.style === 'cr'
            ? text.replace(/\r?\n/g, '\r')
            : m.style === 'crlf'
              ? text.replace(/\r?\n/g, '\r\n')
              : text
                  .split('\n')
                  .map((line, i) => (i % 3 === 0 ? `${line}\r` : i % 3 === 1 ? line : `${line}\r\r`))
                  .join('\n');
        out = Buffer.from(changed, 'latin1');
        break;
      }
      case 'huge':
        out = insert(at(m.at), Buffer.from((HUGE_UNITS[m.unit % HUGE_UNITS.length] as string).repeat(m.times)));
        break;
      case 'duplicate': {
        const [a, b] = [at(m.from), at(m.to)].sort((x, y) => x - y) as [number, number];
        out = insert(at(m.at), Buffer.from(out.subarray(a, Math.min(b, a + 4096))));
        break;
      }
    }
  }
  return out;
}

const fraction = fc.double({ min: 0, max: 1, noNaN: true });

/** Any mutation; big ones (nesting, huge lines) are rarer and sized to cross the tool's bounds. */
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fraction, byte: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, snippet: fc.nat({ max: SNIPPETS.length - 1 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      at: fraction,
      style: fc.nat({ max: NESTINGS.length - 1 }),
      depth: fc.integer({ min: 1, max: 400 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('endings' as const),
      style: fc.constantFrom('cr' as const, 'mixed' as const, 'crlf' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      at: fraction,
      unit: fc.nat({ max: HUGE_UNITS.length - 1 }),
      times: fc.integer({ min: 1, max: 30_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), from: fraction, to: fraction, at: fraction }) },
);

/** Runbook file names, the hostile ones among them: a name is also an alert name with `match: filename`. */
const NAMES = ['Api.md', 'HostDown.md', '__proto__.md', 'constructor.md', 'toString.md', 'a b.md', 'Ünïcode.md', '%41.md', '-x.md', '.md'];

/** One fuzz case: which seed files, how they are damaged, and how the project is configured. */
export interface FuzzCase {
  rules: { seed: number; mutations: Mutation[] };
  runbook: { seed: number; mutations: Mutation[]; name: string };
  /** Mutations of the config file itself (usually none: a broken config only ever gives config errors). */
  config: Mutation[];
  match: 'frontmatter' | 'filename';
}

export const caseArb: fc.Arbitrary<FuzzCase> = fc.record({
  rules: fc.record({ seed: fc.nat(), mutations: fc.array(mutationArb, { maxLength: 4 }) }),
  runbook: fc.record({ seed: fc.nat(), mutations: fc.array(mutationArb, { maxLength: 4 }), name: fc.constantFrom(...NAMES) }),
  config: fc.oneof(
    { weight: 7, arbitrary: fc.constant([] as Mutation[]) },
    { weight: 1, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 2 }) },
  ),
  match: fc.constantFrom('frontmatter' as const, 'filename' as const),
});

function listFiles(dir: string, pattern: RegExp, out: string[] = [], maxBytes = 64 * 1024): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = path.join(dir, name);
    const info = statSync(full, { throwIfNoEntry: false });
    if (info?.isDirectory()) listFiles(full, pattern, out, maxBytes);
    else if (info?.isFile() && pattern.test(name) && info.size < maxBytes) out.push(full);
  }
  return out;
}

/** The seed files: the corpus (when there is one), the check fixtures and the bundled example. */
export function seedFiles(corpus: string): { rules: Buffer[]; runbooks: Buffer[] } {
  const dirs = [corpus, path.join(REPO, 'test/fixtures'), path.join(REPO, 'rules'), path.join(REPO, 'runbooks')].filter((d) => d !== '');
  const rules = dirs.flatMap((d) => listFiles(d, /\.ya?ml$/)).filter((f) => !f.endsWith('runbooks.config.yaml'));
  const runbooks = dirs.flatMap((d) => listFiles(d, /\.md$/)).filter((f) => !/SOURCES\.md$|README\.md$/.test(f));
  return { rules: rules.map((f) => readFileSync(f)), runbooks: runbooks.map((f) => readFileSync(f)) };
}

const configText = (match: FuzzCase['match']): string => `rules: ["rules/*.yaml"]
runbooks: ["runbooks/*.md"]
match: ${match}
schema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}
runbookUrl: https://rb.example.com/alerts/{alert}/
`;

/** The files of a case's project, by repo-relative path. */
export function caseFiles(fuzzCase: FuzzCase, seeds: { rules: Buffer[]; runbooks: Buffer[] }): Record<string, Buffer> {
  const pick = (list: Buffer[], n: number): Buffer => list[n % list.length] ?? Buffer.alloc(0);
  const rules = pick(seeds.rules, fuzzCase.rules.seed);
  // Runbooks for the seed's first alerts, so that links are checked and `fix` has annotations to write.
  const names = [...rules.toString('utf8').matchAll(/^[ \t-]*alert:[ \t]*["']?([A-Za-z_][\w:.-]*)/gm)].map((m) => m[1] as string);
  const generated = Object.fromEntries(
    [...new Set(names)]
      .slice(0, 3)
      .map((name, i) => [
        `runbooks/gen-${i}.md`,
        Buffer.from(
          `---\nalert: ${JSON.stringify(name)}\ntitle: ${JSON.stringify(name)}\nseverity: critical\nowner: o\nsummary: s\nlast_reviewed: 2026-10-01\n---\n\n# ${name}\n\n## Meaning\n\nm\n`,
        ),
      ]),
  );
  return {
    'runbooks.config.yaml': mutate(Buffer.from(configText(fuzzCase.match)), fuzzCase.config),
    'rules/r.yaml': mutate(rules, fuzzCase.rules.mutations),
    ...generated,
    [`runbooks/${fuzzCase.runbook.name}`]: mutate(pick(seeds.runbooks, fuzzCase.runbook.seed), fuzzCase.runbook.mutations),
  };
}

/** A failed promise, with what was seen. */
export class FuzzFailure extends Error {}

function fail(message: string): never {
  throw new FuzzFailure(message);
}

/** The lines of a file as the tool counts them: LF, CRLF and a lone CR each end a line. */
function linesOf(bytes: Buffer): string[] {
  return bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/);
}

/** Fails on an internal error, a malformed finding, or a position outside its file. */
export function checkPositions(diagnostics: readonly Diagnostic[], files: Record<string, Buffer>): void {
  for (const d of diagnostics) {
    const where = `${d.file}:${d.line}:${d.column} ${d.ruleId} ${d.message}`;
    if (d.ruleId === 'internal-error') fail(`internal error (a crash): ${where}`);
    if (!Number.isInteger(d.line) || !Number.isInteger(d.column) || d.line < 1 || d.column < 1) fail(`position not 1-based: ${where}`);
    if (!d.message || !d.hint) fail(`no message or hint: ${where}`);
    const bytes = files[d.file];
    if (!bytes) continue; // a folder (a symbolic link) or the defaults
    const lines = linesOf(bytes);
    const check = (line: number, column: number, what: string): void => {
      if (line > lines.length) fail(`${what} line ${line} past the end (${lines.length} lines): ${where}`);
      const length = (lines[line - 1] ?? '').length;
      if (column > length + 1) fail(`${what} column ${column} past the end of line ${line} (${length} characters): ${where}`);
    };
    check(d.line, d.column, 'start');
    if (d.endLine !== undefined && d.endColumn !== undefined) check(d.endLine, d.endColumn, 'end');
  }
}

const key = (d: Diagnostic): string =>
  JSON.stringify([d.file, d.line, d.column, d.endLine, d.endColumn, d.ruleId, d.severity, d.message, d.hint]);

/** What one case did, for the long run's summary. */
export interface CaseResult {
  ms: number;
  configError: boolean;
  findings: number;
  fixed: number;
}

/** Time one case may take, all runs of it together (lint three times, fix twice). */
const CASE_BUDGET_MS = 30_000;

/**
 * Runs the property on one case in a fresh folder under `scratch`: throws FuzzFailure when a
 * promise is broken. In-process: the CLI adds only argument parsing and exit codes (cli checks).
 */
export async function runCase(fuzzCase: FuzzCase, seeds: { rules: Buffer[]; runbooks: Buffer[] }, scratch: string): Promise<CaseResult> {
  const files = caseFiles(fuzzCase, seeds);
  return runFiles(files, scratch);
}

/** The property over a project given as files (a saved regression replays through this). */
export async function runFiles(files: Record<string, Buffer>, scratch: string): Promise<CaseResult> {
  const started = performance.now();
  const root = path.join(scratch, `case-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    for (const [file, bytes] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), bytes);
    }
    const loaded = loadConfig(root);
    if (!loaded.config) {
      if (loaded.diagnostics.length === 0) fail('no config and no diagnostic saying why');
      checkPositions(loaded.diagnostics, files);
      return { ms: performance.now() - started, configError: true, findings: loaded.diagnostics.length, fixed: 0 };
    }
    const config = loaded.config;
    const today = '2026-11-01';
    const plain = await lint(config, { today, threads: 1 });
    checkPositions(plain.diagnostics, files);
    const cacheLocation = path.join(root, '.cache/runbooks/lint-cache');
    const cold = await lint(config, { today, cacheLocation, threads: 1 });
    const warm = await lint(config, { today, cacheLocation, threads: 1 });
    const expected = plain.diagnostics.map(key).join('\n');
    if (cold.diagnostics.map(key).join('\n') !== expected)
      fail(`the cold cached run differs from the uncached one:\n${cold.diagnostics.map(key).join('\n')}\n--- uncached:\n${expected}`);
    if (warm.diagnostics.map(key).join('\n') !== expected)
      fail(`the warm cached run differs from the uncached one:\n${warm.diagnostics.map(key).join('\n')}\n--- uncached:\n${expected}`);
    const json = (reporters.json as NonNullable<(typeof reporters)['json']>)({
      diagnostics: plain.diagnostics,
      counts: countDiagnostics(plain.diagnostics),
      checks,
      fileCount: 2,
      toolVersion: 'fuzz',
      color: false,
    });
    try {
      JSON.parse(json);
    } catch (error) {
      fail(`the JSON report does not parse: ${(error as Error).message}`);
    }
    // `fix --dry-run` twice: what the first would write, the second must leave alone.
    const plan = await planFixes(plain.project);
    checkPositions(plan.diagnostics, files);
    for (const fix of plan.fixes) {
      const before = files[fix.file];
      if (before && Buffer.from(fix.before).compare(before) !== 0) fail(`fix read ${fix.file} other than it is on disk`);
      writeFileSync(path.join(root, fix.file), fix.after);
    }
    if (plan.fixes.length > 0) {
      const again = await planFixes((await lint(config, { today, threads: 1 })).project);
      if (again.fixes.length > 0) fail(`fix is not idempotent: a second run would change ${again.fixes.map((f) => f.file).join(', ')}`);
    }
    const ms = performance.now() - started;
    if (ms > CASE_BUDGET_MS) fail(`the case took ${Math.round(ms)} ms, over the ${CASE_BUDGET_MS} ms budget`);
    return { ms, configError: false, findings: plain.diagnostics.length, fixed: plan.fixes.length };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A fresh scratch folder in the OS temp folder. */
export function scratchDir(): string {
  const dir = path.join(os.tmpdir(), `runbooks-fuzz-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Saves a failing case's files as a regression fixture; returns its folder. */
export function saveRegression(name: string, files: Record<string, Buffer>, note: string): string {
  const dir = path.join(REGRESSIONS, name);
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, 'files', file)), { recursive: true });
    // The schema path is this checkout's; replaying puts the replaying checkout's in its place.
    const kept =
      file === 'runbooks.config.yaml'
        ? Buffer.from(bytes.toString('latin1').replace(/^schema: .*$/m, 'schema: "(this checkout)/schema/runbook.schema.json"'), 'latin1')
        : bytes;
    writeFileSync(path.join(dir, 'files', file), kept);
  }
  writeFileSync(path.join(dir, 'NOTE.txt'), `${note}\n`);
  return dir;
}

/** Every saved regression: its name and files (the config's schema path is made this checkout's). */
export function savedRegressions(): { name: string; files: Record<string, Buffer> }[] {
  let names: string[];
  try {
    names = readdirSync(REGRESSIONS).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const base = path.join(REGRESSIONS, name, 'files');
    const files: Record<string, Buffer> = {};
    for (const full of listFiles(base, /.*/, [], Infinity)) {
      const relative = path.relative(base, full).split(path.sep).join('/');
      let bytes = readFileSync(full);
      if (relative === 'runbooks.config.yaml')
        bytes = Buffer.from(
          bytes.toString('latin1').replace(/^schema: .*$/m, `schema: ${JSON.stringify(path.join(REPO, 'schema/runbook.schema.json'))}`),
          'latin1',
        );
      files[relative] = bytes;
    }
    return { name, files };
  });
}
