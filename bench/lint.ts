/**
 * `npm run bench`: wall time and peak memory of `runbooks lint`, run as a child process the way a
 * user runs it, on synthetic projects of N runbooks and N alerts (N = 1,000 and 10,000) and on the
 * bundled example: cold (no cache), warm (cache, nothing changed) and warm with one file changed.
 *
 *   npm run bench                 both sizes and the example
 *   npm run bench -- --quick      N = 1,000 and the example only
 *   npm run bench -- --runs 5     repetitions per row (median shown; default 3)
 *   npm run bench -- --sizes 2000,5000 --keep   other sizes; keep the generated projects
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { editedRunbook, generateProject } from './generate.ts';

const TOOL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(TOOL_ROOT, 'src/cli/bin.js');
const RSS_PRELOAD = path.join(TOOL_ROOT, 'bench/rss.js');

/** The speed and memory targets, in seconds and bytes; undefined where there is none. */
const TARGETS: Record<string, { seconds?: number; bytes?: number }> = {
  'N=1000 cold': { seconds: 2 },
  'N=10000 cold': { seconds: 15, bytes: 500 * 1024 * 1024 },
  'N=10000 one changed': { seconds: 1.5 },
  'example cold': { seconds: 0.5 },
  'example warm': { seconds: 0.5 },
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs));
const sizes = values.sizes ? values.sizes.split(',').map(Number) : values.quick ? [1000] : [1000, 10000];

interface Sample {
  seconds: number;
  bytes: number;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'runbooks-bench-'));
const rssFile = path.join(scratch, 'rss');

/** The Node flags `npm run lint:runbooks` gives the CLI (package.json), so the bench runs it the same way. */
const NODE_FLAGS = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> })
  .scripts['lint:runbooks']?.match(/^node((?: --\S+)*) /)?.[1]?.trim().split(' ').filter(Boolean) ?? [];

/** Runs `runbooks lint` in `cwd` with the same Node as this script; fails loudly if the run did not lint clean. */
function lintOnce(cwd: string, extraArgs: string[] = []): Sample {
  rmSync(rssFile, { force: true });
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...NODE_FLAGS, '--import', RSS_PRELOAD, CLI, 'lint', ...extraArgs], {
    cwd,
    env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    throw new Error(`runbooks lint exited ${child.status} in ${cwd}:\n${child.stdout.slice(0, 2000)}${child.stderr.slice(0, 2000)}`);
  }
  return { seconds, bytes: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN };
}

function median(samples: Sample[]): Sample {
  const by = <K extends keyof Sample>(key: K): number => {
    const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
    const middle = (sorted.length - 1) / 2;
    return ((sorted[Math.floor(middle)] as number) + (sorted[Math.ceil(middle)] as number)) / 2;
  };
  return { seconds: by('seconds'), bytes: by('bytes') };
}

const rows: { label: string; runs: Sample[] }[] = [];
function row(label: string, measure: () => Sample): void {
  const samples = Array.from({ length: runs }, measure);
  rows.push({ label, runs: samples });
  const m = median(samples);
  process.stderr.write(`  ${label}: ${m.seconds.toFixed(2)} s, ${(m.bytes / 1048576).toFixed(0)} MB\n`);
}

/** Cold, warm and one-file-changed rows for the project at `root`; `edit(revision)` changes one file. */
function measureProject(name: string, root: string, edit: ((revision: number) => void) | undefined): void {
  const cacheDir = path.join(root, '.cache');
  row(`${name} cold`, () => {
    rmSync(cacheDir, { recursive: true, force: true });
    return lintOnce(root);
  });
  row(`${name} --no-cache`, () => lintOnce(root, ['--no-cache']));
  lintOnce(root); // fill the cache
  row(`${name} warm`, () => lintOnce(root));
  if (edit) {
    let revision = 0;
    row(`${name} one changed`, () => {
      edit(++revision);
      return lintOnce(root);
    });
  }
}

const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
process.stderr.write(`runbooks bench: Node ${process.version}, ${os.availableParallelism()} cores, load average before: ${load()}\n`);
// Node's compile cache (src/cli/bin.js) is filled once per machine, not per project: fill it first.
spawnSync(process.execPath, [CLI, '--version']);
const today = new Date();
try {
  for (const n of sizes) {
    const root = path.join(scratch, `n${n}`);
    process.stderr.write(`generating N=${n} in ${root}\n`);
    const project = generateProject(root, n, today);
    const changed = Math.floor(n / 2);
    const changedFile = path.join(root, project.runbookFiles[changed] as string);
    measureProject(`N=${n}`, root, (revision) => writeFileSync(changedFile, editedRunbook(changed, n, today, revision)));
  }
  // The bundled example is linted in place; its cache goes to a scratch folder so the checkout stays untouched.
  const exampleCache = path.join(scratch, 'example-cache');
  process.stderr.write('bundled example\n');
  row('example cold', () => {
    rmSync(exampleCache, { recursive: true, force: true });
    return lintOnce(TOOL_ROOT, ['--cache-location', exampleCache]);
  });
  lintOnce(TOOL_ROOT, ['--cache-location', exampleCache]);
  row('example warm', () => lintOnce(TOOL_ROOT, ['--cache-location', exampleCache]));
} finally {
  if (values.keep) process.stderr.write(`kept ${scratch}\n`);
  else rmSync(scratch, { recursive: true, force: true });
}

const lines = [
  `runbooks lint, median of ${runs} run(s); Node ${process.version}; ${os.availableParallelism()} cores; load average after: ${load()}`,
  '',
  `| ${'run'.padEnd(22)} | wall (s) | min (s) | peak RSS (MB) | target |`,
  `| ${'-'.repeat(22)} | -------: | ------: | ------------: | ------ |`,
];
for (const { label, runs: samples } of rows) {
  const m = median(samples);
  const min = Math.min(...samples.map((s) => s.seconds));
  const target = TARGETS[label];
  const goals = [
    target?.seconds !== undefined ? `< ${target.seconds} s ${m.seconds < target.seconds ? 'ok' : 'MISSED'}` : '',
    target?.bytes !== undefined ? `< ${target.bytes / 1048576} MB ${m.bytes < target.bytes ? 'ok' : 'MISSED'}` : '',
  ].filter(Boolean).join(', ');
  lines.push(`| ${label.padEnd(22)} | ${m.seconds.toFixed(2).padStart(8)} | ${min.toFixed(2).padStart(7)} | ${(m.bytes / 1048576).toFixed(0).padStart(13)} | ${goals} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
