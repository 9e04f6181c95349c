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
import { compileSchema } from '../src/lib/config/ajv.ts';
import { REPO, tempDir } from './harness.ts';

/** Files in the checks folder that are not checks: the helper that declares them and the registry. */
const NOT_CHECKS = new Set(['define.ts', 'index.ts', 'options.ts']);

function isCheck(value: unknown): value is Check {
  return typeof value === 'object' && value !== null && typeof (value as Check).id === 'string' && typeof (value as Check).check === 'function';
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
    if (!['error', 'warning', 'info'].includes(check.severity)) problems.push(`${check.id}: bad default severity ${String(check.severity)}`);
    // Every option has a schema (validated at load), a default the schema accepts, and docs. (The
    // docs may also name a setting that lives elsewhere in the config, as required-sections does.)
    const documented = Object.keys(check.docs?.options ?? {});
    const declared = Object.keys(check.optionsSchema ?? {}).sort();
    const defaulted = Object.keys(check.defaultOptions ?? {}).sort();
    if (declared.join() !== defaulted.join() || !declared.every((name) => documented.includes(name))) {
      problems.push(`${check.id}: options declared in optionsSchema (${declared.join(', ')}), defaulted (${defaulted.join(', ')}) and documented (${documented.join(', ')}) differ`);
    } else if (declared.length > 0 && !compileSchema(optionsSchemaOf(check))({ ...check.defaultOptions })) {
      problems.push(`${check.id}: defaultOptions do not satisfy optionsSchema`);
    }
  }
  // A file is a check when its default export is one; anything else there is a helper.
  for (const name of readdirSync(checksDir).filter((n) => n.endsWith('.ts') && !NOT_CHECKS.has(n)).sort()) {
    const module = (await import(pathToFileURL(path.join(checksDir, name)).href)) as { default?: unknown };
    if (!isCheck(module.default)) continue;
    if (!registry.includes(module.default) && !ids.includes(module.default.id)) problems.push(`${name}: not in the registry`);
    if (`${module.default.id}.ts` !== name) problems.push(`${name}: holds check "${module.default.id}"; name the file after its id`);
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
    expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining([
      'alert-has-runbook', 'runbook-alert-exists', 'duplicate-runbook', 'frontmatter-schema', 'runbook-url',
      'severity-match', 'required-sections', 'placeholder-content', 'stale-review', 'broken-link',
    ]));
  });

  it('has fixtures for every check', () => {
    for (const check of checks) expect(existsSync(path.join(REPO, 'test/fixtures', check.id)), check.id).toBe(true);
  });

  it('fails when a check lacks its file, its test or its docs', async () => {
    const bare = { id: 'no-such-check', severity: 'error', description: '', docs: { rationale: ' ' }, defaultOptions: { limit: 1 }, check() {} } as Check;
    expect(await metaProblems([...checks, bare], checksDir, testsDir)).toEqual([
      'no-such-check: no file no-such-check.ts',
      'no-such-check: no test file no-such-check.test.ts',
      'no-such-check: no description',
      'no-such-check: no docs.rationale',
      'no-such-check: options declared in optionsSchema (), defaulted (limit) and documented () differ',
    ]);
  });

  it('fails when a check file is not in the registry', async () => {
    const dir = path.join(temp.dir, 'checks');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'forgotten-check.ts'), `export default { id: 'forgotten-check', severity: 'error', description: 'd', docs: { rationale: 'r' }, check() {} };\n`);
    writeFileSync(path.join(dir, 'helper.ts'), 'export function helper(): number { return 1; }\n');
    expect(await metaProblems([], dir, testsDir)).toEqual(['forgotten-check.ts: not in the registry']);
  });
});
