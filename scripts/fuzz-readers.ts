/**
 * The long run of test/readers.test.ts's generated inputs: `npm run fuzz:readers -- --runs 20000 --seed 42`.
 * Every reader of test/support/readers.ts against its table's reference, on Markdown and YAML that
 * fast-check generates from the grammar. A disagreement is shrunk to a minimal text, printed with
 * both sides' facts, and ends the run with exit code 1. Prints the seed, so any run can be repeated
 * (and replayed in the unit suite with FUZZ_SEED and READERS_FUZZ_RUNS).
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { markdownDocument } from '../test/support/markdown-arbitrary.ts';
import { MARKDOWN_READERS, markdownDisagreement, YAML_READERS, yamlDisagreement } from '../test/support/readers.ts';
import { yamlText } from '../test/support/yaml-arbitrary.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5000' }, seed: { type: 'string' } } });
if (!/^\d+$/.test(String(values.runs)) || (values.seed !== undefined && !/^-?\d+$/.test(values.seed))) {
  process.stderr.write('Usage: npm run fuzz:readers -- [--runs <n>] [--seed <integer>]\n');
  process.exit(2);
}
const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
process.stdout.write(`fuzz:readers: ${runs} documents per reader, seed ${seed}\n`);

let failed = false;
function check<T>(label: string, arbitrary: fc.Arbitrary<T>, disagrees: (input: T) => unknown): void {
  const started = performance.now();
  const outcome = fc.check(
    fc.property(arbitrary, (input) => disagrees(input) === undefined),
    { seed, numRuns: runs },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!outcome.failed) {
    process.stdout.write(`  ${label}: ${outcome.numRuns} agreed in ${seconds} s\n`);
    return;
  }
  failed = true;
  const input = outcome.counterexample?.[0] as T;
  process.stdout.write(
    `  ${label}: DISAGREE after ${outcome.numRuns} (path ${outcome.counterexamplePath}, shrunk ${outcome.numShrinks} times):\n` +
      `    input: ${JSON.stringify(input)}\n    ${JSON.stringify(disagrees(input), null, 2)?.replace(/\n/g, '\n    ')}\n`,
  );
}

for (const reader of MARKDOWN_READERS.slice(1))
  check(`Markdown: ${reader.name}`, markdownDocument, (text) => markdownDisagreement(reader, text));
for (const reader of YAML_READERS.slice(1)) check(`YAML: ${reader.name}`, yamlText, (text) => yamlDisagreement(reader, text).disagreement);
process.exit(failed ? 1 : 0);
