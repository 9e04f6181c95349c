/**
 * Adding a check is one file, one line in the registry, one test file and one docs entry
 * (DESIGN.md); this test fails when any of the four is missing.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Check } from '../src/lib/checks/define.ts';
import { checks } from '../src/lib/checks/index.ts';
import { optionsSchemaOf } from '../src/lib/checks/options.ts';
import { EXAMPLE_CONFIG, EXAMPLE_TODAY } from '../src/lib/checks/examples.ts';
import { applyFixes, planFixes } from '../src/lib/commands/fix.ts';
import { compileSchema } from '../src/lib/config/ajv.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import { lint, offeredFixes } from '../src/lib/engine/lint.ts';
import { loadProject } from '../src/lib/project/load-project.ts';
import { REPO, tempDir, writeFiles } from './harness.ts';

/** Files in the checks folder that are not checks: the helper that declares them and the registry. */
const NOT_CHECKS = new Set(['define.ts', 'index.ts', 'options.ts']);

/** A check: an id, and one way of checking, the whole project (`check`) or each runbook (`eachRunbook`), never both. */
function isCheck(value: unknown): value is Check {
  if (typeof value !== 'object' || value === null || typeof (value as Check).id !== 'string') return false;
  const { check, eachRunbook } = value as { check?: unknown; eachRunbook?: unknown };
  return (typeof check === 'function') !== (typeof eachRunbook === 'function');
}

/** Everything missing for the registry, the check files in `checksDir` and the tests in `testsDir`. */
async function metaProblems(registry: readonly Check[], checksDir: string, testsDir: string): Promise<string[]> {
  const problems: string[] = [];
  const ids = registry.map((c) => c.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`${id}: registered twice`);
  for (const check of registry) {
    if (!existsSync(path.join(checksDir, `${check.id}.ts`))) problems.push(`${check.id}: no file ${check.id}.ts`);
    if (!existsSync(path.join(testsDir, `${check.id}.test.ts`))) problems.push(`${check.id}: no test file ${check.id}.test.ts`);
    if (!(check.description ?? '').trim()) problems.push(`${check.id}: no description`);
    if (!(check.docs?.rationale ?? '').trim()) problems.push(`${check.id}: no docs.rationale`);
    if (!['rule', 'line', 'frontmatter'].includes(check.docs?.findingsIn))
      problems.push(`${check.id}: docs.findingsIn is not rule, line or frontmatter`);
    if (!['error', 'warning', 'info'].includes(check.severity))
      problems.push(`${check.id}: bad default severity ${String(check.severity)}`);
    // Every option has a schema (validated at load), a default the schema accepts, and docs. (The
    // docs may also name a setting that lives elsewhere in the config, as required-sections does.)
    const documented = Object.keys(check.docs?.options ?? {});
    const declared = Object.keys(check.optionsSchema ?? {}).sort();
    const defaulted = Object.keys(check.defaultOptions ?? {}).sort();
    if (declared.join() !== defaulted.join() || !declared.every((name) => documented.includes(name))) {
      problems.push(
        `${check.id}: options declared in optionsSchema (${declared.join(', ')}), defaulted (${defaulted.join(', ')}) and documented (${documented.join(', ')}) differ`,
      );
    } else if (declared.length > 0 && !compileSchema(optionsSchemaOf(check))({ ...check.defaultOptions })) {
      problems.push(`${check.id}: defaultOptions do not satisfy optionsSchema`);
    }
  }
  // A file is a check when its default export is one; anything else there is a helper.
  for (const name of readdirSync(checksDir)
    .filter((n) => n.endsWith('.ts') && !NOT_CHECKS.has(n))
    .sort()) {
    const module = (await import(pathToFileURL(path.join(checksDir, name)).href)) as { default?: unknown };
    if (!isCheck(module.default)) continue;
    if (!registry.includes(module.default) && !ids.includes(module.default.id)) problems.push(`${name}: not in the registry`);
    if (`${module.default.id}.ts` !== name) problems.push(`${name}: holds check "${module.default.id}"; name the file after its id`);
  }
  return problems;
}

/**
 * A check's docs say it is fixable exactly when its failing example's findings come with edits,
 * and applying them (as `runbooks fix` does) leaves the example without a finding of the check.
 */
async function fixableProblems(registry: readonly Check[], dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, check] of registry.entries()) {
    const failing = check.docs.examples?.failing;
    if (!failing) continue;
    const root = writeFiles(path.join(dir, `${i}-${check.id}`), { 'runbooks.config.yaml': EXAMPLE_CONFIG, ...failing.files });
    const config = loadConfig(root).config;
    if (!config) throw new Error(`the failing example of ${check.id} has a config problem`);
    const offered = offeredFixes(await loadProject(config), [check], { today: EXAMPLE_TODAY });
    if (offered.length > 0 && check.docs.fixable === undefined)
      problems.push(`${check.id}: offers fixes, but docs.fixable does not say what they do`);
    if (offered.length === 0 && check.docs.fixable !== undefined)
      problems.push(`${check.id}: docs.fixable says it is fixable, but its failing example offers no fix`);
    if (offered.length === 0 || check.docs.fixable === undefined) continue;
    const plan = await planFixes(await loadProject(config), [check]);
    if ((await applyFixes(root, plan)).length + plan.diagnostics.length > 0)
      problems.push(`${check.id}: its fixes of the failing example could not be applied`);
    const left = (await lint(config, { today: EXAMPLE_TODAY })).diagnostics.filter((d) => d.ruleId === check.id);
    if (left.length > 0) problems.push(`${check.id}: its fixes leave ${left.length} finding(s) in the failing example`);
  }
  return problems;
}

const checksDir = path.join(REPO, 'src/lib/checks');
const testsDir = path.join(REPO, 'test/checks');
const temp = tempDir();
afterAll(temp.remove);

describe('the check registry', () => {
  it('has a file, a registry entry, a test file and docs for every check', async () => {
    expect(await metaProblems(checks, checksDir, testsDir)).toEqual([]);
  });

  it('holds the core checks', () => {
    expect(checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'alert-has-runbook',
        'runbook-alert-exists',
        'duplicate-runbook',
        'frontmatter-schema',
        'runbook-url',
        'severity-match',
        'required-sections',
        'placeholder-content',
        'stale-review',
        'broken-link',
      ]),
    );
  });

  it('has fixtures for every check', () => {
    for (const check of checks) expect(existsSync(path.join(REPO, 'test/fixtures', check.id)), check.id).toBe(true);
  });

  it('fails when a check lacks its file, its test or its docs', async () => {
    const bare = {
      id: 'no-such-check',
      severity: 'error',
      description: '',
      docs: { rationale: ' ' },
      defaultOptions: { limit: 1 },
      check() {},
    } as unknown as Check;
    expect(await metaProblems([...checks, bare], checksDir, testsDir)).toEqual([
      'no-such-check: no file no-such-check.ts',
      'no-such-check: no test file no-such-check.test.ts',
      'no-such-check: no description',
      'no-such-check: no docs.rationale',
      'no-such-check: docs.findingsIn is not rule, line or frontmatter',
      'no-such-check: options declared in optionsSchema (), defaulted (limit) and documented () differ',
    ]);
  });

  it('says a check is fixable exactly when it offers edits, and its edits repair what it found', async () => {
    expect(await fixableProblems(checks, path.join(temp.dir, 'fixable'))).toEqual([]);
    expect(checks.filter((c) => c.docs.fixable !== undefined).map((c) => c.id)).toEqual(['runbook-url']);
  });

  it('fails when docs.fixable and the edits a check offers disagree', async () => {
    const byId = (id: string): Check => checks.find((c) => c.id === id) as Check;
    const silent = { ...byId('runbook-url'), docs: { ...byId('runbook-url').docs, fixable: undefined } };
    const boastful = { ...byId('alert-has-runbook'), docs: { ...byId('alert-has-runbook').docs, fixable: 'Writes the runbook.' } };
    const runbookUrl = byId('runbook-url');
    if (!runbookUrl.check) throw new Error('runbook-url checks the whole project');
    const check = runbookUrl.check;
    const useless: Check = {
      ...runbookUrl,
      check: (context, report) =>
        check(context, (found) => report({ ...found, fix: found.fix && { ...found.fix, value: 'https://wiki.example.com/ApiDown' } })),
    };
    expect(await fixableProblems([silent, boastful, useless], path.join(temp.dir, 'fixable-bad'))).toEqual([
      'runbook-url: offers fixes, but docs.fixable does not say what they do',
      'alert-has-runbook: docs.fixable says it is fixable, but its failing example offers no fix',
      'runbook-url: its fixes leave 1 finding(s) in the failing example',
    ]);
  });

  it('fails when a check file is not in the registry', async () => {
    const dir = path.join(temp.dir, 'checks');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'forgotten-check.ts'),
      `export default { id: 'forgotten-check', severity: 'error', description: 'd', docs: { rationale: 'r' }, check() {} };\n`,
    );
    writeFileSync(path.join(dir, 'helper.ts'), 'export function helper(): number { return 1; }\n');
    expect(await metaProblems([], dir, testsDir)).toEqual(['forgotten-check.ts: not in the registry']);
  });
});
