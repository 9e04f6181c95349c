/**
 * `npm run bench`: wall time, CPU time and peak memory of `runbooks lint`, run as a child process
 * the way a user runs it, against two baselines on the same generated files in the same run: the
 * naive single-thread pipeline (bench/naive.ts) and markdownlint-cli2 on the runbooks. Projects of
 * N runbooks and N alerts (bench/generate.ts), then the bundled example. This tool is measured cold
 * (no cache), warm (cache, nothing changed) and with one file changed.
 *
 * Repetitions are interleaved (tool, naive, markdownlint, tool, naive, ...), so a change in the
 * machine's load falls on every row alike; each row shows the median. The ratios are against the
 * naive pipeline's median wall and CPU time at the same N, and hold better than absolute figures on
 * a shared machine.
 *
 *   npm run bench                        N = 1,000 and 10,000, and the example; 3 runs each
 *   npm run bench -- --sizes 200 --runs 1   a quick look
 *   npm run bench -- --quick             N = 1,000 and the example only
 *   npm run bench -- --seed 7 --keep     other generated text; keep the generated projects
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, editedRunbook, generateProject } from './generate.ts';

const TOOL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(TOOL_ROOT, 'src/cli/bin.js');
const NAIVE = path.join(TOOL_ROOT, 'bench/naive.ts');
// Its bin beside its main module: the package exports no path to the bin itself.
const MARKDOWNLINT = path.join(path.dirname(fileURLToPath(import.meta.resolve('markdownlint-cli2'))), 'markdownlint-cli2-bin.mjs');
const RSS_PRELOAD = path.join(TOOL_ROOT, 'bench/rss.js');

/** The speed and memory targets; `ofNaive` is the most this row's wall time may be, as a share of the naive pipeline's. */
interface Target {
  ofNaive?: number;
  seconds?: number;
  bytes?: number;
}
const TARGETS: Record<string, Target> = {
  'N=1000 cold': { ofNaive: 0.25 },
  'N=10000 cold': { seconds: 5, bytes: 300 * 1024 * 1024 },
  'N=10000 one changed': { seconds: 0.8 },
  'example cold': { seconds: 0.35 },
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const sizes = values.sizes ? values.sizes.split(',').map(Number) : values.quick ? [1000] : [1000, 10000];
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || sizes.some((n) => !Number.isInteger(n) || n < 2)) {
  process.stderr.write('Usage: npm run bench -- [--sizes 1000,10000] [--runs 3] [--quick] [--seed <integer>] [--keep]\n');
  process.exit(2);
}

interface Sample {
  seconds: number;
  cpu: number;
  bytes: number;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'runbooks-bench-'));
const usageFile = path.join(scratch, 'usage.json');

/** The Node flags `npm run lint:runbooks` gives the CLI (package.json), so the bench runs it the same way. */
const NODE_FLAGS =
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts[
    'lint:runbooks'
  ]
    ?.match(/^node((?: --\S+)*) /)?.[1]
    ?.trim()
    .split(' ')
    .filter(Boolean) ?? [];

/** Runs one Node program in `cwd` with the same Node as this script; fails loudly unless it exits 0 (a clean project). */
function measure(cwd: string, nodeArgs: string[], args: string[]): Sample {
  rmSync(usageFile, { force: true });
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...nodeArgs, '--import', RSS_PRELOAD, ...args], {
    cwd,
    env: { ...process.env, BENCH_RSS_FILE: usageFile, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    throw new Error(
      `${args.slice(0, 2).join(' ')} exited ${child.status} in ${cwd}:\n${child.stdout.slice(0, 2000)}${child.stderr.slice(0, 2000)}`,
    );
  }
  const usage = existsSync(usageFile)
    ? (JSON.parse(readFileSync(usageFile, 'utf8')) as { bytes: number; user: number; system: number })
    : undefined;
  return { seconds, cpu: usage ? usage.user + usage.system : Number.NaN, bytes: usage?.bytes ?? Number.NaN };
}

const tool = (cwd: string, extra: string[] = []): Sample => measure(cwd, NODE_FLAGS, [CLI, 'lint', ...extra]);
const naive = (cwd: string): Sample => measure(cwd, [], [NAIVE, cwd]);
const markdownlint = (cwd: string): Sample => measure(cwd, [], [MARKDOWNLINT, 'runbooks/**/*.md']);

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(middle)] as number) + (sorted[Math.ceil(middle)] as number)) / 2;
}
const medianOf = (samples: Sample[]): Sample => ({
  seconds: median(samples.map((s) => s.seconds)),
  cpu: median(samples.map((s) => s.cpu)),
  bytes: median(samples.map((s) => s.bytes)),
});

/** Rows in the order they are printed; `naive` names the row the ratios are taken against. */
const rows: { label: string; samples: Sample[]; naive?: string }[] = [];
function record(label: string, sample: Sample, naiveLabel?: string): void {
  let row = rows.find((r) => r.label === label);
  if (!row) rows.push((row = { label, samples: [], ...(naiveLabel ? { naive: naiveLabel } : {}) }));
  row.samples.push(sample);
  process.stderr.write(
    `  ${label}: ${sample.seconds.toFixed(2)} s wall, ${sample.cpu.toFixed(2)} s CPU, ${(sample.bytes / 1048576).toFixed(0)} MB\n`,
  );
}

const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
process.stderr.write(`runbooks bench: Node ${process.version}, ${os.availableParallelism()} cores, load average before: ${load()}\n`);
// Node's compile cache (src/cli/bin.js) is filled once per machine, not per project: fill it first.
spawnSync(process.execPath, [CLI, '--version']);
const today = new Date();
try {
  for (const n of sizes) {
    const root = path.join(scratch, `n${n}`);
    process.stderr.write(`generating N=${n} (seed ${seed}) in ${root}\n`);
    const project = generateProject(root, n, today, seed);
    const changed = Math.floor(n / 2);
    const changedFile = path.join(root, project.runbookFiles[changed] as string);
    const cacheDir = path.join(root, '.cache');
    const naiveLabel = `N=${n} naive`;
    let revision = 0;
    for (let r = 0; r < runs; r++) {
      rmSync(cacheDir, { recursive: true, force: true });
      record(`N=${n} cold`, tool(root), naiveLabel);
      record(naiveLabel, naive(root), naiveLabel);
      record(`N=${n} markdownlint-cli2`, markdownlint(root), naiveLabel);
      record(`N=${n} warm`, tool(root), naiveLabel);
      writeFileSync(changedFile, editedRunbook(changed, n, today, ++revision, seed));
      record(`N=${n} one changed`, tool(root), naiveLabel);
    }
    rmSync(root, { recursive: true, force: true });
  }
  // The bundled example is linted in place; its cache goes to a scratch folder so the checkout stays untouched.
  const exampleCache = path.join(scratch, 'example-cache');
  process.stderr.write('bundled example\n');
  for (let r = 0; r < runs; r++) {
    rmSync(exampleCache, { recursive: true, force: true });
    record('example cold', tool(TOOL_ROOT, ['--cache-location', exampleCache]));
    record('example warm', tool(TOOL_ROOT, ['--cache-location', exampleCache]));
  }
} finally {
  if (values.keep) process.stderr.write(`kept ${scratch}\n`);
  else rmSync(scratch, { recursive: true, force: true });
}

const ratio = (value: number, of: number): string => (Number.isFinite(value / of) ? `${(value / of).toFixed(2)}x` : '');
const lines = [
  `runbooks lint against the naive pipeline and markdownlint-cli2, median of ${runs} interleaved run(s), seed ${seed}; ` +
    `Node ${process.version}; ${os.availableParallelism()} cores; load average after: ${load()}`,
  '',
  `| ${'run'.padEnd(26)} | wall (s) | CPU (s) | peak RSS (MB) | wall vs naive | CPU vs naive | target |`,
  `| ${'-'.repeat(26)} | -------: | ------: | ------------: | ------------: | -----------: | ------ |`,
];
let met = 0;
let checked = 0;
for (const { label, samples, naive: naiveLabel } of rows) {
  const m = medianOf(samples);
  const base = naiveLabel && naiveLabel !== label ? medianOf(rows.find((r) => r.label === naiveLabel)?.samples ?? []) : undefined;
  const target = TARGETS[label];
  const goals: string[] = [];
  const goal = (text: string, ok: boolean): void => {
    goals.push(`${text} ${ok ? 'met' : 'MISSED'}`);
    checked++;
    if (ok) met++;
  };
  if (target?.ofNaive !== undefined && base) goal(`<= ${target.ofNaive}x naive`, m.seconds <= target.ofNaive * base.seconds);
  if (target?.seconds !== undefined) goal(`< ${target.seconds} s`, m.seconds < target.seconds);
  if (target?.bytes !== undefined) goal(`< ${target.bytes / 1048576} MB`, m.bytes < target.bytes);
  lines.push(
    `| ${label.padEnd(26)} | ${m.seconds.toFixed(2).padStart(8)} | ${m.cpu.toFixed(2).padStart(7)} | ${(m.bytes / 1048576).toFixed(0).padStart(13)} | ` +
      `${(base ? ratio(m.seconds, base.seconds) : '').padStart(13)} | ${(base ? ratio(m.cpu, base.cpu) : '').padStart(12)} | ${goals.join(', ')} |`,
  );
}
lines.push('');
for (const n of sizes) {
  const cold = rows.find((r) => r.label === `N=${n} cold`);
  const other = rows.find((r) => r.label === `N=${n} markdownlint-cli2`);
  if (!cold || !other) continue;
  const [a, b] = [medianOf(cold.samples), medianOf(other.samples)];
  lines.push(
    `N=${n}: this tool cold against markdownlint-cli2 on the runbooks alone: ${ratio(a.seconds, b.seconds)} the wall time, ${ratio(a.cpu, b.cpu)} the CPU time.`,
  );
}
lines.push(`${met} of ${checked} targets met in this run (targets at sizes not run are not counted).`);
process.stdout.write(`${lines.join('\n')}\n`);
