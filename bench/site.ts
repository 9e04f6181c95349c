/**
 * `npm run bench:site`: the site's budgets, measured.
 *  - Page weight: HTML + CSS + JS of each runbook page, gzipped, without the search index and
 *    search code that only the home page loads on demand. Budget: 40 KB for the heaviest page.
 *  - Build time: `astro build` (checks, pages, Pagefind index) of N synthetic runbooks, as a child
 *    process the way `npm run build` runs it. Budget: 30 s for N = 1,000 on a 2-core machine.
 *
 *   npm run bench:site                 the bundled example's pages, then N = 1,000
 *   npm run bench:site -- --runs 3     builds per size (median shown; default 1)
 *   npm run bench:site -- --sizes 1000,5000 --keep
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { generateProject } from './generate.ts';

const TOOL_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ASTRO = path.join(TOOL_ROOT, 'node_modules/astro/bin/astro.mjs');
const PAGE_BUDGET = 40 * 1024;
const BUILD_BUDGET_SECONDS = 30;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    sizes: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs));
const sizes = values.sizes.split(',').map(Number);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'runbooks-bench-site-'));

const TIME = '/usr/bin/time';

/** One build: wall time, CPU time of the build and its children (when /usr/bin/time is there) and its output. */
interface BuildSample {
  seconds: number;
  cpuSeconds?: number;
  output: string;
}

/** Runs `astro build` of the project whose config is `config`; throws with its output if it fails. */
function build(config: string | undefined, outDir: string): BuildSample {
  const env = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    RUNBOOKS_CONFIG: config ?? '',
    RUNBOOKS_SITE_CACHE: `${outDir}-cache`,
    NO_COLOR: '1',
  };
  rmSync(outDir, { recursive: true, force: true });
  rmSync(`${outDir}-cache`, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  // CPU time says what the build costs when the machine is shared; wall time alone would not.
  const timed = existsSync(TIME);
  const command = timed ? TIME : process.execPath;
  const args = [...(timed ? ['-f', 'CPU %U %S', process.execPath] : []), ASTRO, 'build', '--outDir', outDir];
  const child = spawnSync(command, args, { cwd: TOOL_ROOT, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const output = `${child.stdout}${child.stderr}`;
  if (child.status !== 0) throw new Error(`astro build failed (exit ${child.status}):\n${output.slice(-4000)}`);
  const cpu = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(output);
  return { seconds, output, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined };
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => path.join(dir, f));
}

/** The file a site-absolute URL names in `outDir`, given the site base. */
function assetFile(outDir: string, base: string, url: string): string | undefined {
  if (!url.startsWith(base)) return undefined;
  const file = path.join(outDir, decodeURI(url.slice(base.length)));
  return existsSync(file) ? file : undefined;
}

/** A page's HTML plus the CSS and JS it loads by itself (modules and their static imports), each gzipped. */
function pageWeight(outDir: string, base: string, htmlFile: string): { bytes: number; parts: string[] } {
  const html = readFileSync(htmlFile, 'utf8');
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const match of html.matchAll(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"|<script[^>]+src="([^"]+)"/g)) {
    const file = assetFile(outDir, base, (match[1] ?? match[2]) as string);
    if (file) queue.push(file);
  }
  let bytes = gzipSync(html).length;
  const parts = [`html ${gzipSync(html).length}`];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file) || file.includes(`${path.sep}pagefind${path.sep}`)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const size = gzipSync(text).length;
    bytes += size;
    parts.push(`${path.basename(file)} ${size}`);
    // Static imports load with the page; dynamic import() (the search) only on demand.
    for (const m of text.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
    }
  }
  return { bytes, parts };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

try {
  console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`);

  // Page weight of the bundled example, every runbook page (redirect pages are not runbooks).
  const exampleOut = path.join(scratch, 'example');
  const example = build(undefined, exampleOut);
  const pages = htmlFiles(exampleOut)
    .filter((f) => readFileSync(f, 'utf8').includes('class="runbook"'))
    .map((f) => ({ file: path.relative(exampleOut, f), ...pageWeight(exampleOut, '/', f) }))
    .sort((a, b) => b.bytes - a.bytes);
  const heaviest = pages[0];
  if (!heaviest) throw new Error('the example build has no runbook pages');
  console.log(`Example site built in ${example.seconds.toFixed(1)} s; ${pages.length} runbook pages.`);
  console.log(`Runbook page weight, gzipped (HTML + CSS + JS it loads; search loaded on demand is not counted):`);
  console.log(`  heaviest ${heaviest.file}: ${kb(heaviest.bytes)} (${heaviest.parts.join(', ')})`);
  console.log(
    `  median ${kb(median(pages.map((p) => p.bytes)))}; budget ${kb(PAGE_BUDGET)}: ${heaviest.bytes <= PAGE_BUDGET ? 'within' : 'OVER'}\n`,
  );

  for (const n of sizes) {
    const root = path.join(scratch, `project-${n}`);
    generateProject(root, n);
    const samples: BuildSample[] = [];
    for (let r = 0; r < runs; r++) samples.push(build(path.join(root, 'runbooks.config.yaml'), path.join(scratch, `dist-${n}`)));
    const last = samples.at(-1) as BuildSample;
    const pagesBuilt = /(\d+) page\(s\) built/.exec(last.output)?.[1] ?? '?';
    const pagefind = /Pagefind indexed \d+ pages in ([\d.]+) s/.exec(last.output)?.[1] ?? '?';
    const seconds = median(samples.map((s) => s.seconds));
    const cpu = samples.every((s) => s.cpuSeconds !== undefined) ? median(samples.map((s) => s.cpuSeconds as number)) : undefined;
    const budget = n === 1000 ? `; budget ${BUILD_BUDGET_SECONDS} s: ${seconds <= BUILD_BUDGET_SECONDS ? 'within' : 'OVER'}` : '';
    console.log(
      `N=${n}: full build (checks, ${pagesBuilt} pages, search index) ${seconds.toFixed(1)} s wall` +
        `${cpu !== undefined ? `, ${cpu.toFixed(1)} s CPU` : ''}${runs > 1 ? ` (walls: ${samples.map((s) => s.seconds.toFixed(1)).join(', ')})` : ''}${budget}`,
    );
    console.log(
      `  of which Pagefind ${pagefind} s; load average while measuring: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  }
} finally {
  if (values.keep) console.log(`\nKept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
