/**
 * The checks that look at one runbook at a time (Check.eachRunbook): a cached run says again what
 * they found in an unchanged runbook, exactly what a cold run finds, and only while what they read
 * of other files (a link's target runbook, an image) is as it was and the config and checks are the
 * same; a check that fails on one runbook fails there alone, and what it found there is not kept.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { Report } from '../src/lib/checks/define.ts';
import { loadConfig } from '../src/lib/config/config.ts';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { checkEachRunbook, type EnabledCheck, type FindingsStore } from '../src/lib/engine/each-runbook.ts';
import { lint } from '../src/lib/engine/lint.ts';
import { ParseCache } from '../src/lib/perf/cache.ts';
import { contentHash, findingsKey } from '../src/lib/perf/cache-keys.ts';
import { runbookText, TODAY } from './harness.ts';
import { brief, lintAt, rulesFor, SMALL_CONFIG, smallProjects } from './support/small-project.ts';

const { project } = smallProjects('runbooks-each-runbook-');

const cacheOf = (root: string): string => path.join(root, '.cache/runbooks/lint-cache');

/**
 * A cached run as if made well after the files were written (RACY_MS in perf/cache.ts): the next
 * run trusts their metadata and takes the runbooks from the cache without reading them, as runs
 * do outside tests. Only Date is faked; the run's timers are real.
 */
async function lintSettled(root: string): Promise<Diagnostic[]> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 10_000);
  try {
    return await lintAt(root, { cacheLocation: cacheOf(root) });
  } finally {
    vi.useRealTimers();
  }
}

/** The cache file's index lines (entries, `findings\t<key>`, then a line per runbook's findings). */
function indexOf(cacheLocation: string): { header: string; indexAt: number; lines: string[]; bytes: Buffer } {
  const bytes = readFileSync(cacheLocation);
  const header = bytes.subarray(0, bytes.indexOf(10) + 1).toString();
  const indexAt = Number(header.split('\t')[2]);
  return { header, indexAt, lines: bytes.subarray(indexAt).toString().split('\n'), bytes };
}

/** Rewrites the cache file's index with `change`, its CRC made to match, as a tool that knows the format would. */
function rewriteIndex(cacheLocation: string, change: (lines: string[]) => string[]): void {
  const { header, indexAt, lines, bytes } = indexOf(cacheLocation);
  const index = Buffer.from(change(lines).join('\n'));
  const sum = crc32(index).toString(16).padStart(8, '0');
  writeFileSync(
    cacheLocation,
    Buffer.concat([Buffer.from(`${header.slice(0, -9)}${sum}\n`), bytes.subarray(header.length, indexAt), index]),
  );
}

/** Each runbook's findings line after `findings\t<key>`, parsed, by path. */
function keptFindings(cacheLocation: string): { key: string; byFile: Map<string, { found: Record<string, Report[]>; uses: unknown[] }> } {
  const { lines } = indexOf(cacheLocation);
  const at = lines.findIndex((line) => line.startsWith('findings\t'));
  expect(at, 'the index has a findings line').toBeGreaterThan(0);
  const byFile = new Map<string, { found: Record<string, Report[]>; uses: unknown[] }>();
  for (const line of lines.slice(at + 1)) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    byFile.set(JSON.parse(line.slice(0, tab)) as string, JSON.parse(line.slice(tab + 1)));
  }
  return { key: (lines[at] as string).slice('findings\t'.length), byFile };
}

const section = (name: string, text: string): string => `## ${name}\n\n${text}\n\n`;
const body = (sections: Record<string, string>): string =>
  Object.entries(sections)
    .map(([name, text]) => section(name, text))
    .join('');
const ALL = { Meaning: 'What it means.', Impact: 'Who is hurt.', Diagnosis: 'How to look.', Mitigation: 'How to stop it.' };

/** A finding of every runbook-at-a-time check, spread over four runbooks, and a rule per runbook. */
function findingsProject(): string {
  return project({
    'rules/a.yaml': rulesFor('Api', 'Db', 'Web', 'Bad'),
    // placeholder-content and unsafe-html
    'runbooks/Api.md': runbookText('Api', {
      body: body({ ...ALL, Diagnosis: '<iframe src="https://grafana.example.com/d/api"></iframe>', Mitigation: 'TODO: write it.' }),
    }),
    // required-sections and foreign-syntax
    'runbooks/Db.md': runbookText('Db', {
      body: body({ Meaning: 'x', Impact: 'x', Diagnosis: 'See [the API runbook]({{< ref "Api.md" >}}).' }),
    }),
    // broken-link: a missing file and a missing anchor of another runbook, beside links that work
    'runbooks/Web.md': runbookText('Web', {
      body: body({
        ...ALL,
        Diagnosis: 'See [gone](Gone.md), [the API](Api.md#nope), [its impact](Api.md#impact) and ![graph](images/x.png).',
      }),
    }),
    'runbooks/images/x.png': 'png',
    // frontmatter-schema
    'runbooks/Bad.md': runbookText('Bad', { frontmatter: 'pager: [1, 2]\n', body: body(ALL) }).replace('owner: platform\n', ''),
  });
}

const EACH_RUNBOOK = ['placeholder-content', 'unsafe-html', 'required-sections', 'foreign-syntax', 'broken-link', 'frontmatter-schema'];

describe('findings of the runbook-at-a-time checks, kept in the cache', () => {
  it.each([
    ['files hashed again (written just before the run)', false],
    ['files trusted by their metadata', true],
  ])('a warm run gives exactly the cold run’s findings: %s', async (_name, settled) => {
    const root = findingsProject();
    const cold = await lintAt(root);
    for (const id of EACH_RUNBOOK) expect(cold.some((d) => d.ruleId === id)).toBe(true);
    // The two broken links of Web.md, not the two that work.
    expect(cold.filter((d) => d.ruleId === 'broken-link').map((d) => `${brief(d)} ${d.key}`)).toEqual([
      'runbooks/Web.md:22:5 broken-link Gone.md',
      'runbooks/Web.md:22:22 broken-link runbooks/Api.md#nope',
    ]);
    const first = settled ? await lintSettled(root) : await lintAt(root, { cacheLocation: cacheOf(root) });
    expect(first).toEqual(cold);
    const warm = await lintAt(root, { cacheLocation: cacheOf(root) });
    expect(warm).toEqual(cold);
    expect(await lintAt(root, { cacheLocation: cacheOf(root) })).toEqual(cold);
    // Settled, the cache answers for a runbook from its metadata alone, as these warm runs took it.
    if (settled) {
      const absolute = path.join(root, 'runbooks/Db.md');
      expect(ParseCache.open(cacheOf(root)).getUnchanged('runbooks/Db.md', statSync(absolute), absolute)).toBeDefined();
    }

    // The cache holds every runbook's findings, and what broken-link read of other files.
    const { key, byFile } = keptFindings(cacheOf(root));
    expect(key).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect([...byFile.keys()].sort()).toEqual(['runbooks/Api.md', 'runbooks/Bad.md', 'runbooks/Db.md', 'runbooks/Web.md']);
    const kept = (file: string, id: string): string[] =>
      (byFile.get(file)?.found[id] ?? []).map((r) => `${r.at.line}:${r.at.column} ${r.key}`);
    for (const d of cold.filter((d) => EACH_RUNBOOK.includes(d.ruleId))) {
      expect(kept(d.file, d.ruleId), brief(d)).toContain(`${d.line}:${d.column} ${d.key}`);
    }
    const api = readFileSync(path.join(root, 'runbooks/Api.md'), 'utf8');
    expect(byFile.get('runbooks/Web.md')?.uses).toEqual(
      expect.arrayContaining([
        ['runbook', 'runbooks/Api.md', contentHash(api)],
        ['runbook', 'runbooks/Gone.md', null],
        ['file', 'runbooks/Gone.md', false],
        ['file', 'runbooks/images/x.png', true],
      ]),
    );
    expect(byFile.get('runbooks/Api.md')?.uses).toEqual([]);
  });

  it('says again what was kept for an unchanged runbook, and checks it afresh once it is edited', async () => {
    const root = findingsProject();
    const cold = await lintAt(root);
    await lintAt(root, { cacheLocation: cacheOf(root) });
    const file = 'runbooks/Db.md';
    const mine = (ds: Diagnostic[]): string[] => ds.filter((d) => d.file === file && EACH_RUNBOOK.includes(d.ruleId)).map(brief);
    expect(mine(cold)).toEqual([`${file}:10:1 required-sections`, `${file}:22:23 foreign-syntax`]);
    // Findings no check would make of this runbook, in the shape the cache keeps: the next run can only have them from the cache.
    const crafted = {
      found: {
        'required-sections': [
          { at: { file, line: 3, column: 2 }, message: 'Crafted in the cache', hint: 'Nothing to do.', key: 'crafted' },
        ],
      },
      uses: [],
    };
    rewriteIndex(cacheOf(root), (lines) => {
      const at = lines.findIndex((line) => line.startsWith('findings\t'));
      return lines.map((line, i) =>
        i > at && line.startsWith(`${JSON.stringify(file)}\t`) ? `${JSON.stringify(file)}\t${JSON.stringify(crafted)}` : line,
      );
    });
    const replayed = await lintAt(root, { cacheLocation: cacheOf(root) });
    expect(mine(replayed)).toEqual([`${file}:3:2 required-sections`]);
    expect(replayed.find((d) => d.message === 'Crafted in the cache')).toMatchObject({
      file,
      ruleId: 'required-sections',
      severity: 'error',
      hint: 'Nothing to do.',
    });
    // Every other finding is as the cold run's.
    expect(replayed.filter((d) => d.file !== file)).toEqual(cold.filter((d) => d.file !== file));

    // The runbook edited (a line added at its end): its checks run again, and find what they find.
    writeFileSync(path.join(root, file), `${readFileSync(path.join(root, file), 'utf8')}\nMore text.\n`);
    const edited = await lintAt(root, { cacheLocation: cacheOf(root) });
    expect(mine(edited)).toEqual(mine(cold));
    expect(edited).toEqual(await lintAt(root));
    expect(
      keptFindings(cacheOf(root))
        .byFile.get(file)
        ?.found['required-sections']?.map((r) => r.key),
    ).toEqual(['Mitigation']);
  });

  it.each([
    ['at a line the runbook does not have', (lines: number) => ({ at: { line: lines + 50, column: 1 } })],
    ['with related places that are not a list', () => ({ related: 5 })],
    ['with a related place without a message', () => ({ related: [{ file: 'runbooks/Db.md', line: 1, column: 1 }] })],
    ['with a hint that is not text', () => ({ hint: ['x'] })],
    ['with a fix that names no place', () => ({ fix: { path: ['a'], value: 'x' } })],
    ['with a severity that is none', () => ({ severity: 'fatal' })],
  ])('checks a runbook afresh when a kept finding is doctored: %s', async (_name, doctor) => {
    const root = findingsProject();
    const cold = await lintAt(root);
    await lintAt(root, { cacheLocation: cacheOf(root) });
    const file = 'runbooks/Db.md';
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n').length;
    const report = { at: { file, line: 3, column: 1 }, message: 'Doctored', hint: 'Nothing to do.', key: 'crafted' };
    const changed = doctor(lines) as Record<string, unknown>;
    const crafted = {
      found: { 'required-sections': [{ ...report, ...changed, at: { ...report.at, ...(changed.at as object | undefined) } }] },
      uses: [],
    };
    rewriteIndex(cacheOf(root), (lines) => {
      const at = lines.findIndex((line) => line.startsWith('findings\t'));
      return lines.map((line, i) =>
        i > at && line.startsWith(`${JSON.stringify(file)}\t`) ? `${JSON.stringify(file)}\t${JSON.stringify(crafted)}` : line,
      );
    });
    expect(await lintAt(root, { cacheLocation: cacheOf(root) })).toEqual(cold);
  });

  /** The broken-link findings of a run on `root` with its cache, with their messages. */
  const brokenLinks = async (root: string): Promise<string[]> =>
    (await lintAt(root, { cacheLocation: cacheOf(root) })).filter((d) => d.ruleId === 'broken-link').map((d) => `${brief(d)} ${d.message}`);

  it('checks a runbook again when a runbook it links to loses the heading linked, though it did not change', async () => {
    const root = project({
      'rules/a.yaml': rulesFor('A', 'B'),
      'runbooks/A.md': runbookText('A', { body: body({ ...ALL, Diagnosis: 'See [B’s impact](B.md#impact).' }) }),
      'runbooks/B.md': runbookText('B'),
    });
    const links = (): Promise<string[]> => brokenLinks(root);
    expect(await links()).toEqual([]);
    expect(await links()).toEqual([]);
    const b = path.join(root, 'runbooks/B.md');
    const original = readFileSync(b, 'utf8');
    writeFileSync(b, original.replace('## Impact\n', '## Effect\n'));
    expect(await links()).toEqual(['runbooks/A.md:22:5 broken-link Link to #impact: runbooks/B.md has no heading with that anchor']);
    expect(await links()).toEqual(['runbooks/A.md:22:5 broken-link Link to #impact: runbooks/B.md has no heading with that anchor']);
    writeFileSync(b, original);
    expect(await links()).toEqual([]);
    // B gone altogether: the link's file is missing.
    rmSync(b);
    expect(await links()).toEqual(['runbooks/A.md:22:5 broken-link Link target B.md does not exist']);
    expect(await links()).toEqual(['runbooks/A.md:22:5 broken-link Link target B.md does not exist']);
    // And back: a runbook where none was.
    writeFileSync(b, original);
    expect(await links()).toEqual([]);
  });

  it('checks a runbook again when a file it links to is deleted or comes back', async () => {
    const root = project({
      'rules/a.yaml': rulesFor('A'),
      'runbooks/A.md': runbookText('A', { body: body({ ...ALL, Diagnosis: 'The graph: ![errors](images/x.png).' }) }),
      'runbooks/images/x.png': 'png',
    });
    const links = (): Promise<string[]> => brokenLinks(root);
    expect(await links()).toEqual([]);
    expect(await links()).toEqual([]);
    const image = path.join(root, 'runbooks/images/x.png');
    rmSync(image);
    expect(await links()).toEqual(['runbooks/A.md:22:12 broken-link Link target images/x.png does not exist']);
    expect(await links()).toEqual(['runbooks/A.md:22:12 broken-link Link target images/x.png does not exist']);
    writeFileSync(image, 'png');
    expect(await links()).toEqual([]);
  });

  it('checks every runbook again when the config changes, though no runbook did', async () => {
    const root = project({
      'rules/a.yaml': rulesFor('A'),
      'runbooks/A.md': runbookText('A', { body: body({ ...ALL, Mitigation: 'XXX: write it. TODO too.' }) }),
    });
    const config = path.join(root, 'runbooks.config.yaml');
    const found = async (): Promise<string[]> =>
      (await lintAt(root, { cacheLocation: cacheOf(root) }))
        .filter((d) => EACH_RUNBOOK.includes(d.ruleId))
        .map((d) => `${brief(d)} ${d.key}`);
    expect(await found()).toEqual(['runbooks/A.md:26:16 placeholder-content word:TODO']);
    expect(await found()).toEqual(['runbooks/A.md:26:16 placeholder-content word:TODO']);
    // An option of a check.
    writeFileSync(config, `${SMALL_CONFIG}checks:\n  placeholder-content:\n    words: [XXX]\n`);
    expect(await found()).toEqual(['runbooks/A.md:26:1 placeholder-content word:XXX']);
    // A setting of the config a check reads.
    writeFileSync(
      config,
      `${SMALL_CONFIG}checks:\n  placeholder-content:\n    words: [XXX]\nrequiredSections: [Meaning, Impact, Diagnosis, Mitigation, Rollback]\n`,
    );
    expect(await found()).toEqual(['runbooks/A.md:10:1 required-sections Rollback', 'runbooks/A.md:26:1 placeholder-content word:XXX']);
    // A check turned off, and back on.
    writeFileSync(config, `${SMALL_CONFIG}checks:\n  placeholder-content: off\n`);
    expect(await found()).toEqual([]);
    writeFileSync(config, SMALL_CONFIG);
    expect(await found()).toEqual(['runbooks/A.md:26:16 placeholder-content word:TODO']);
  });
});

describe('the findings key', () => {
  it('follows the tool version and every setting, a pattern by its text', () => {
    const settings = { config: { words: ['TODO'], pattern: /^runbooks\// }, checks: [['placeholder-content', {}]] };
    const key = findingsKey(settings, '1.0.0');
    expect(findingsKey(structuredClone(settings), '1.0.0')).toBe(key);
    expect(findingsKey(settings, '1.0.1')).not.toBe(key);
    expect(findingsKey({ ...settings, config: { ...settings.config, words: ['TBD'] } }, '1.0.0')).not.toBe(key);
    // JSON alone would make every RegExp `{}`.
    expect(findingsKey({ ...settings, config: { ...settings.config, pattern: /^docs\// } }, '1.0.0')).not.toBe(key);
    expect(findingsKey({ ...settings, config: { ...settings.config, pattern: /^runbooks\//i } }, '1.0.0')).not.toBe(key);
    expect(findingsKey({ ...settings, checks: [] }, '1.0.0')).not.toBe(key);
  });

  it('follows the frontmatter schema, which the config holds, though its path is the same', async () => {
    const schema = (required: string[]): string => JSON.stringify({ type: 'object', required });
    const root = project(
      { 'rules/a.yaml': rulesFor('A'), 'runbooks/A.md': runbookText('A'), 'schema.json': schema(['alert']) },
      SMALL_CONFIG.replace(/^schema: .*$/m, 'schema: schema.json'),
    );
    const found = async (): Promise<string[]> =>
      (await lintAt(root, { cacheLocation: cacheOf(root) })).filter((d) => d.ruleId === 'frontmatter-schema').map((d) => d.message);
    expect(await found()).toEqual([]);
    expect(await found()).toEqual([]);
    writeFileSync(path.join(root, 'schema.json'), schema(['alert', 'pager']));
    expect(await found()).toEqual([expect.stringContaining('"pager"')]);
  });
});

describe('the engine’s run of the runbook-at-a-time checks', () => {
  /** Three runbooks that pass every check, loaded without a cache, and a store that knows no findings and records those it is given. */
  async function setUp() {
    const root = project({
      'rules/a.yaml': rulesFor('A', 'B', 'C'),
      'runbooks/A.md': runbookText('A'),
      'runbooks/B.md': runbookText('B'),
      'runbooks/C.md': runbookText('C'),
    });
    const { project: loaded } = await lint(loadConfig(root).config!, { today: TODAY });
    const stored = new Map<string, unknown>();
    const store: FindingsStore = {
      findingsOf: () => undefined,
      setFindings: (file, _key, findings) => void stored.set(file, findings),
      hashOf: (file) => `hash of ${file}`,
    };
    return { loaded, stored, store };
  }

  /** A check that reports one finding per runbook it looks at (listed in `looked`), and throws on those `fails` names. */
  const reporting = (id: string, fails: (file: string) => boolean, reported: string[], looked: string[] = []): EnabledCheck => ({
    check: {
      id,
      severity: 'error',
      description: 'A check for this test.',
      docs: { rationale: 'A test.', findingsIn: 'line' },
      eachRunbook: () => (runbook, report) => {
        looked.push(runbook.file);
        if (fails(runbook.file)) throw new Error(`${id} cannot read ${runbook.file}`);
        report({ at: { file: runbook.file, line: 1, column: 1 }, message: `${id} looked`, key: id });
      },
    },
    options: {},
    report: (found) => void reported.push(`${found.at.file} ${found.message}`),
  });

  it('makes a check that fails on one runbook one internal error there; the others are checked, and that runbook’s findings not kept', async () => {
    const { loaded, stored, store } = await setUp();
    const reported: string[] = [];
    const diagnostics: Diagnostic[] = [];
    const checks = [reporting('fails-on-b', (file) => file === 'runbooks/B.md', reported), reporting('never-fails', () => false, reported)];
    checkEachRunbook(loaded, checks, store, diagnostics);
    expect(diagnostics.map((d) => [d.file, d.line, d.column, d.ruleId, d.severity])).toEqual([
      ['runbooks/B.md', 1, 1, 'internal-error', 'error'],
    ]);
    expect(diagnostics[0]?.message).toContain('check fails-on-b');
    expect(diagnostics[0]?.message).toContain('fails-on-b cannot read runbooks/B.md');
    // Both checks looked at every other runbook, and the one that works at B too.
    expect(reported).toEqual([
      'runbooks/A.md fails-on-b looked',
      'runbooks/A.md never-fails looked',
      'runbooks/B.md never-fails looked',
      'runbooks/C.md fails-on-b looked',
      'runbooks/C.md never-fails looked',
    ]);
    expect([...stored.keys()]).toEqual(['runbooks/A.md', 'runbooks/C.md']);
    expect(stored.get('runbooks/A.md')).toEqual({
      found: {
        'fails-on-b': [{ at: { file: 'runbooks/A.md', line: 1, column: 1 }, message: 'fails-on-b looked', key: 'fails-on-b' }],
        'never-fails': [{ at: { file: 'runbooks/A.md', line: 1, column: 1 }, message: 'never-fails looked', key: 'never-fails' }],
      },
      uses: [],
    });
  });

  it('makes a check that fails to set up one internal error, and keeps nothing', async () => {
    const { loaded, stored, store } = await setUp();
    const reported: string[] = [];
    const diagnostics: Diagnostic[] = [];
    const broken: EnabledCheck = {
      ...reporting('no-setup', () => false, reported),
      check: {
        ...reporting('no-setup', () => false, reported).check,
        eachRunbook: () => {
          throw new Error('no pattern');
        },
      },
    };
    checkEachRunbook(loaded, [broken, reporting('never-fails', () => false, reported)], store, diagnostics);
    expect(diagnostics.map((d) => `${d.file} ${d.ruleId} ${d.message}`)).toEqual([
      expect.stringMatching(/^runbooks\.config\.yaml internal-error .*check no-setup.*no pattern/),
    ]);
    expect(reported).toEqual(['runbooks/A.md never-fails looked', 'runbooks/B.md never-fails looked', 'runbooks/C.md never-fails looked']);
    expect(stored.size).toBe(0);
  });

  it('sets up no check when every runbook’s findings are said again', async () => {
    const { loaded } = await setUp();
    let setUps = 0;
    const reported: string[] = [];
    const check = reporting('kept', () => false, reported);
    const counted: EnabledCheck = {
      ...check,
      check: {
        ...check.check,
        eachRunbook: (context) => {
          setUps++;
          return check.check.eachRunbook(context);
        },
      },
    };
    const kept = new Map<string, { found: Record<string, unknown[]>; uses: unknown[] }>();
    const store: FindingsStore = {
      findingsOf: (file) => kept.get(file),
      setFindings: (file, _key, findings) => void kept.set(file, findings),
      hashOf: (file) => `hash of ${file}`,
    };
    checkEachRunbook(loaded, [counted], store, []);
    expect([setUps, kept.size]).toEqual([1, 3]);
    reported.length = 0;
    checkEachRunbook(loaded, [counted], store, []);
    expect(setUps).toBe(1);
    expect(reported).toEqual(['runbooks/A.md kept looked', 'runbooks/B.md kept looked', 'runbooks/C.md kept looked']);
  });

  it('checks a runbook a check failed on again on the next run, not from the store', async () => {
    const { loaded } = await setUp();
    // A store that knows findings for every runbook: only those it was given are said again.
    const kept = new Map<string, { found: Record<string, unknown[]>; uses: unknown[] }>();
    const store: FindingsStore = {
      findingsOf: (file) => kept.get(file),
      setFindings: (file, _key, findings) => void kept.set(file, findings),
      hashOf: (file) => `hash of ${file}`,
    };
    let failing = true;
    const reported: string[] = [];
    const looked: string[] = [];
    const counting = reporting('flaky', (file) => file === 'runbooks/B.md' && failing, reported, looked);
    const first: Diagnostic[] = [];
    checkEachRunbook(loaded, [counting], store, first);
    expect(first.map((d) => `${d.file} ${d.ruleId}`)).toEqual(['runbooks/B.md internal-error']);
    failing = false;
    looked.length = 0;
    reported.length = 0;
    const second: Diagnostic[] = [];
    checkEachRunbook(loaded, [counting], store, second);
    expect(second).toEqual([]);
    expect(looked).toEqual(['runbooks/B.md']);
    expect(reported).toEqual(['runbooks/A.md flaky looked', 'runbooks/B.md flaky looked', 'runbooks/C.md flaky looked']);
  });
});
