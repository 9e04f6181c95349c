/**
 * How parse results cross threads and enter the cache (perf/workers/encoding.ts): a runbook's
 * source comes back as the text the main thread holds, not as a copy from the JSON, and every form
 * decodes to exactly what the parser gave.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, encode, encodedOf, revive, send, type Parsed } from '../src/lib/perf/workers/encoding.ts';
import { parseJob, type ParseJob } from '../src/lib/perf/workers/jobs.ts';
import type { RuleFile, Runbook } from '../src/lib/project/model.ts';
import { REPO, runbookText } from './harness.ts';

const runbook = (text: string, file = 'runbooks/A.md'): { job: ParseJob; parsed: Parsed } => {
  const job: ParseJob = { kind: 'runbook', file, text };
  return { job, parsed: parseJob(job) };
};

const RULES = readFileSync(path.join(REPO, 'rules/node.yaml'), 'utf8');

describe('a runbook sent between threads', () => {
  it('takes its source from the text given, not from the JSON', () => {
    const { job, parsed } = runbook(runbookText('HighErrorRate'));
    const sent = send(parsed, job.text);
    expect(sent.restAt).toBeGreaterThan(job.text.length);
    const back = decode(sent, job.text) as Runbook;
    expect(back).toEqual(parsed);
    // Only the rest of the JSON is read: a different text given is the source.
    expect((decode(sent, 'the text given') as Runbook).source).toBe('the text given');
  });

  it('refuses to decode without the text', () => {
    const { job, parsed } = runbook(runbookText('HighErrorRate'));
    expect(() => decode(send(parsed, job.text))).toThrow(TypeError);
  });

  it('keeps a source that is not the text (an unreadable runbook) in the JSON', () => {
    const nested = `${'> '.repeat(200)}deep\n`;
    const { job, parsed } = runbook(nested);
    expect((parsed as Runbook).source).toBe('');
    const sent = send(parsed, job.text);
    expect(sent.restAt).toBeUndefined();
    expect(decode(sent)).toEqual(parsed);
  });

  it("is stored in the cache as the JSON of the result without its source, the file's text", () => {
    for (const text of [runbookText('A'), '---\nalert: "a\\tb"\n---\n\n# "Quoted" \\ text\u2028\n', '# only a heading\n']) {
      const { job, parsed } = runbook(text);
      const cached = encodedOf(send(parsed, job.text));
      const { source, ...rest } = parsed as Runbook;
      expect(source).toBe(text);
      expect(cached.json).toBe(JSON.stringify(rest));
      expect(decode(cached)).toEqual(rest);
    }
    // A source that is not the file's text is kept.
    const { job, parsed } = runbook(`${'> '.repeat(200)}deep\n`);
    expect(encodedOf(send(parsed, job.text)).json).toBe(encode(parsed).json);
  });

  it('does not change the result it encodes', () => {
    const { job, parsed } = runbook(runbookText('A'));
    const before = structuredClone(parsed);
    send(parsed, job.text);
    encode(parsed);
    expect(parsed).toEqual(before);
    expect((parsed as Runbook).source).toBe(job.text);
  });

  it('sends frontmatter JSON cannot carry as data', () => {
    const { job, parsed } = runbook('---\nalert: A\nweight: .nan\n---\n\n# A\n');
    const sent = send(parsed, job.text);
    expect(sent.data).toBe(parsed);
    expect(encodedOf(sent).data).toBe(parsed);
  });
});

describe('a rule file decoded', () => {
  it('equals the parse result, its label maps without a prototype', () => {
    const job: ParseJob = { kind: 'rules', file: 'rules/node.yaml', text: RULES };
    const parsed = parseJob(job) as RuleFile;
    expect(parsed.rules.length).toBeGreaterThan(0);
    const sent = send(parsed, job.text);
    expect(sent.restAt).toBeUndefined();
    const back = decode(sent) as RuleFile;
    expect(back).toEqual(parsed);
    for (const rule of back.rules) {
      expect(Object.getPrototypeOf(rule.labels)).toBeNull();
      expect(Object.getPrototypeOf(rule.annotationsAt)).toBeNull();
      expect(rule.at.file).toBe('rules/node.yaml');
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
