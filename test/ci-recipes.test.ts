/**
 * The CI recipes in examples/ci are run, not guessed: their lint steps run for real in a team's
 * repository (its own rules and runbooks, the tool installed under node_modules as `npm ci` would
 * leave it, nothing of this repository's scripts), and their outputs are checked. What only GitHub
 * or GitLab can run (actions, the report upload) is checked for wiring: the file a step writes is
 * the file the next one reads, every command and flag exists.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lintCommand } from '../src/cli/lint.ts';
import { REPO, tempDir } from './harness.ts';
import { haveSarifSchema, sarifValidator } from './support/shared.ts';

const CI = path.join(REPO, 'examples/ci');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  'continue-on-error'?: boolean;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[]; needs?: string[]; if?: string; permissions?: Record<string, string> }>;
}

const workflow = parse(readFileSync(path.join(CI, 'github-workflow.yml'), 'utf8')) as Workflow;
const gitlab = parse(readFileSync(path.join(CI, 'gitlab-ci.yml'), 'utf8')) as {
  runbooks: { script: string[]; artifacts: { when: string; reports: { junit: string } } };
};
const lintFlags = new Set(Object.entries(lintCommand.options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]));

/** Every `npx runbooks <command> <flags>` in a shell line: the command, and the flags passed to it. */
function runbooksRuns(line: string): { command: string; flags: string[] }[] {
  return [...line.matchAll(/npx(?: --no)? runbooks ([\w-]+)([^\n;&|)]*)/g)].map((m) => ({
    command: m[1] as string,
    flags: (m[2] ?? '').split(/\s+/).filter((w) => w.startsWith('-')),
  }));
}

/** The commands `runbooks --help` lists. */
const cliCommands = (() => {
  const help = spawnSync(path.join(REPO, 'node_modules/.bin/node'), [path.join(REPO, 'src/cli/main.ts'), '--help'], {
    encoding: 'utf8',
  }).stdout;
  return new Set(
    [
      ...(help
        .split('Commands:\n')[1]
        ?.split('\n\n')[0]
        ?.matchAll(/^ {2}(\S+)/gm) ?? []),
    ].map((m) => m[1] as string),
  );
})();

/** A recipe's commands exist: lint with its flags, and every other command the CLI lists. */
function expectCommandsExist(runs: { command: string; flags: string[] }[]): void {
  for (const { command, flags } of runs) {
    expect(cliCommands, command).toContain(command);
    if (command === 'lint') for (const flag of flags) expect(lintFlags, flag).toContain(flag);
  }
}

/** The value a flag takes in a command line. */
function flagValue(line: string, flag: string): string | undefined {
  return new RegExp(`${flag}[ =]("[^"]*"|\\S+)`).exec(line)?.[1]?.replaceAll('"', '');
}

/**
 * The environment of a CI job or a developer's shell after `npm ci`: Node 24 first on PATH (this
 * repository's pinned one, as setup-node would give), and npm offline, so `npx` can only run the
 * installed tool and never fetch a package of that name.
 */
const ENV = {
  ...process.env,
  NO_COLOR: '1',
  PATH: `${path.join(REPO, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
  npm_config_offline: 'true',
};

function sh(command: string, cwd: string, env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8', env: { ...ENV, ...env } });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A team's repository, committed: the bundled example's rules, runbooks, schema and config as its
 * own, a package.json with runbooks as its only dev dependency, and the tool installed as npm
 * leaves it (node_modules/runbooks, and its bin in node_modules/.bin). This checkout stands in for
 * the package: packing and installing the tarball is the end-to-end test's job.
 */
function teamRepo(prefix: string): { dir: string; remove: () => void } {
  const repo = tempDir(prefix);
  for (const part of ['rules', 'runbooks', 'schema', 'runbooks.config.yaml'])
    cpSync(path.join(REPO, part), path.join(repo.dir, part), { recursive: true });
  writeFileSync(
    path.join(repo.dir, 'package.json'),
    `${JSON.stringify({ name: 'team-runbooks', private: true, devDependencies: { runbooks: `file:${REPO}` } }, null, 2)}\n`,
  );
  writeFileSync(path.join(repo.dir, '.gitignore'), 'node_modules/\n.cache/\n');
  mkdirSync(path.join(repo.dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(REPO, path.join(repo.dir, 'node_modules/runbooks'));
  symlinkSync('../runbooks/src/cli/bin.js', path.join(repo.dir, 'node_modules/.bin/runbooks'));
  const git = (...args: string[]): void => {
    const r = spawnSync('git', args, { cwd: repo.dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  git('add', '.');
  git('commit', '--quiet', '-m', 'runbooks');
  return repo;
}

let clone: { dir: string; remove: () => void };

/** Breaks the clone the way a pull request might: a wrong severity (error), a TODO (error), a missing runbook_url (warning). */
function breakRunbooks(dir: string): void {
  const runbook = path.join(dir, 'runbooks/HostDown.md');
  writeFileSync(
    runbook,
    readFileSync(runbook, 'utf8')
      .replace('severity: critical', 'severity: warning')
      .replace('## Impact\n', '## Impact\n\nTODO: say who is affected.\n'),
  );
  const rules = path.join(dir, 'rules/node.yaml');
  writeFileSync(rules, readFileSync(rules, 'utf8').replace('          runbook_url: https://runbooks.example.com/alerts/HostDown/\n', ''));
}

function jsonReport(dir: string): {
  counts: { errors: number; warnings: number; infos: number };
  diagnostics: { ruleId: string; file: string }[];
} {
  const r = sh('npx runbooks lint --format json', dir);
  return JSON.parse(r.stdout);
}

beforeAll(() => {
  clone = teamRepo('runbooks-ci-');
}, 60_000);

afterAll(() => clone?.remove());

describe('GitHub Actions workflow', () => {
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it('runs on pull requests and on pushes to main, and deploys only from main after lint and build', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.jobs.deploy?.needs).toEqual(['lint', 'site']);
    expect(workflow.jobs.deploy?.if).toContain("github.ref == 'refs/heads/main'");
    expect(workflow.jobs.lint?.permissions?.['security-events']).toBe('write');
  });

  it('runs the installed tool (npx runbooks), with commands and flags that exist, and no npm script of this repository', () => {
    const runs = steps.flatMap((s) => (s.run ? runbooksRuns(s.run) : []));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expectCommandsExist(runs);
    expect(runs.map((r) => r.command)).toContain('build');
    for (const s of steps) expect(s.run ?? '', 'an npm script only this repository has').not.toMatch(/npm run/);
  });

  it('uploads the file the SARIF step writes, and publishes the folder Astro builds into', () => {
    const sarifStep = steps.find((s) => s.run?.includes('--format sarif')) as Step;
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')) as Step;
    expect(upload.with?.sarif_file).toBe(flagValue(sarifStep.run as string, '--output'));
    expect(sarifStep['continue-on-error']).toBe(true);
    expect(upload.if).toContain('!cancelled()');
    const pages = steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@')) as Step;
    // `runbooks build` writes the team's dist/ unless its config says otherwise.
    expect(readFileSync(path.join(REPO, 'runbooks.config.yaml'), 'utf8')).not.toMatch(/outDir/);
    expect(pages.with?.path).toBe('dist');
    for (const s of steps.filter((x) => x.uses)) expect(s.uses, 'pinned to a major version').toMatch(/@v\d+$/);
  });

  it('its lint steps pass on the clean repository', () => {
    const lintSteps = steps.filter((s) => s.run?.includes('runbooks lint'));
    expect(lintSteps).toHaveLength(2);
    for (const step of lintSteps) {
      const r = sh(step.run as string, clone.dir);
      expect(r.status, `${step.name}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(sh('npx runbooks lint --format github', clone.dir).stdout).toMatch(/^runbooks: \d+ files checked, no problems\n$/);
  }, 60_000);

  it('its lint steps, run on a broken pull request, annotate every finding, write valid SARIF and fail', () => {
    breakRunbooks(clone.dir);
    try {
      const expected = jsonReport(clone.dir);
      expect(expected.counts.errors).toBeGreaterThanOrEqual(2);
      expect(expected.counts.warnings).toBeGreaterThanOrEqual(1);

      const sarifStep = steps.find((s) => s.run?.includes('--format sarif')) as Step;
      const sarifRun = sh(sarifStep.run as string, clone.dir);
      expect(sarifRun.status).toBe(1);
      // The console still gets the stylish summary.
      expect(sarifRun.stdout).toMatch(/✖ \d+ problems \(\d+ errors, \d+ warnings?\)/);
      const file = path.join(clone.dir, flagValue(sarifStep.run as string, '--output') as string);
      const log = JSON.parse(readFileSync(file, 'utf8'));
      if (haveSarifSchema()) {
        const validate = sarifValidator();
        expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
      }
      expect(log.runs[0].results).toHaveLength(expected.diagnostics.length);
      expect(
        log.runs[0].results.map(
          (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
            r.locations[0]?.physicalLocation.artifactLocation.uri,
        ),
      ).toEqual(expected.diagnostics.map((d) => d.file));

      const annotate = steps.find((s) => s.run?.includes('--format github')) as Step;
      const annotations = sh(annotate.run as string, clone.dir);
      expect(annotations.status).toBe(1);
      const commands = annotations.stdout.split('\n').filter((l) => l.startsWith('::'));
      expect(commands).toHaveLength(expected.diagnostics.length);
      expect(commands.filter((l) => l.startsWith('::error ')).length).toBe(expected.counts.errors);
      expect(commands.filter((l) => l.startsWith('::warning ')).length).toBe(expected.counts.warnings);
      expect(
        commands.some((l) => l.startsWith('::error file=runbooks/HostDown.md,') && l.includes('title=runbooks%3A severity-match')),
      ).toBe(true);
      expect(
        commands.some(
          (l) => l.startsWith('::warning file=rules/node.yaml,') && l.includes('Docs: https://runbooks.example.com/checks/runbook-url/'),
        ),
      ).toBe(true);
    } finally {
      sh('git checkout -- runbooks rules && rm -f runbooks.sarif', clone.dir);
    }
  }, 60_000);
});

describe('GitLab CI job', () => {
  it('the README shows the job exactly as tested', () => {
    const job = readFileSync(path.join(CI, 'gitlab-ci.yml'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    expect(readFileSync(path.join(CI, 'README.md'), 'utf8')).toContain(`\`\`\`yaml\n${job}\`\`\``);
  });

  it('writes the JUnit report the artifacts section names, with a failing test per finding, and fails', () => {
    const job = gitlab.runbooks;
    expect(job.artifacts.when).toBe('always');
    const lintLine = job.script.find((l) => l.includes('runbooks lint')) as string;
    expect(runbooksRuns(lintLine)).toHaveLength(1);
    expectCommandsExist(runbooksRuns(lintLine));
    expect(flagValue(lintLine, '--output')).toBe(job.artifacts.reports.junit);
    breakRunbooks(clone.dir);
    try {
      const expected = jsonReport(clone.dir);
      // Every script line but `npm ci` (which needs the network), in order, as the runner does.
      for (const line of job.script.filter((l) => !l.startsWith('npm ci'))) {
        const r = sh(line, clone.dir);
        expect(r.status, line).toBe(1);
      }
      const xml = readFileSync(path.join(clone.dir, job.artifacts.reports.junit), 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      const doc = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        isArray: (n) => ['testsuite', 'testcase'].includes(n),
      }).parse(xml) as {
        testsuites: { failures: string; testsuite: { name: string; testcase: { failure?: unknown; file?: string }[] }[] };
      };
      expect(Number(doc.testsuites.failures)).toBe(expected.counts.errors + expected.counts.warnings);
      const failed = doc.testsuites.testsuite.flatMap((s) => s.testcase.filter((c) => c.failure).map((c) => `${c.file} ${s.name}`)).sort();
      expect(failed).toEqual(expected.diagnostics.map((d) => `${d.file} ${d.ruleId}`).sort());
    } finally {
      sh('git checkout -- runbooks rules && rm -f runbooks-junit.xml', clone.dir);
    }
  }, 60_000);
});

describe('pre-commit hook', () => {
  let repo: { dir: string; remove: () => void };
  const git = (...args: string[]) => spawnSync('git', args, { cwd: repo.dir, encoding: 'utf8', env: ENV });
  const head = () => git('rev-parse', 'HEAD').stdout.trim();

  beforeAll(() => {
    repo = teamRepo('runbooks-hook-');
    const hook = path.join(repo.dir, '.git/hooks/pre-commit');
    copyFileSync(path.join(CI, 'pre-commit'), hook);
    chmodSync(hook, 0o755);
  }, 60_000);
  afterAll(() => repo?.remove());

  it('blocks a commit with a broken runbook, judging the staged file, not the working tree', () => {
    const before = head();
    const file = path.join(repo.dir, 'runbooks/HostDown.md');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('## Mitigation', '## Mitigations'));
    git('add', 'runbooks/HostDown.md');
    // Fixed in the working tree but not staged: the commit would still record the broken file.
    writeFileSync(file, good);
    const blocked = git('commit', '-m', 'break HostDown');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('Missing required section "## Mitigation"');
    expect(blocked.stderr).toContain('commit blocked');
    expect(head()).toBe(before);

    // A good change staged, a broken one left in the working tree only: the commit goes through.
    const better = good.replace('# Host is down', '# Host is down\n\nA host stopped answering.');
    writeFileSync(file, better);
    git('add', 'runbooks/HostDown.md');
    writeFileSync(file, better.replace('## Mitigation', '## Mitigations'));
    const allowed = git('commit', '-m', 'explain HostDown');
    expect(allowed.status, allowed.stdout + allowed.stderr).toBe(0);
    expect(head()).not.toBe(before);
    git('checkout', '--', 'runbooks/HostDown.md');
  }, 60_000);

  it('skips the lint when no file it reads is staged', () => {
    const before = head();
    writeFileSync(path.join(repo.dir, 'notes.txt'), 'not linted\n');
    git('add', 'notes.txt');
    const started = Date.now();
    const skipped = git('commit', '-m', 'notes');
    expect(skipped.status, skipped.stderr).toBe(0);
    expect(skipped.stdout + skipped.stderr).not.toMatch(/files checked/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(head()).not.toBe(before);
  }, 60_000);

  it('says when the staged config is what is wrong, and prints paths of the repository, not of its snapshot', () => {
    const before = head();
    const config = path.join(repo.dir, 'runbooks.config.yaml');
    const good = readFileSync(config, 'utf8');
    writeFileSync(config, good.replace('  - rules/**/*.yaml', '  - rulez/**/*.yaml'));
    git('add', 'runbooks.config.yaml');
    const blocked = git('commit', '-m', 'typo');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toMatch(
      /^runbooks\.config\.yaml\n {2}3:5 +error +No files matching the rules pattern "rulez\/\*\*\/\*\.yaml"/m,
    );
    expect(blocked.stderr).toContain('commit blocked: the configuration is wrong');
    expect(head()).toBe(before);
    writeFileSync(config, good);
    git('add', 'runbooks.config.yaml');
  }, 60_000);

  // The framework is a Debian package (`apt-get install pre-commit`); without it only the wiring is checked.
  const hasFramework = spawnSync('pre-commit', ['--version']).status === 0;
  it.skipIf(!hasFramework)(
    'with the pre-commit framework, the config blocks a broken runbook and passes a good one',
    () => {
      const env = { ...ENV, PRE_COMMIT_HOME: path.join(repo.dir, '.pre-commit-cache') };
      const run = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { cwd: repo.dir, encoding: 'utf8', env });
      copyFileSync(path.join(CI, 'pre-commit-config.yaml'), path.join(repo.dir, '.pre-commit-config.yaml'));
      run('git', 'add', '.pre-commit-config.yaml');
      expect(run('git', 'commit', '-q', '--no-verify', '-m', 'pre-commit config').status).toBe(0);
      // Replaces the plain hook installed above with the framework's.
      expect(run('pre-commit', 'install', '--overwrite').status).toBe(0);
      const before = head();
      const file = path.join(repo.dir, 'runbooks/HostDown.md');
      const good = readFileSync(file, 'utf8');
      writeFileSync(file, good.replace('## Mitigation', '## Mitigations'));
      run('git', 'add', 'runbooks/HostDown.md');
      const blocked = run('git', 'commit', '-m', 'break');
      expect(blocked.status).not.toBe(0);
      expect(blocked.stdout + blocked.stderr, blocked.stdout + blocked.stderr).toMatch(/runbooks lint\.+Failed/);
      expect(blocked.stdout + blocked.stderr).toContain('Missing required section "## Mitigation"');
      expect(head()).toBe(before);
      writeFileSync(file, good.replace('# Host is down', '# Host is down\n\nStill down.'));
      run('git', 'add', 'runbooks/HostDown.md');
      const ok = run('git', 'commit', '-m', 'fine');
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout + ok.stderr).toMatch(/runbooks lint\.+Passed/);
    },
    120_000,
  );

  it('the pre-commit framework config runs the installed tool, on the same files', () => {
    const config = parse(readFileSync(path.join(CI, 'pre-commit-config.yaml'), 'utf8')) as {
      repos: { repo: string; hooks: { entry: string; files: string; pass_filenames: boolean }[] }[];
    };
    const hook = config.repos[0]?.hooks[0];
    expect(config.repos[0]?.repo).toBe('local');
    expect(hook?.pass_filenames).toBe(false);
    expect(hook?.entry).toBe('npx --no runbooks lint');
    expect(readFileSync(path.join(CI, 'pre-commit'), 'utf8')).toContain('npx --no runbooks lint');
    const pattern = new RegExp(hook?.files ?? '$^');
    expect(['runbooks/HostDown.md', 'rules/node.yaml', 'schema/runbook.schema.json'].every((f) => pattern.test(f))).toBe(true);
    expect(pattern.test('notes.txt')).toBe(false);
    expect(existsSync(path.join(CI, 'pre-commit'))).toBe(true);
  });
});
