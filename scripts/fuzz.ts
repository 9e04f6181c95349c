/**
 * The long fuzz run: `npm run fuzz -- --cases 5000 --seed 42`. The same property as test/fuzz.test.ts
 * (test/fuzz/cases.ts) over many more damaged projects, plus the real CLI on every 50th case (exit
 * code 0, 1 or 2, no stack trace, JSON that parses). A failure is shrunk by fast-check to a
 * minimal case, saved under test/fuzz/regressions/ (which `npm test` replays), and ends the run
 * with exit code 1. Prints the seed, so any run can be repeated.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { caseArb, caseFiles, FuzzFailure, runCase, saveRegression, scratchDir, seedFiles, type FuzzCase } from '../test/fuzz/cases.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { cases: { type: 'string', default: '1000' }, seed: { type: 'string' }, 'cli-every': { type: 'string', default: '50' } },
});
if (
  !/^\d+$/.test(String(values.cases)) ||
  (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) ||
  !/^\d+$/.test(String(values['cli-every']))
) {
  process.stderr.write('Usage: npm run fuzz -- [--cases <n>] [--seed <integer>] [--cli-every <n>]\n');
  process.exit(2);
}
const cases = Number(values.cases);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const cliEvery = Number(values['cli-every']);
const corpus = process.env.RUNBOOKS_CORPUS ?? path.resolve(REPO, '../shared/corpus');
const seeds = seedFiles(corpus);
const scratch = scratchDir();
process.stdout.write(
  `fuzz: ${cases} cases, seed ${seed}, ${seeds.rules.length} rule files and ${seeds.runbooks.length} runbooks to damage (corpus: ${corpus})\n`,
);

/** The CLI on one case: exit code 0, 1 or 2, no stack trace on stderr, and JSON on stdout that parses. */
function cliProblem(fuzzCase: FuzzCase): string | undefined {
  const root = path.join(scratch, `cli-${Math.random().toString(36).slice(2)}`);
  try {
    for (const [file, bytes] of Object.entries(caseFiles(fuzzCase, seeds))) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), bytes);
    }
    const run = spawnSync(path.join(REPO, 'node_modules/.bin/node'), [path.join(REPO, 'src/cli/main.ts'), 'lint', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    if (run.status === null) return `the CLI did not end (${run.signal ?? run.error?.message})`;
    if (![0, 1, 2].includes(run.status)) return `exit code ${run.status}`;
    if (/\n\s+at |internal error/.test(run.stderr)) return `a stack trace on stderr:\n${run.stderr}`;
    if (run.stdout.trim() !== '') JSON.parse(run.stdout);
    return undefined;
  } catch (error) {
    return `the JSON output does not parse: ${(error as Error).message}`;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const started = performance.now();
let done = 0;
let slowest = 0;
let configErrors = 0;
let findings = 0;
let fixed = 0;
let cliRuns = 0;
const property = fc.asyncProperty(caseArb, async (fuzzCase) => {
  const result = await runCase(fuzzCase, seeds, scratch);
  slowest = Math.max(slowest, result.ms);
  if (cliEvery > 0 && done % cliEvery === 0) {
    cliRuns++;
    const problem = cliProblem(fuzzCase);
    if (problem) throw new FuzzFailure(problem);
  }
  done++;
  configErrors += result.configError ? 1 : 0;
  findings += result.findings;
  fixed += result.fixed;
  if (done % 250 === 0) process.stdout.write(`fuzz: ${done}/${cases} cases, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
});
const outcome = await fc.check(property, { seed, numRuns: cases });
rmSync(scratch, { recursive: true, force: true });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (!outcome.failed) {
  process.stdout.write(
    `fuzz: ${outcome.numRuns} cases passed in ${seconds} s (seed ${seed}); slowest case ${Math.round(slowest)} ms; ` +
      `${configErrors} with a broken config, ${findings} findings, ${fixed} files fix would change; ${cliRuns} CLI runs\n`,
  );
  process.exit(0);
}
const counterexample = outcome.counterexample?.[0] as FuzzCase | undefined;
const message = outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance);
process.stdout.write(
  `fuzz: FAILED after ${outcome.numRuns} cases (seed ${seed}, path ${outcome.counterexamplePath}), shrunk ${outcome.numShrinks} times, in ${seconds} s:\n${message}\n`,
);
if (counterexample) {
  const dir = saveRegression(
    `seed-${seed}-${outcome.numRuns}`,
    caseFiles(counterexample, seedFiles(corpus)),
    `Found by npm run fuzz -- --seed ${seed} --cases ${cases} (path ${outcome.counterexamplePath}).\n${message}\n\nCase: ${JSON.stringify(counterexample)}`,
  );
  process.stdout.write(`fuzz: the minimal case is saved in ${path.relative(REPO, dir)}; npm test replays it\n`);
}
process.exit(1);
