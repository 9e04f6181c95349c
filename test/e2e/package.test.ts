/**
 * The package as a team gets it. `npm pack` makes the real tarball; it is installed into a fresh
 * temporary repository that holds only the team's own rule files, runbooks and config
 * (test/e2e/team), on Node 22 and on Node 24, both taken from the npm `node` package (installed
 * once per run into the run's temporary folder). There the team's commands run as they would in
 * its CI, the built site is served, and every alert's runbook_url path must answer with its
 * runbook. The same tarball then serves the runbooks inside a minimal Astro site of the team's,
 * and beside a Starlight docs site, through the `runbooks/astro` integration.
 *
 * Each step of adopting (`npx runbooks init`, the recipes' commands, lint, build…) is one `it` in
 * the per-Node block, run with `repo.ok('npx runbooks …')`; a new step is one more.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../harness.ts';
import { removeDir, startServer, tempDir, type RunningServer } from '../support/servers.ts';

const TEAM = path.join(REPO, 'test/e2e/team');
/** What a team with an Astro site of its own adds: its pages (astro.config.mjs is written by the test). */
const ASTRO_SITE = path.join(REPO, 'test/e2e/astro-site');
/** A Starlight docs site's own files: its content config and one page (astro.config.mjs is written by the test). */
const STARLIGHT_SITE = path.join(REPO, 'test/e2e/starlight-site');
/** A Starlight release for Astro 7; raise it with Astro. */
const STARLIGHT_VERSION = '0.42.4';
const NODES = ['22', '24'] as const;
/** Too old for Astro 7: the bin must refuse it in one line. */
const OLD_NODE = '20';
const ASTRO_VERSION = (JSON.parse(readFileSync(path.join(REPO, 'node_modules/astro/package.json'), 'utf8')) as { version: string }).version;
const STEP_MS = 240_000;
/**
 * Where `npm install -g` puts the package: inside this checkout's (ignored) .cache/, away from the
 * temporary folder of the team's repository, as /usr/lib/node_modules is from a home folder. That
 * is the case where Astro needs the package reached through a link (src/cli/site.ts, pagesInside).
 */
const GLOBAL_PREFIX = path.join(REPO, '.cache', `e2e-global-${process.pid}`);

interface Outcome {
  status: number;
  output: string;
}

/** Runs a command to its end, never throwing: the outcome carries the exit status and all output. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ status: -1, output: `${output}\n${error.message}` }));
    child.once('close', (code) => resolve({ status: code ?? -1, output }));
  });
}

/**
 * The environment of a team's shell with `nodeBin` first on PATH. Without what `npm test` and
 * vitest put there: npm_* settings would steer the team's npm, and vitest's BASE_URL and MODE
 * would reach Astro.
 */
function teamEnv(nodeBin: string): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) => !/^(npm_|VITEST|INIT_CWD$|NODE$|BASE_URL$|MODE$|DEV$|PROD$|SSR$|NODE_ENV$|FORCE_COLOR$|RUNBOOKS_)/i.test(name),
  );
  return {
    ...Object.fromEntries(kept),
    PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    ASTRO_TELEMETRY_DISABLED: '1',
  };
}

/** A folder where commands run as in a team's shell. */
class Repo {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  constructor(dir: string, env: NodeJS.ProcessEnv) {
    this.dir = dir;
    this.env = env;
  }

  sh(command: string): Promise<Outcome> {
    return run('sh', ['-c', command], this.dir, this.env);
  }

  /** Runs `command`, which must exit 0; returns its output. */
  async ok(command: string): Promise<string> {
    const { status, output } = await this.sh(command);
    if (status !== 0) throw new Error(`\`${command}\` exited ${status} in ${this.dir}:\n${output.slice(-6000)}`);
    return output;
  }

  read(file: string): string {
    return readFileSync(path.join(this.dir, file), 'utf8');
  }
}

let work = '';
let tarball = '';
const nodeBin: Record<string, string> = {};

beforeAll(async () => {
  work = await tempDir('runbooks-e2e');
  // The pack and the three Node downloads are independent: they run side by side.
  const packed = run('npm', ['pack', '--silent', '--pack-destination', work], REPO, { ...process.env, NO_COLOR: '1' });
  const installs = [...NODES, OLD_NODE].map(async (major) => {
    const prefix = path.join(work, `node-${major}`);
    const installed = await run(
      'npm',
      ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `node@${major}`],
      work,
      teamEnv(''),
    );
    if (installed.status !== 0) throw new Error(`npm install node@${major} failed:\n${installed.output}`);
    nodeBin[major] = path.join(prefix, 'node_modules/.bin');
  });
  const [pack] = await Promise.all([packed, ...installs]);
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.output}`);
  const name = pack.output.trim().split('\n').pop() ?? '';
  tarball = path.join(work, name);
  if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}:\n${pack.output}`);
  // The team installs wait on the network and the disk more than on the 2 cores: they run side by
  // side, and each test below checks its own install's outcome.
  const setups = [
    ...NODES.map((major) => setUp('repo', major, (repo) => repo.sh(`npm install -D ${NPM_FLAGS} ${JSON.stringify(tarball)}`))),
    setUp('global', '24', (repo) =>
      repo.sh(`npm install -g --prefix ${JSON.stringify(GLOBAL_PREFIX)} ${NPM_FLAGS} ${JSON.stringify(tarball)}`),
    ),
    setUp('astro-site', '24', (repo) => {
      cpSync(ASTRO_SITE, repo.dir, { recursive: true });
      return repo.sh(`npm install -D ${NPM_FLAGS} ${JSON.stringify(tarball)} astro@${ASTRO_VERSION}`);
    }),
    setUp('starlight-site', '24', (repo) => {
      cpSync(STARLIGHT_SITE, repo.dir, { recursive: true });
      return repo.sh(
        `npm install -D ${NPM_FLAGS} ${JSON.stringify(tarball)} astro@${ASTRO_VERSION} @astrojs/starlight@${STARLIGHT_VERSION}`,
      );
    }),
  ];
  await Promise.all(setups);
}, STEP_MS);

/** npm's flags for the team's installs: what is in npm's cache already is not asked for again. */
const NPM_FLAGS = '--prefer-offline --no-audit --no-fund --loglevel=error';

/** The team repositories of the run, by label and Node, with how their install went. */
const repos = new Map<string, { repo: Repo; install: Outcome }>();

async function setUp(label: string, major: string, install: (repo: Repo) => Promise<Outcome>): Promise<void> {
  const repo = await teamRepo(major, label);
  repos.set(`${label}-${major}`, { repo, install: await install(repo) });
}

/** A repository set up before the tests, whose install must have passed. */
function installed(label: string, major: string): Repo {
  const entry = repos.get(`${label}-${major}`);
  if (!entry) throw new Error(`no repository ${label} on Node ${major}`);
  if (entry.install.status !== 0)
    throw new Error(`the install in ${entry.repo.dir} exited ${entry.install.status}:\n${entry.install.output.slice(-6000)}`);
  return entry.repo;
}

afterAll(async () => {
  // Six installs of the package and its dependencies: deleting them takes a while on a busy disk.
  await Promise.all([work ? removeDir(work) : undefined, removeDir(GLOBAL_PREFIX)]);
}, 120_000);

/** The team's runbook_url of every alert, read through the installed package's API (`from`) by the Node under test. */
async function runbookUrls(repo: Repo, from = 'runbooks'): Promise<{ alert: string; url: string }[]> {
  const script = `
    import { loadConfig, loadProject } from '${from}';
    const { config } = loadConfig(process.cwd());
    const project = await loadProject(config);
    const urls = project.alerts.flatMap((alert) => alert.rules.map((rule) => ({ alert: alert.name, url: rule.annotations.runbook_url })));
    process.stdout.write(JSON.stringify(urls));`;
  const output = await repo.ok(`node --input-type=module -e ${JSON.stringify(script.replace(/\n\s*/g, ' '))}`);
  return JSON.parse(output) as { alert: string; url: string }[];
}

/** A fresh repository holding only the team's files, with a package.json as `npm init` leaves it. */
async function teamRepo(nodeMajor: string, label: string): Promise<Repo> {
  const dir = path.join(work, `${label}-node-${nodeMajor}`);
  cpSync(TEAM, dir, { recursive: true, filter: (from) => !from.includes(`${path.sep}.cache`) });
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `team-${label}`, private: true, type: 'module' }, null, 2)}\n`);
  return new Repo(dir, teamEnv(nodeBin[nodeMajor] ?? ''));
}

describe.each(NODES)('the packed tarball in a team repository on Node %s', (major) => {
  let repo: Repo;
  let server: RunningServer | undefined;

  beforeAll(() => {
    repo = installed('repo', major);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('runs on the Node under test', async () => {
    expect((await repo.ok('node --version')).trim()).toMatch(new RegExp(`^v${major}\\.`));
  });

  it(
    'installed with npm install -D, without tests, fixtures or sources',
    () => {
      const installed = path.join(repo.dir, 'node_modules/runbooks');
      const top = readdirSync(installed).sort();
      // examples/: the CI recipes and the Alertmanager template, which `runbooks init` points at.
      expect(top).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'build', 'examples', 'package.json', 'runbooks', 'schema']);
      // Of the bundled example, only the template `runbooks init` copies.
      expect(readdirSync(path.join(installed, 'runbooks'))).toEqual(['_template.md']);
      expect(existsSync(path.join(installed, 'build/cli/bin.js'))).toBe(true);
      expect(existsSync(path.join(installed, 'build/lib/index.d.ts'))).toBe(true);
      const files = readdirSync(installed, { recursive: true }).map(String);
      expect(files.filter((f) => /\.test\.|fixtures|bench/.test(f))).toEqual([]);
      // Node refuses to strip types under node_modules: nothing the package runs may be TypeScript.
      expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    },
    STEP_MS,
  );

  it(
    'npx runbooks init, in the repository as it was before adopting, writes a config that lints it',
    async () => {
      // Before adopting: no config and no template, only rule files and runbooks.
      const kept = `../kept-${major}`;
      await repo.ok(`mkdir ${kept} && mv runbooks.config.yaml docs/runbooks/_template.md ${kept}/ && cp package.json ${kept}/`);
      try {
        const output = await repo.ok('npx runbooks init');
        expect(output).toContain('Found 2 rule files with 3 alerts, and 3 runbooks in docs/runbooks/.');
        // Editors validate the config against the schema the package installed.
        const first = repo.read('runbooks.config.yaml').split('\n')[0] ?? '';
        expect(first).toBe('# yaml-language-server: $schema=./node_modules/runbooks/schema/config.schema.json');
        expect(existsSync(path.join(repo.dir, first.split('$schema=')[1] ?? ''))).toBe(true);
        expect(JSON.parse(repo.read('package.json')).scripts).toEqual({ 'lint:runbooks': 'runbooks lint' });
        // The config is valid and finds everything; what init could not infer, `runbooks fix` corrects.
        const lint = await repo.sh('npx runbooks lint --format json');
        expect(lint.status, lint.output).not.toBe(2);
        await repo.ok('npx runbooks fix');
        expect(await repo.ok('npx runbooks lint')).toContain('5 files checked, no problems');
      } finally {
        await repo.ok(
          `rm -rf schema .cache && mv ${kept}/runbooks.config.yaml ${kept}/package.json . && mv ${kept}/_template.md docs/runbooks/ && rmdir ${kept}`,
        );
        cpSync(path.join(TEAM, 'monitoring'), path.join(repo.dir, 'monitoring'), { recursive: true });
      }
    },
    STEP_MS,
  );

  it(
    'npx runbooks lint',
    async () => {
      const output = await repo.ok('npx runbooks lint');
      expect(output).toContain('5 files checked, no problems');
    },
    STEP_MS,
  );

  it(
    'npx runbooks lint fails, at the file and line, when a runbook goes missing; npx runbooks new writes it from the template',
    async () => {
      await repo.ok('mv docs/runbooks/PaymentsQueueBacklog.md ../PaymentsQueueBacklog.md');
      try {
        const { status, output } = await repo.sh('npx runbooks lint');
        expect(status).toBe(1);
        expect(output).toMatch(/monitoring\/payments\.yaml\n\s+12:16\s+error\s+Alert "PaymentsQueueBacklog" has no runbook/);
        expect(await repo.ok('npx runbooks new --missing --owner payments')).toContain(
          'Created docs/runbooks/PaymentsQueueBacklog.md for alert PaymentsQueueBacklog',
        );
        expect(repo.read('docs/runbooks/PaymentsQueueBacklog.md')).toMatch(
          /^---\nalert: "PaymentsQueueBacklog"\n[\s\S]*payments_queue_depth > 1000/,
        );
      } finally {
        await repo.ok('mv ../PaymentsQueueBacklog.md docs/runbooks/PaymentsQueueBacklog.md');
      }
    },
    STEP_MS,
  );

  it(
    'npx runbooks fix --check finds every runbook_url right, and fix corrects a wrong one',
    async () => {
      await repo.ok('npx runbooks fix --check');
      const rules = repo.read('monitoring/payments.yaml');
      writeFileSync(path.join(repo.dir, 'monitoring/payments.yaml'), rules.replace('/runbooks/paymentsapidown/', '/runbooks/old-name/'));
      expect((await repo.sh('npx runbooks fix --check')).status).toBe(1);
      await repo.ok('npx runbooks fix');
      expect(repo.read('monitoring/payments.yaml')).toBe(rules);
    },
    STEP_MS,
  );

  it(
    "npx runbooks build writes the site into dist/, with the search index and the team's branding",
    async () => {
      // From a clean checkout, as CI builds: then the linter's cache must still find its folder its own.
      await repo.ok('rm -rf .cache dist');
      const output = await repo.ok('npx runbooks build');
      expect(output).toContain('the site is in dist');
      expect(await repo.ok('npx runbooks lint')).toContain('5 files checked, no problems');
      expect(existsSync(path.join(repo.dir, 'dist/index.html'))).toBe(true);
      expect(existsSync(path.join(repo.dir, 'dist/pagefind/pagefind.js'))).toBe(true);
      const home = repo.read('dist/index.html');
      expect(home).toContain('Payments on-call');
      expect(home).toMatch(/<img class="site-logo" src="data:image\/svg\+xml;base64,/);
      expect(home).toContain('--link: #6f42c1');
      expect(home).toContain('border-bottom-width:3px');
      // Astro's own files stay in the work folder, not in the team's root.
      expect(readdirSync(repo.dir).filter((f) => f.startsWith('.astro') || f === 'src' || f === 'public')).toEqual([]);
    },
    STEP_MS,
  );

  it(
    "npx runbooks preview serves every alert's runbook_url path with its runbook",
    async () => {
      server = await startServer({
        name: 'runbooks preview',
        command: path.join(repo.dir, 'node_modules/.bin/runbooks'),
        args: (port) => ['preview', '--host', '127.0.0.1', '--port', String(port)],
        cwd: repo.dir,
        env: repo.env,
        readyPath: '/runbooks/',
        timeoutMs: 60_000,
      });
      const urls = await runbookUrls(repo);
      expect(urls.map((u) => u.alert).sort()).toEqual(['PaymentsApiDown', 'PaymentsQueueBacklog', 'PaymentsVolumeFillingUp']);
      for (const { alert, url } of urls) {
        const response = await fetch(`${server.url}${new URL(url).pathname}`);
        expect(response.status, url).toBe(200);
        expect(await response.text()).toContain(alert);
      }
      expect((await fetch(`${server.url}/runbooks/pagefind/pagefind.js`)).status).toBe(200);
      await server.stop();
      server = undefined;
    },
    STEP_MS,
  );

  // The recipes' shell lines as written (npm ci included); what only GitHub or GitLab runs (the
  // uploads) is test/ci-recipes.test.ts's to check. Once, on the Node the recipes set up.
  it.runIf(major === '24')(
    'runs the commands of the GitHub Actions and GitLab CI recipes, which write what their uploads read',
    async () => {
      const github = parse(readFileSync(path.join(REPO, 'examples/ci/github-workflow.yml'), 'utf8')) as {
        jobs: Record<string, { steps: { run?: string; with?: { path?: string; sarif_file?: string } }[] }>;
      };
      const gitlab = parse(readFileSync(path.join(REPO, 'examples/ci/gitlab-ci.yml'), 'utf8')) as {
        runbooks: { script: string[]; artifacts: { reports: { junit: string } } };
      };
      const steps = Object.values(github.jobs).flatMap((job) => job.steps);
      const lines = [...steps.flatMap((step) => (step.run ? [step.run] : [])), ...gitlab.runbooks.script].filter((line) =>
        /^(npm ci|npx runbooks)\b/.test(line),
      );
      expect(lines.filter((line) => line.startsWith('npx runbooks')).length).toBeGreaterThanOrEqual(4);
      for (const line of new Set(lines)) {
        const { status, output } = await repo.sh(line);
        expect(status, `${line}\n${output.slice(-3000)}`).toBe(0);
      }
      const uploaded = steps.flatMap((step) => [step.with?.sarif_file, step.with?.path]).filter((p): p is string => p !== undefined);
      for (const file of [...uploaded, gitlab.runbooks.artifacts.reports.junit])
        expect(existsSync(path.join(repo.dir, file)), file).toBe(true);
      expect((JSON.parse(repo.read('runbooks.sarif')) as { runs: unknown[] }).runs).toHaveLength(1);
      expect(repo.read(gitlab.runbooks.artifacts.reports.junit)).toMatch(/^<\?xml[\s\S]*<testsuites/);
    },
    STEP_MS,
  );

  it(
    'npx runbooks dev serves the pages and shows an edit to a runbook',
    async () => {
      server = await startServer({
        name: 'runbooks dev',
        command: path.join(repo.dir, 'node_modules/.bin/runbooks'),
        args: (port) => ['dev', '--host', '127.0.0.1', '--port', String(port)],
        cwd: repo.dir,
        env: repo.env,
        readyPath: '/runbooks/',
        timeoutMs: 90_000,
      });
      const page = `${server.url}/runbooks/paymentsapidown/`;
      expect(await (await fetch(page)).text()).toContain('Payments API is down');
      const file = path.join(repo.dir, 'docs/runbooks/PaymentsApiDown.md');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace('title: Payments API is down', 'title: Payments API is unreachable'));
      try {
        await expect
          .poll(async () => (await fetch(page)).text(), { timeout: 20_000, interval: 250 })
          .toContain('Payments API is unreachable');
      } finally {
        writeFileSync(file, text);
      }
      await server.stop();
      server = undefined;
    },
    STEP_MS,
  );
});

describe('on an older Node', () => {
  it(
    `the bin says in one line which Node it needs, and exits 2 (Node ${OLD_NODE})`,
    async () => {
      const repo = await teamRepo(OLD_NODE, 'old');
      // No install on the old Node (npm would refuse some engines): the bin is run from the tarball's content.
      await repo.ok(`mkdir -p node_modules/runbooks && tar -xzf ${JSON.stringify(tarball)} -C node_modules/runbooks --strip-components=1`);
      expect((await repo.ok('node --version')).trim()).toMatch(new RegExp(`^v${OLD_NODE}\\.`));
      const { status, output } = await repo.sh('node node_modules/runbooks/build/cli/bin.js lint');
      expect(status).toBe(2);
      expect(output.trim().split('\n')).toEqual([
        expect.stringMatching(/^runbooks needs Node\.js 22\.12 or newer .*this is Node\.js 20\./),
      ]);
    },
    STEP_MS,
  );
});

describe('npm install -g', () => {
  it(
    'puts a runbooks command on PATH that lints and builds the repository it runs in (Node 24)',
    async () => {
      const repo = installed('global', '24');
      const runbooks = JSON.stringify(path.join(GLOBAL_PREFIX, 'bin/runbooks'));
      expect(await repo.ok(`${runbooks} lint`)).toContain('5 files checked, no problems');
      await repo.ok(`${runbooks} build --out-dir public-site`);
      const api = pathToFileURL(path.join(GLOBAL_PREFIX, 'lib/node_modules/runbooks/build/lib/index.js')).href;
      for (const { url } of await runbookUrls(repo, api)) {
        const page = path.join(
          repo.dir,
          'public-site',
          decodeURIComponent(new URL(url).pathname).replace(/^\/runbooks\//, ''),
          'index.html',
        );
        expect(existsSync(page), url).toBe(true);
      }
      // The runbook pages' scripts were compiled (Astro skips them for pages outside its root's folder).
      // The home page's script is inlined when small, else linked from _astro/: either way it loads Pagefind.
      const home = repo.read('public-site/index.html');
      const linked = [...home.matchAll(/<script[^>]+src="\/runbooks\/(_astro\/[^"]+)"/g)].map((m) =>
        repo.read(`public-site/${m[1] as string}`),
      );
      expect([home, ...linked].join('\n')).toContain('pagefind');
    },
    STEP_MS,
  );
});

describe("the runbooks/astro integration in a team's Astro site (Node 24)", () => {
  it(
    "injects the runbook pages under site.base beside the team's own pages, at every runbook_url path",
    async () => {
      const repo = installed('astro-site', '24');
      writeFileSync(
        path.join(repo.dir, 'astro.config.mjs'),
        [
          "import { defineConfig } from 'astro/config';",
          "import runbooks from 'runbooks/astro';",
          '',
          'export default defineConfig({ integrations: [runbooks()] });',
          '',
        ].join('\n'),
      );
      await repo.ok('npx astro build');
      expect(repo.read('dist/index.html')).toContain("The payments team's docs");
      for (const { url } of await runbookUrls(repo)) {
        const page = path.join(repo.dir, 'dist', decodeURIComponent(new URL(url).pathname), 'index.html');
        expect(existsSync(page), url).toBe(true);
      }
      expect(existsSync(path.join(repo.dir, 'dist/runbooks/index.html'))).toBe(true);
      expect(existsSync(path.join(repo.dir, 'dist/runbooks/checks/alert-has-runbook/index.html'))).toBe(true);
      // The search index covers the runbooks' folder only; the team's site may keep its own.
      expect(existsSync(path.join(repo.dir, 'dist/runbooks/pagefind/pagefind.js'))).toBe(true);
      expect(existsSync(path.join(repo.dir, 'dist/pagefind'))).toBe(false);
    },
    STEP_MS,
  );
});

describe('the runbooks/astro integration beside Starlight (Node 24)', () => {
  it(
    'serves the runbooks under site.base while Starlight keeps its home, 404 page and search index',
    async () => {
      const repo = installed('starlight-site', '24');
      writeFileSync(
        path.join(repo.dir, 'astro.config.mjs'),
        [
          "import { defineConfig } from 'astro/config';",
          "import starlight from '@astrojs/starlight';",
          "import runbooks from 'runbooks/astro';",
          '',
          "export default defineConfig({ integrations: [starlight({ title: 'Payments docs' }), runbooks()] });",
          '',
        ].join('\n'),
      );
      await repo.ok('npx astro build');
      expect(repo.read('dist/index.html')).toContain('Payments docs');
      expect(repo.read('dist/404.html')).not.toContain('No runbook at this address');
      for (const { url } of await runbookUrls(repo)) {
        expect(existsSync(path.join(repo.dir, 'dist', decodeURIComponent(new URL(url).pathname), 'index.html')), url).toBe(true);
      }
      expect(existsSync(path.join(repo.dir, 'dist/pagefind/pagefind.js'))).toBe(true);
      expect(existsSync(path.join(repo.dir, 'dist/runbooks/pagefind/pagefind.js'))).toBe(true);
    },
    STEP_MS,
  );
});
