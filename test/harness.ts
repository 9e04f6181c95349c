/**
 * Fixture harness in the markdownlint style: a fixture is a small project (runbooks.config.yaml,
 * rules/, runbooks/) whose files mark each expected finding beside its line.
 *
 * Markers:
 * - `<!-- expect: check-id -->` in Markdown, `# expect: check-id` in YAML (rule files, and inside a
 *   runbook's frontmatter, where it is a YAML comment): a finding of that check on this line.
 * - `expect@N: check-id` (either comment style): a finding on line N of the same file, for lines
 *   where no comment can sit (a frontmatter's `---` fence, line 1 of a file that must start with `---`).
 * - Several ids in one marker (`expect: a, b`) or several markers on a line add up: the comparison
 *   counts findings, so two findings of one check on one line need the id twice.
 *
 * The harness reads raw lines, so a marker inside a fenced code block still counts (and is just text
 * to the linter).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadConfig, type Config } from '../src/lib/config/config.ts';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { lint, type LintResult } from '../src/lib/engine/lint.ts';

/** The repository root. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where check fixtures live: test/fixtures/<check-id>/<case>/. */
export const FIXTURES = path.join(REPO, 'test/fixtures');
/** The fixed day every fixture is linted on, so stale-review results never drift. */
export const TODAY = '2026-11-01';

const MARKER = /expect(?:@(\d+))?:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;

/** A finding as the harness compares it: `file:line ruleId`. */
export type FindingKey = string;

function keyOf(file: string, line: number, ruleId: string): FindingKey {
  return `${file}:${line} ${ruleId}`;
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, rel));
    else out.push(rel);
  }
  return out;
}

/** Every finding the fixture's files mark, as sorted `file:line ruleId` keys (repeats kept). */
export function markedFindings(root: string): FindingKey[] {
  const keys: FindingKey[] = [];
  for (const file of listFiles(root)) {
    if (!/\.(md|ya?ml)$/.test(file) || file === 'runbooks.config.yaml') continue;
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const match of text.matchAll(MARKER)) {
        const line = match[1] ? Number(match[1]) : i + 1;
        for (const id of (match[2] ?? '').split(',')) keys.push(keyOf(file, line, id.trim()));
      }
    });
  }
  return keys.sort();
}

/** Loads a project through the real config reader; fails the test on a config problem. */
export function configOf(root: string, configPath?: string): Config {
  const loaded = loadConfig(root, configPath);
  expect(loaded.diagnostics, `config of ${root}`).toEqual([]);
  if (!loaded.config) throw new Error(`no config for ${root}`);
  return loaded.config;
}

/** Lints the project at `root` (absolute) on TODAY. */
export async function lintProject(root: string, today = TODAY): Promise<LintResult> {
  return lint(configOf(root), { today });
}

/**
 * Fixtures are read-only, so each is linted once per test worker and its result shared by every
 * test that asks about it; the comparison with its marks still runs for each.
 */
const fixtureRuns = new Map<string, Promise<LintResult>>();
function lintedFixture(root: string, today: string): Promise<LintResult> {
  const key = `${root}\0${today}`;
  let run = fixtureRuns.get(key);
  if (!run) fixtureRuns.set(key, (run = lintProject(root, today)));
  return run;
}

/** Input problems are always compared too, so a broken fixture cannot pass unnoticed. */
const ALWAYS = ['parse-error', 'io-error'];

/**
 * Lints test/fixtures/<checkId>/<caseName> and asserts that the findings of `checkId` (and any
 * parse or I/O error) are exactly the marked ones: a missing and an unexpected finding both fail.
 * Returns the findings of `checkId` for further assertions on messages and hints.
 */
export async function expectFixture(checkId: string, caseName: string, today = TODAY): Promise<Diagnostic[]> {
  const root = path.join(FIXTURES, checkId, caseName);
  const result = await lintedFixture(root, today);
  const compared = result.diagnostics.filter((d) => d.ruleId === checkId || ALWAYS.includes(d.ruleId));
  const found = compared.map((d) => keyOf(d.file, d.line, d.ruleId)).sort();
  const marked = markedFindings(root).filter((k) => k.endsWith(` ${checkId}`) || ALWAYS.some((id) => k.endsWith(` ${id}`)));
  expect(found, `findings of ${checkId} in ${checkId}/${caseName} (left: found, right: marked)`).toEqual(marked);
  for (const d of compared) expectWellFormed(d);
  return result.diagnostics.filter((d) => d.ruleId === checkId);
}

/** Every diagnostic has a file, a 1-based position, a message and a hint (DESIGN.md). */
export function expectWellFormed(d: Diagnostic): void {
  const where = `${d.file}:${d.line}:${d.column} ${d.ruleId}`;
  expect(typeof d.file, where).toBe('string');
  expect(d.file.length, where).toBeGreaterThan(0);
  expect(d.file, where).not.toMatch(/\\/);
  expect(Number.isInteger(d.line) && d.line >= 1, `${where}: line`).toBe(true);
  expect(Number.isInteger(d.column) && d.column >= 1, `${where}: column`).toBe(true);
  expect(d.message.length, `${where}: message`).toBeGreaterThan(0);
  expect(d.hint?.length ?? 0, `${where}: hint`).toBeGreaterThan(0);
  expect(['error', 'warning', 'info'], where).toContain(d.severity);
}

/** The diagnostic of `ruleId` on `file:line`; fails when there is not exactly one. */
export function findingAt(diagnostics: readonly Diagnostic[], file: string, line: number, ruleId?: string): Diagnostic {
  const hits = diagnostics.filter((d) => d.file === file && d.line === line && (ruleId === undefined || d.ruleId === ruleId));
  expect(hits, `one finding at ${file}:${line}${ruleId ? ` (${ruleId})` : ''}`).toHaveLength(1);
  return hits[0] as Diagnostic;
}

/** 1-based column of the first `needle` on 1-based `line` of a fixture file, to assert columns without counting by hand. */
export function columnOf(root: string, file: string, line: number, needle: string): number {
  const text = readFileSync(path.join(root, file), 'utf8').split('\n')[line - 1] ?? '';
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not on ${file}:${line}`);
  return index + 1;
}

/** The one finding on `file:line` (as findingAt), asserted to start at the first `needle` on that line of the fixture at `root`. */
export function findingAtText(diagnostics: readonly Diagnostic[], root: string, file: string, line: number, needle: string): Diagnostic {
  const d = findingAt(diagnostics, file, line);
  expect(d.column, `column of the finding at ${file}:${line}`).toBe(columnOf(root, file, line, needle));
  return d;
}

/** Writes files (by path relative to `root`) into `root`, creating folders; returns `root`. */
export function writeFiles(root: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix = 'runbooks-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A runbook that passes every check for `alert`; `extra` frontmatter lines and `body` replace the defaults. */
export function runbookText(alert: string, options: { severity?: string; frontmatter?: string; body?: string } = {}): string {
  return `---
alert: ${alert}
title: ${alert} fires
severity: ${options.severity ?? 'critical'}
owner: platform
summary: ${alert} is firing.
last_reviewed: 2026-10-01
${options.frontmatter ?? ''}---

# ${alert}

${
  options.body ??
  `## Meaning

What ${alert} means.

## Impact

Who is affected.

## Diagnosis

How to find the cause.

## Mitigation

How to stop the impact.
`
}`;
}

/** What a run of the real CLI printed and returned. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The Node this repository pins, and the CLI's entry point: what `npm run runbooks` runs. */
export const NODE = path.join(REPO, 'node_modules/.bin/node');
export const CLI = path.join(REPO, 'src/cli/main.ts');

/**
 * The environment every spawned CLI gets: `env` over a bare PATH and HOME, so the outer shell's
 * NO_COLOR, RUNBOOKS_* or NODE_OPTIONS cannot change what a test sees. Not a TTY and no colour
 * forced: output is plain unless `env` asks. NODE_COMPILE_CACHE: every run compiles the same
 * sources, and reusing the bytecode is most of a small run's start-up.
 */
export function cliEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_COMPILE_CACHE: path.join(os.tmpdir(), 'runbooks-test-compile-cache'),
    ...env,
  };
}

/** Runs `runbooks <args>` in `cwd` with the project's own Node; never throws. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [CLI, ...args], { cwd, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `runCli`, waiting for the process: for tests that check the file system between runs. */
export function runCliSync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(NODE, [CLI, ...args], { cwd, env: cliEnv(env), encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
