/**
 * How parse results cross threads and enter the cache (perf/workers/encoding.ts): a runbook's
 * source comes back as the text the main thread holds, not as a copy from the JSON, and every form
 * decodes to exactly what the parser gave.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, revive, RULE_REST, RUNBOOK_REST, send, type Parsed, type Parts, type Sent } from '../src/lib/perf/workers/encoding.ts';
import { parseJob, type ParseJob } from '../src/lib/perf/workers/jobs.ts';
import type { RuleFile, Runbook } from '../src/lib/project/model.ts';
import { REPO, runbookText } from './harness.ts';

const runbook = (text: string, file = 'runbooks/A.md'): { job: ParseJob; parsed: Parsed } => {
  const job: ParseJob = { kind: 'runbook', file, text };
  return { job, parsed: parseJob(job) };
};

/** A result sent as JSON, as nearly every one is. */
function parts(sent: Sent): Parts {
  if (sent.core === undefined) throw new Error('sent as data');
  return sent;
}

const RULES = readFileSync(path.join(REPO, 'rules/node.yaml'), 'utf8');

describe('a runbook sent between threads', () => {
  it('takes its source from the text given, not from the JSON', () => {
    const { job, parsed } = runbook(runbookText('HighErrorRate'));
    const sent = parts(send(parsed, job.text));
    expect(sent.sourced).toBe(true);
    expect(`${sent.core}${sent.rest}`).not.toContain('"source"');
    const back = decode(sent, job.text) as Runbook;
    expect(back).toEqual(parsed);
    // The source is the text given, whatever it is.
    expect((decode(sent, 'the text given') as Runbook).source).toBe('the text given');
  });

  it('refuses to decode without the text', () => {
    const { job, parsed } = runbook(runbookText('HighErrorRate'));
    expect(() => decode(send(parsed, job.text))).toThrow(TypeError);
  });

  it('keeps a source that is not the text (an unreadable runbook) in its rest', () => {
    const nested = `${'> '.repeat(200)}deep\n`;
    const { job, parsed } = runbook(nested);
    expect((parsed as Runbook).source).toBe('');
    const sent = parts(send(parsed, job.text));
    expect(sent.sourced).toBe(false);
    expect(JSON.parse(sent.rest).source).toBe('');
    expect(decode(sent)).toEqual(parsed);
  });

  it('puts what every run reads in its core, and headings, links, raw HTML and foreign syntax in its rest', () => {
    for (const text of [
      runbookText('A'),
      '---\nalert: "a\\tb"\n---\n\n# "Quoted" \\ [link](B.md) <kbd>x</kbd> text\u2028\n',
      '# only a heading\n',
    ]) {
      const { job, parsed } = runbook(text);
      const sent = parts(send(parsed, job.text));
      const core = JSON.parse(sent.core) as Record<string, unknown>;
      const rest = JSON.parse(sent.rest) as Record<string, unknown>;
      expect(Object.keys(core).sort()).toEqual(
        ['comments', 'diagnostics', 'file', 'lines', ...((parsed as Runbook).frontmatter ? ['frontmatter'] : [])].sort(),
      );
      expect(Object.keys(rest).sort()).toEqual([...RUNBOOK_REST].filter((k) => k !== 'source').sort());
      expect({ ...core, ...rest, source: text }).toEqual(parsed);
    }
  });

  it('does not change the result it encodes', () => {
    const { job, parsed } = runbook(runbookText('A'));
    const before = structuredClone(parsed);
    send(parsed, job.text);
    send(parsed);
    expect(parsed).toEqual(before);
    expect((parsed as Runbook).source).toBe(job.text);
  });

  it('sends frontmatter JSON cannot carry as data', () => {
    const { job, parsed } = runbook('---\nalert: A\nweight: .nan\n---\n\n# A\n');
    const sent = send(parsed, job.text);
    expect(sent.data).toBe(parsed);
  });
});

describe('a rule file decoded', () => {
  it('equals the parse result, its label maps without a prototype', () => {
    const job: ParseJob = { kind: 'rules', file: 'rules/node.yaml', text: RULES };
    const parsed = parseJob(job) as RuleFile;
    expect(parsed.rules.length).toBeGreaterThan(0);
    const sent = parts(send(parsed, job.text));
    expect(sent.sourced).toBe(false);
    const back = decode(sent) as RuleFile;
    expect(back).toEqual(parsed);
    for (const rule of back.rules) {
      expect(Object.getPrototypeOf(rule.labels)).toBeNull();
      expect(Object.getPrototypeOf(rule.annotationsAt)).toBeNull();
      expect(rule.at.file).toBe('rules/node.yaml');
    }
  });

  it("keeps its rules' positions and expressions in its rest, one object per rule", () => {
    const job: ParseJob = { kind: 'rules', file: 'rules/node.yaml', text: RULES };
    const parsed = parseJob(job) as RuleFile;
    const sent = parts(send(parsed, job.text));
    const core = JSON.parse(sent.core) as RuleFile;
    const rest = JSON.parse(sent.rest) as Record<string, unknown>[];
    expect(rest).toHaveLength(parsed.rules.length);
    for (const [i, rule] of core.rules.entries()) {
      for (const key of RULE_REST) expect(rule).not.toHaveProperty(key);
      expect({ ...rule, ...rest[i] }).toEqual(JSON.parse(JSON.stringify(parsed.rules[i])));
    }
  });

  it('keeps a position that names another file as it is', () => {
    const rules: RuleFile = {
      file: 'rules/a.yaml',
      rules: [],
      recordingRules: 0,
      diagnostics: [{ file: 'other.yaml', line: 1, column: 1, ruleId: 'parse-error', severity: 'error', message: 'm' }],
    };
    expect((revive(JSON.parse(JSON.stringify(rules)) as RuleFile).diagnostics[0] as { file: string }).file).toBe('other.yaml');
  });
});
