import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchPlan } from '../src/lib/commands/watch.ts';
import { CLI, cliEnv, configOf, NODE, runbookText, tempDir } from './harness.ts';

/** A running `runbooks lint --watch` with its output so far. */
class Watcher {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  exit: Promise<number | null>;

  constructor(cwd: string) {
    this.child = spawn(NODE, [CLI, 'lint', '--watch', '--no-cache'], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exit = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Waits until stdout after `from` contains `text`; fails with the output so far rather than hang. */
  async waitFor(text: string, from: number, what: string, timeoutMs = 15_000): Promise<number> {
    const started = Date.now();
    while (!this.stdout.slice(from).includes(text)) {
      if (this.child.exitCode !== null)
        throw new Error(`${what}: the watcher exited (${this.child.exitCode}) before printing "${text}".\nstderr:\n${this.stderr}`);
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `${what}: "${text}" did not appear within ${timeoutMs} ms.\nstdout since the change:\n${this.stdout.slice(from).slice(-2000)}\nstderr:\n${this.stderr.slice(-2000)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return Date.now() - started;
  }

  /** Stdout length now: the next wait only looks at what comes after. */
  mark(): number {
    return this.stdout.length;
  }
}

describe('lint --watch', () => {
  const { dir, remove } = tempDir('runbooks-watch-');
  let watcher: Watcher | undefined;
  afterAll(() => {
    if (watcher && watcher.child.exitCode === null) watcher.child.kill('SIGKILL');
    remove();
  });

  it('re-checks on every change, picks up new files and config changes, and stops cleanly on Ctrl-C', async () => {
    mkdirSync(path.join(dir, 'rules'));
    mkdirSync(path.join(dir, 'runbooks'));
    writeFileSync(
      path.join(dir, 'runbooks.config.yaml'),
      'rules: [rules/*.yaml]\nrunbooks: [runbooks/**/*.md]\nchecks:\n  stale-review: off\n',
    );
    writeFileSync(
      path.join(dir, 'rules/r.yaml'),
      'groups:\n  - name: g\n    rules:\n      - alert: DiskFull\n        expr: vector(1)\n      - alert: DiskSlow\n        expr: vector(1)\n',
    );
    writeFileSync(path.join(dir, 'runbooks/DiskFull.md'), runbookText('DiskFull'));
    writeFileSync(path.join(dir, 'runbooks/DiskSlow.md'), runbookText('DiskSlow'));
    const w = new Watcher(dir);
    watcher = w;
    await w.waitFor('no problems', 0, 'first report', 30_000);
    // Let the watchers settle, so the first change is not raced against their setup.
    await new Promise((resolve) => setTimeout(resolve, 300));

    let from = w.mark();
    writeFileSync(
      path.join(dir, 'runbooks/DiskFull.md'),
      runbookText('DiskFull', { body: '## Meaning\n\nTODO\n\n## Impact\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nx\n' }),
    );
    const broken = await w.waitFor('Placeholder "TODO" left in the runbook', from, 'after breaking a runbook');
    expect(broken).toBeLessThan(5_000);
    if (process.env.WATCH_LATENCY) process.stderr.write(`watch: finding shown ${broken} ms after the write\n`);

    from = w.mark();
    writeFileSync(path.join(dir, 'runbooks/DiskFull.md'), runbookText('DiskFull'));
    await w.waitFor('no problems', from, 'after fixing the runbook');

    // A new file in a new folder, matching the runbooks glob.
    from = w.mark();
    mkdirSync(path.join(dir, 'runbooks/storage'));
    writeFileSync(path.join(dir, 'runbooks/storage/extra.md'), runbookText('DiskFull', { body: '## Meaning\n\nFIXME\n' }));
    await w.waitFor('runbooks/storage/extra.md', from, 'after adding a runbook in a new folder');
    await w.waitFor('already has a runbook', from, 'cross-check with the new runbook');

    // A config change reloads the config: excluding the folder makes the findings go away.
    from = w.mark();
    writeFileSync(
      path.join(dir, 'runbooks.config.yaml'),
      'rules: [rules/*.yaml]\nrunbooks: [runbooks/**/*.md, "!runbooks/storage/**"]\nchecks:\n  stale-review: off\n',
    );
    await w.waitFor('no problems', from, 'after changing the config');

    // A change to a file no glob matches does not trigger a run.
    from = w.mark();
    writeFileSync(path.join(dir, 'notes.txt'), 'scratch\n');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(w.stdout.slice(from)).toBe('');

    w.child.kill('SIGINT');
    const code = await Promise.race([w.exit, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000))]);
    expect(code, `exit after SIGINT; stderr:\n${w.stderr}`).toBe(0);
  }, 120_000);
});

describe('watchPlan', () => {
  it('watches the config root and any glob folder outside it, and knows which paths matter', () => {
    const { dir, remove } = tempDir('runbooks-plan-');
    try {
      mkdirSync(path.join(dir, 'ops'));
      writeFileSync(
        path.join(dir, 'ops/runbooks.config.yaml'),
        'rules: ["../mixins/rules/**/*.yaml"]\nrunbooks: [docs/**/*.md, "!docs/_template.md"]\n',
      );
      const config = configOf(path.join(dir, 'ops'));
      const plan = watchPlan(config, path.join(dir, 'ops/runbooks.config.yaml'));
      expect(plan.roots).toContain(path.join(dir, 'ops'));
      expect(plan.roots).toContain(path.join(dir, 'mixins/rules'));
      expect(plan.roots).not.toContain(path.join(dir, 'ops/docs'));
      expect(plan.relevant(path.join(dir, 'ops/docs/a/HostDown.md'))).toBe(true);
      expect(plan.relevant(path.join(dir, 'ops/docs/_template.md'))).toBe(false);
      expect(plan.relevant(path.join(dir, 'ops/docs/notes.txt'))).toBe(false);
      expect(plan.relevant(path.join(dir, 'mixins/rules/x/node.yaml'))).toBe(true);
      expect(plan.relevant(path.join(dir, 'ops/runbooks.config.yaml'))).toBe(true);
      expect(plan.relevant(config.schemaFile)).toBe(true);
    } finally {
      remove();
    }
  });
});
