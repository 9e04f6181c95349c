/**
 * The baseline (engine/baseline.ts): findings accepted by file, check and the check's stable key,
 * never by line. Unit tests on lint results, then the real CLI and the site build honouring it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checks } from '../src/lib/checks/index.ts';
import { runExample } from '../src/lib/site/check-docs.ts';
import { EXAMPLE_CONFIG, exampleProject, exampleRules, exampleRunbook } from '../src/lib/checks/examples.ts';
import { applyBaseline, createBaseline, formatBaseline, readBaseline } from '../src/lib/engine/baseline.ts';
import { loadSite, SiteBuildError } from '../src/lib/site/load-site.ts';
import { lintProject, runCli, tempDir, writeFiles, type CliRun } from './harness.ts';
import { lintAt, rulesFor, smallProjects } from './support/small-project.ts';

const temp = tempDir('runbooks-baseline-');
afterAll(temp.remove);
let count = 0;
function project(files: Record<string, string>, config = EXAMPLE_CONFIG): string {
  return writeFiles(path.join(temp.dir, `p${++count}`), { 'runbooks.config.yaml': config, ...files });
}

/** Two alerts, neither runbook right: a wrong severity, a TODO, a stale review, a missing runbook. */
function adopted(): Record<string, string> {
  return {
    'rules/api.yaml': exampleRules([{ name: 'ApiDown' }, { name: 'ApiSlow', severity: 'warning' }, { name: 'ApiGone' }]),
    'runbooks/ApiDown.md': exampleRunbook({
      frontmatter: { severity: 'warning', last_reviewed: '2020-01-01' },
      sections: { Impact: 'TODO' },
    }),
    'runbooks/ApiSlow.md': exampleRunbook({ frontmatter: { alert: 'ApiSlow', severity: 'warning' } }),
  };
}

describe('every check keys its findings', () => {
  it('with a non-empty key on every finding of its failing example', async () => {
    for (const check of checks) {
      const failing = check.docs.examples?.failing;
      if (!failing) continue;
      const found = (await runExample(failing)).filter((d) => d.ruleId === check.id);
      expect(found.length, check.id).toBeGreaterThan(0);
      for (const d of found) expect(d.key, `${check.id}: ${d.message}`).toMatch(/\S/);
    }
  });
});

describe('applyBaseline', () => {
  it('accepts the recorded findings after edits elsewhere in the file and as days pass, and nothing new', async () => {
    const dir = project(adopted());
    const first = await lintProject(dir, '2026-11-01');
    expect(first.diagnostics.map((d) => d.ruleId).sort()).toEqual([
      'alert-has-runbook',
      'placeholder-content',
      'severity-match',
      'stale-review',
    ]);
    const baseline = createBaseline(first.diagnostics);

    // Lines added above every finding, and a month later (stale-review's message says another age).
    const file = path.join(dir, 'runbooks/ApiDown.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('# API is down\n', '# API is down\n\nA paragraph.\n\nAnother one.\n'));
    const later = await lintProject(dir, '2026-12-01');
    expect(later.diagnostics.find((d) => d.ruleId === 'stale-review')?.line).toBe(
      first.diagnostics.find((d) => d.ruleId === 'stale-review')?.line,
    );
    const applied = applyBaseline(later.diagnostics, baseline);
    expect(applied.diagnostics).toEqual([]);
    expect(applied.baselined).toHaveLength(4);
    expect(applied.stale).toEqual([]);

    // A second TODO in the same file is new; so is the same check's finding in another file.
    writeFileSync(file, readFileSync(file, 'utf8').replace('Roll back the last deploy', 'TODO roll back the last deploy'));
    const slow = path.join(dir, 'runbooks/ApiSlow.md');
    writeFileSync(slow, readFileSync(slow, 'utf8').replace('severity: warning', 'severity: critical'));
    const worse = applyBaseline((await lintProject(dir, '2026-12-01')).diagnostics, baseline);
    expect(worse.diagnostics.map((d) => `${d.file} ${d.ruleId}`).sort()).toEqual([
      'runbooks/ApiDown.md placeholder-content',
      'runbooks/ApiSlow.md severity-match',
    ]);
  });

  it('lists what no longer occurs, and never accepts findings no comment could excuse', async () => {
    const dir = project(adopted());
    const baseline = createBaseline((await lintProject(dir)).diagnostics);
    writeFileSync(path.join(dir, 'runbooks/ApiGone.md'), exampleRunbook({ frontmatter: { alert: 'ApiGone' } }));
    writeFileSync(path.join(dir, 'rules/broken.yaml'), 'groups: [\n');
    const result = applyBaseline((await lintProject(dir)).diagnostics, baseline);
    expect(result.stale).toEqual([{ file: 'rules/api.yaml', ruleId: 'alert-has-runbook', key: 'ApiGone', count: 1 }]);
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['parse-error']);
    expect(createBaseline(result.diagnostics).files).toEqual({});
  });

  it('writes keys sorted at every level, and refuses a file it cannot trust', () => {
    const text = formatBaseline({ version: 1, files: { 'b.md': { y: { k: 1 }, x: { b: 2, a: 1 } }, 'a.md': { z: { k: 1 } } } });
    expect(text).toBe(
      `${JSON.stringify({ version: 1, files: { 'a.md': { z: { k: 1 } }, 'b.md': { x: { a: 1, b: 2 }, y: { k: 1 } } } }, null, 2)}\n`,
    );
    const dir = project({});
    const at = (name: string, body: string): string => {
      writeFileSync(path.join(dir, name), body);
      return path.join(dir, name);
    };
    expect(readBaseline(path.join(dir, 'absent.json'), false)).toEqual({ baseline: { version: 1, files: {} } });
    expect(readBaseline(path.join(dir, 'absent.json'), true).problem).toMatch(/does not exist.*--baseline-update/);
    expect(readBaseline(at('bad.json', '{'), false).problem).toMatch(/not valid JSON/);
    expect(readBaseline(at('v2.json', '{"version":2,"files":{}}'), false).problem).toMatch(/not a version 1 baseline/);
    expect(readBaseline(at('count.json', '{"version":1,"files":{"a.md":{"x":{"k":0}}}}'), false).problem).toMatch(/whole number above 0/);
  });
});

describe('runbooks lint with a baseline (the real CLI)', () => {
  const dir = project(adopted());
  const runs: CliRun[] = [];
  const cli = async (...args: string[]): Promise<CliRun> => {
    const r = await runCli(['lint', ...args], dir);
    runs.push(r);
    return r;
  };

  it("--baseline-update accepts today's findings; later runs fail only on new ones and say how many were accepted", async () => {
    expect((await cli()).code).toBe(1);
    const update = await cli('--baseline-update');
    expect(update.code, update.stderr).toBe(0);
    expect(update.stderr).toMatch(/wrote runbooks-baseline\.json: 4 findings in 2 files accepted \(4 added, 0 pruned\)/);
    const written = JSON.parse(readFileSync(path.join(dir, 'runbooks-baseline.json'), 'utf8'));
    expect(written.files['runbooks/ApiDown.md']).toEqual({
      'placeholder-content': { 'word:TODO': 1 },
      'severity-match': { ApiDown: 1 },
      'stale-review': { last_reviewed: 1 },
    });
    expect(written.files['rules/api.yaml']).toEqual({ 'alert-has-runbook': { ApiGone: 1 } });

    const clean = await cli();
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/no problems\n4 findings accepted by the baseline, not shown\n$/);
    const [json, sarif] = await Promise.all([cli('--format', 'json'), cli('--format', 'sarif')]);
    expect(JSON.parse(json.stdout)).toMatchObject({ baselined: 4, counts: { errors: 0, warnings: 0 } });
    expect(JSON.parse(sarif.stdout).runs[0]).toMatchObject({ results: [], properties: { baselined: 4 } });
    expect(sarif.stderr).toBe('runbooks lint: 4 findings accepted by the baseline, not reported\n');

    // A new finding fails; a fixed one is reported as no longer occurring, and pruned by the next update.
    writeFileSync(path.join(dir, 'runbooks/ApiGone.md'), exampleRunbook({ frontmatter: { alert: 'ApiGone', owner: null } }));
    const worse = await cli();
    expect(worse.code).toBe(1);
    expect(worse.stdout).toContain('Missing required key "owner"');
    expect(worse.stdout).toMatch(/✖ 1 problem \(1 error, 0 warnings\) in 1 file\n3 findings accepted/);
    expect(worse.stdout).not.toContain('ApiGone" has no runbook');
    expect(worse.stderr).toContain('1 finding in runbooks-baseline.json no longer occurs');
    expect(worse.stderr).toMatch(/rules\/api\.yaml {2}alert-has-runbook {2}ApiGone/);
    const pruned = await cli('--baseline-update');
    expect(pruned.stderr).toMatch(/4 findings in 2 files accepted \(1 added, 1 pruned\)/);
    expect((await cli()).stderr).toBe('');
  }, 60_000);

  it('--baseline names another file (relative to the working directory), and a missing or broken one is exit 2', async () => {
    const other = await cli('--baseline', 'ci/accepted.json', '--baseline-update');
    expect(other.code).toBe(0);
    expect(existsSync(path.join(dir, 'ci/accepted.json'))).toBe(true);
    const [named, missing] = await Promise.all([cli('--baseline', 'ci/accepted.json'), cli('--baseline', 'ci/typo.json')]);
    expect(named.code).toBe(0);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/baseline ci\/typo\.json: the file does not exist/);
    writeFileSync(path.join(dir, 'runbooks-baseline.json'), '{ not json');
    const broken = await cli();
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/baseline runbooks-baseline\.json: it is not valid JSON/);
  }, 60_000);
});

describe('the config key and the site build', () => {
  it('honour the baseline the config names: the build publishes what lint accepts, and fails on a new error', async () => {
    const dir = project(adopted(), `${EXAMPLE_CONFIG}baseline: .runbooks/accepted.json\nchecks:\n  alert-has-runbook: off\n`);
    const before = await loadSite({ cwd: dir, config: 'runbooks.config.yaml', today: '2026-11-01' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(before).toBeInstanceOf(SiteBuildError);
    const update = await runCli(['lint', '--baseline-update'], dir);
    expect(update.stderr).toContain('wrote .runbooks/accepted.json: 3 findings');
    const site = await loadSite({ cwd: dir, config: 'runbooks.config.yaml', today: '2026-11-01' });
    expect(site.model.pages.map((p) => p.alert).sort()).toEqual(['ApiDown', 'ApiSlow']);
    expect(site.diagnostics).toEqual([]);
    writeFileSync(path.join(dir, 'runbooks/ApiSlow.md'), exampleRunbook({ frontmatter: { alert: 'ApiSlow', severity: 'critical' } }));
    const after = await loadSite({ cwd: dir, config: 'runbooks.config.yaml', today: '2026-11-01' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(after).toBeInstanceOf(SiteBuildError);
    expect((after as SiteBuildError).report).toContain('runbooks/ApiSlow.md');
    expect((after as SiteBuildError).report).not.toContain('runbooks/ApiDown.md');
  }, 30_000);
});

it('a clean project writes an empty baseline', async () => {
  const dir = project(exampleProject());
  const r = await runCli(['lint', '--baseline-update'], dir);
  expect(r.code).toBe(0);
  expect(JSON.parse(readFileSync(path.join(dir, 'runbooks-baseline.json'), 'utf8'))).toEqual({ version: 1, files: {} });
});

describe('hostile names in the baseline', () => {
  const small = smallProjects('runbooks-baseline-names-');

  it('records and accepts findings about alerts named __proto__ and constructor', async () => {
    const root = small.project({ 'rules/a.yaml': rulesFor('__proto__', 'constructor', 'toString') });
    const found = (await lintAt(root)).filter((d) => d.ruleId === 'alert-has-runbook');
    expect(found).toHaveLength(3);
    const baseline = JSON.parse(formatBaseline(createBaseline(found))) as Parameters<typeof applyBaseline>[1];
    const applied = applyBaseline(found, baseline);
    expect([applied.diagnostics, applied.baselined.length, applied.stale]).toEqual([[], 3, []]);
  });
});
