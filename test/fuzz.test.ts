/**
 * Property-based fuzzing (fast-check) of the whole pipeline on damaged real files; see
 * test/fuzz/cases.ts for the mutations and the promises. A few hundred cases here, with a fixed
 * seed so CI is repeatable (FUZZ_SEED and FUZZ_CASES change them); `npm run fuzz` runs thousands.
 * Every failure the long run found is kept under test/fuzz/regressions and replayed here.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { caseArb, caseFiles, checkPositions, mutate, runCase, runFiles, savedRegressions, scratchDir, seedFiles } from './fuzz/cases.ts';
import { runCli, tempDir } from './harness.ts';
import { CORPUS } from './support/shared.ts';

const scratch = scratchDir();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const seeds = seedFiles(CORPUS);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.FUZZ_CASES ?? 250);

describe('fuzzing damaged corpus files and fixtures', () => {
  it('has seed files to damage', () => {
    expect(seeds.rules.length).toBeGreaterThan(10);
    expect(seeds.runbooks.length).toBeGreaterThan(10);
  });

  it('has a property that can fail: it rejects a position past its line, an internal error, and a finding without a hint', () => {
    const files = { 'r.yaml': Buffer.from('ab\r\ncd\n') };
    const finding = { file: 'r.yaml', line: 1, column: 3, ruleId: 'parse-error', severity: 'error' as const, message: 'm', hint: 'h' };
    expect(() => checkPositions([finding], files)).not.toThrow();
    expect(() => checkPositions([{ ...finding, column: 4 }], files)).toThrow(/past the end of line 1/);
    expect(() => checkPositions([{ ...finding, line: 4 }], files)).toThrow(/past the end \(3 lines\)/);
    expect(() => checkPositions([{ ...finding, ruleId: 'internal-error' }], files)).toThrow(/internal error/);
    expect(() => checkPositions([{ ...finding, hint: undefined }], files)).toThrow(/no message or hint/);
  });

  it('mutates bytes as described', () => {
    const bytes = Buffer.from('a\nb\n');
    expect(mutate(bytes, [{ kind: 'endings', style: 'cr' }]).toString()).toBe('a\rb\r');
    expect(mutate(bytes, [{ kind: 'truncate', at: 0.5 }]).toString()).toBe('a\n');
    expect(mutate(bytes, [{ kind: 'insert', at: 0, snippet: 0 }])[0]).toBe(0xff);
    expect(mutate(bytes, [{ kind: 'nest', at: 1, style: 0, depth: 3 }]).toString()).toBe('a\nb\n- - - ');
  });

  it(`keeps every promise on ${CASES} damaged projects (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (fuzzCase) => {
        await runCase(fuzzCase, seeds, scratch);
      }),
      { seed: SEED, numRuns: CASES, endOnFailure: false },
    );
  }, 240_000);

  it.each(savedRegressions().map((r) => [r.name, r.files] as const))('replays the regression %s', async (_name, files) => {
    await runFiles(files, scratch);
  });

  it('answers through the CLI with exit code 0, 1 or 2, no stack trace, and JSON that parses', async () => {
    const temp = tempDir('runbooks-fuzz-cli-');
    try {
      const sample = fc.sample(caseArb, { seed: SEED, numRuns: 4 });
      for (const [i, fuzzCase] of sample.entries()) {
        const root = path.join(temp.dir, `c${i}`);
        for (const [file, bytes] of Object.entries(caseFiles(fuzzCase, seeds))) {
          mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
          writeFileSync(path.join(root, file), bytes);
        }
        const run = await runCli(['lint', '--format', 'json'], root);
        expect([0, 1, 2], run.stderr).toContain(run.code);
        expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
        if (run.stdout.trim() !== '') expect(() => JSON.parse(run.stdout)).not.toThrow();
      }
    } finally {
      temp.remove();
    }
  }, 120_000);
});
