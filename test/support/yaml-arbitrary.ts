/**
 * fast-check arbitraries of YAML text, built from the grammar: block and flow maps and sequences
 * (indented and not), plain, single- and double-quoted scalars with escapes, literal and folded
 * block scalars with chomping, comments, anchors and aliases, tags, explicit keys, documents with
 * markers, and scalars whose type the core schema decides (numbers in every notation, booleans,
 * nulls, dates). Also shaped ones: frontmatter of a runbook and a Prometheus rule file, with
 * placeholders. Not every text is valid YAML; readers are compared where both accept it.
 */
import fc from 'fast-check';

/** A YAML node before it is written out: how it is written is part of the node. */
export type YamlNode =
  | { kind: 'scalar'; text: string; props?: string; comment?: string }
  | { kind: 'block'; header: string; lines: string[]; props?: string }
  | { kind: 'map'; entries: [string, YamlNode][]; flow: boolean; props?: string }
  | { kind: 'seq'; items: YamlNode[]; flow: boolean; indentless: boolean; props?: string };

const plain = fc.constantFrom(
  'alpha',
  'two words',
  'HostDown',
  'critical',
  'é ü',
  'x*y',
  "it's",
  'a#b',
  '-a',
  ':x',
  '?x',
  'x:y',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'true',
  'True',
  'TRUE',
  'false',
  'FALSE',
  'null',
  'Null',
  'NULL',
  '~',
  '',
  '0',
  '-0',
  '+1',
  '007',
  '08',
  '0o17',
  '0x1F',
  '0X1f',
  '0b101',
  '1_000',
  '1e3',
  '1E+3',
  '1.5e-3',
  '.5',
  '-.5',
  '5.',
  '+.5',
  '.inf',
  '-.Inf',
  '+.INF',
  '.NaN',
  '.nan',
  'NaN',
  'inf',
  '2026-04-24',
  '2026-04-24T12:00:00Z',
  '2026-4-4',
  '12:30:00',
  '1:30',
  '190:20:30',
  '5m',
  '1h30m',
  '0.01',
  '1,000',
  '{{ $labels.instance }}',
  'x {{ $labels.job }} y',
  '{{ $value | printf "%.2f" }}',
  'https://runbooks.example.com/alerts/{alert}/',
  'rate(x[5m]) > 0',
  '<<',
  '=',
  'a\tb',
  'trail  ',
);
/** Plain scalars that are often not valid where they stand: indicators, comments, tags, anchors. */
const tricky = fc.constantFrom(
  'a #b',
  'a: b',
  'a:',
  '- a',
  '%x',
  '@x',
  '`x`',
  '#60',
  'a, b',
  '[x]',
  '{x}',
  '"a" b',
  "'a' b",
  'a "b"',
  '|',
  '>',
  '!x',
  '!!str 1',
  '!!int "3"',
  '!!float 1',
  '!!bool yes',
  '!!null ""',
  '!local x',
  '&a x',
  '*a',
  '  lead',
);
const singleQuoted = fc.constantFrom(
  "''",
  "'a'",
  "'it''s'",
  "'#x'",
  "'{{ $labels.x }}'",
  "'a: b'",
  "'line\n  two'",
  "'  pad  '",
  "'\\n'",
  "'yes'",
  "'1'",
);
const doubleQuoted = fc.constantFrom(
  '""',
  '"a"',
  '"\\t\\n\\r"',
  '"\\u00e9\\x41"',
  '"\\U0001F600"',
  '"\\"q\\" \\\\"',
  '"\\/"',
  '"\\N\\_\\L\\P"',
  '"\\e\\a\\b\\v\\0"',
  '"a\\\n  b"',
  '"line\n  two"',
  '"{{ $labels.x }}"',
  '"\\q"',
  '"1"',
  '"null"',
  '"a # b"',
  '"\\x4"',
  '"\\ud800"',
  '"\\ "',
);
/** A scalar written inline (after `key:` or `- `, or in flow). */
const inlineScalar = fc.oneof(
  { weight: 8, arbitrary: plain },
  { weight: 1, arbitrary: tricky },
  { weight: 2, arbitrary: singleQuoted },
  { weight: 2, arbitrary: doubleQuoted },
);

const keys = fc.constantFrom(
  'alert',
  'title',
  'severity',
  'a',
  'b',
  'c',
  'two words',
  '"quoted key"',
  "'single'",
  '1',
  '0x10',
  'true',
  'null',
  '~',
  '""',
  '__proto__',
  'constructor',
  'toString',
  '<<',
  '"a: b"',
  'é',
  'a b c',
  '? explicit',
  '[a, b]',
  '{a: 1}',
  '-x',
  'x-y',
  'x.y',
  '2026-04-24',
  '.inf',
);
const props = fc.oneof(
  { weight: 12, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.constantFrom('&a ', '&b ') },
  { weight: 1, arbitrary: fc.constantFrom('!!str ', '!!seq ', '!!map ', '!x ', '&c !!str ') },
);
const comments = fc.constantFrom(undefined, undefined, undefined, ' # c', '  #c', ' #', ' # a: b');

const scalarNode: fc.Arbitrary<YamlNode> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({ kind: fc.constant('scalar' as const), text: inlineScalar, props, comment: comments })
      .map(({ comment, ...n }) => (comment === undefined ? n : { ...n, comment })),
  },
  { weight: 1, arbitrary: fc.constantFrom('*a', '*b', '*a', '*b', '*missing').map((text): YamlNode => ({ kind: 'scalar', text })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('block' as const),
      header: fc.constantFrom('|', '|-', '|+', '>', '>-', '>+', '|2', '>1-', '| # c'),
      lines: fc.array(
        fc.constantFrom(
          'line one',
          '  indented more',
          '',
          'rate(x[5m]) > 0',
          '{{ $labels.x }}',
          '# not a comment',
          '- not an item',
          'a: b',
          '\tTab',
        ),
        { minLength: 0, maxLength: 4 },
      ),
      props,
    }),
  },
);

/** Any node, nested a few levels. */
const yamlNode: fc.Arbitrary<YamlNode> = fc.letrec<{ node: YamlNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarNode,
    fc.record({
      kind: fc.constant('map' as const),
      entries: fc.array(fc.tuple(keys, tie('node')), { maxLength: 4 }),
      flow: fc.boolean(),
      props,
    }),
    fc.record({
      kind: fc.constant('seq' as const),
      items: fc.array(tie('node'), { maxLength: 4 }),
      flow: fc.boolean(),
      indentless: fc.boolean(),
      props,
    }),
  ),
})).node;

const pad = (n: number): string => ' '.repeat(n);

function flow(node: YamlNode): string {
  const p = node.props ?? '';
  switch (node.kind) {
    case 'scalar':
      return `${p}${node.text}`;
    case 'block':
      return `${p}"${node.lines.join(' ')}"`;
    case 'map':
      return `${p}{${node.entries.map(([k, v]) => `${k}: ${flow(v)}`).join(', ')}}`;
    case 'seq':
      return `${p}[${node.items.map(flow).join(', ')}]`;
  }
}

/** The node as the value after `key:` or `- ` at `indent` (the column of the key or dash). */
function value(node: YamlNode, indent: number, inSeq: boolean): string {
  const p = node.props ?? '';
  switch (node.kind) {
    case 'scalar':
      return ` ${p}${node.text.replace(/\n/g, `\n${pad(indent + 2)}`)}${node.comment ?? ''}`;
    case 'block':
      return ` ${p}${node.header}${node.lines.map((line) => `\n${line === '' ? '' : pad(indent + 2)}${line}`).join('')}`;
    case 'map':
      if (node.flow || node.entries.length === 0) return ` ${flow(node)}`;
      // A map in a sequence may start on the dash's line (`- a: 1`).
      if (inSeq && p === '') return ` ${block(node, indent + 2).trimStart()}`;
      return `${p ? ` ${p.trimEnd()}` : ''}\n${block(node, indent + 2)}`;
    case 'seq':
      if (node.flow || node.items.length === 0) return ` ${flow(node)}`;
      return `${p ? ` ${p.trimEnd()}` : ''}\n${block(node, node.indentless && !inSeq ? indent : indent + 2)}`;
  }
}

/** The node written in block style, each line at `indent`. */
export function block(node: YamlNode, indent = 0): string {
  switch (node.kind) {
    case 'map':
      if (node.flow || node.entries.length === 0) return pad(indent) + flow(node);
      return node.entries.map(([k, v]) => `${pad(indent)}${k}:${value(v, indent, false)}`).join('\n');
    case 'seq':
      if (node.flow || node.items.length === 0) return pad(indent) + flow(node);
      return node.items.map((item) => `${pad(indent)}-${value(item, indent, true)}`).join('\n');
    default:
      return pad(indent) + value(node, indent, false).trimStart();
  }
}

const map = (entries: [string, YamlNode][]): YamlNode => ({ kind: 'map', entries, flow: false });
const scalarOf = (texts: fc.Arbitrary<string>): fc.Arbitrary<YamlNode> =>
  fc.oneof(
    texts.map((text): YamlNode => ({ kind: 'scalar', text })),
    scalarNode,
  );
const seqOf = (items: fc.Arbitrary<YamlNode>): fc.Arbitrary<YamlNode> =>
  fc
    .record({ items: fc.array(items, { maxLength: 3 }), flow: fc.boolean(), indentless: fc.boolean() })
    .map(({ items: list, ...rest }): YamlNode => ({ kind: 'seq', items: list, ...rest }));

/** A runbook's frontmatter: the schema's keys, written in any style, with some noise. */
export const frontmatterNode: fc.Arbitrary<YamlNode> = fc
  .tuple(
    scalarOf(fc.constantFrom('HostDown', '"HostDown"', 'Host Down')),
    scalarOf(fc.constantFrom('Host is down', '"x: y"', "'quoted'")),
    scalarOf(fc.constantFrom('critical', 'warning', 'info')),
    scalarOf(fc.constantFrom('2026-04-24', '"2026-04-24"')),
    seqOf(scalarOf(fc.constantFrom('node', 'disk'))),
    seqOf(
      fc
        .tuple(
          scalarOf(fc.constantFrom('Overview')),
          scalarOf(fc.constantFrom('https://g.example/d/x?var-i={{ $labels.instance }}', '"https://g.example/d"')),
        )
        .map(([title, url]) =>
          map([
            ['title', title],
            ['url', url],
          ]),
        ),
    ),
    fc.array(fc.tuple(keys, yamlNode), { maxLength: 2 }),
  )
  .map(([alert, title, severity, reviewed, tags, dashboards, extra]) =>
    map([
      ['alert', alert],
      ['title', title],
      ['severity', severity],
      ['last_reviewed', reviewed],
      ['tags', tags],
      ['dashboards', dashboards],
      ...extra,
    ]),
  );

/** A Prometheus rule file: groups of alerting rules with multi-line expressions, labels and templated annotations. */
export const ruleFileNode: fc.Arbitrary<YamlNode> = fc
  .array(
    fc
      .tuple(
        scalarOf(fc.constantFrom('node', '"group: one"')),
        fc.array(
          fc
            .tuple(
              scalarOf(fc.constantFrom('HostDown', 'HighLatency')),
              fc.constantFrom<YamlNode>(
                { kind: 'block', header: '|', lines: ['sum by (job) (rate(x{code=~"5.."}[5m]))', '  / sum by (job) (rate(x[5m])) > 0.01'] },
                { kind: 'block', header: '>-', lines: ['up == 0', 'and on() vector(1)'] },
                { kind: 'scalar', text: 'up{job="node"} == 0' },
                { kind: 'scalar', text: '"up == 0"' },
              ),
              scalarOf(fc.constantFrom('5m', '1h', '0s')),
              scalarOf(fc.constantFrom('critical', 'warning')),
              scalarOf(
                fc.constantFrom(
                  '{{ $labels.instance }} is down',
                  '"{{ $labels.instance }} is down"',
                  "'{{ $value }}'",
                  'Value {{ $value | humanize }}',
                ),
              ),
              scalarOf(fc.constantFrom('https://runbooks.example.com/alerts/HostDown/', '"https://x/{{ $labels.alertname }}"')),
            )
            .map(([alert, expr, duration, severity, summary, url]) =>
              map([
                ['alert', alert],
                ['expr', expr],
                ['for', duration],
                ['labels', map([['severity', severity]])],
                [
                  'annotations',
                  map([
                    ['summary', summary],
                    ['runbook_url', url],
                  ]),
                ],
              ]),
            ),
          { maxLength: 3 },
        ),
      )
      .map(
        ([name, rules]): YamlNode =>
          map([
            ['name', name],
            ['rules', { kind: 'seq', items: rules, flow: false, indentless: false }],
          ]),
      ),
    { minLength: 1, maxLength: 2 },
  )
  .map((groups) => map([['groups', { kind: 'seq', items: groups, flow: false, indentless: false }]]));

/** A YAML text: one or more documents (with or without markers, comments between lines), LF or CRLF. */
export const yamlText: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.oneof({ weight: 3, arbitrary: yamlNode }, { weight: 1, arbitrary: frontmatterNode }, { weight: 1, arbitrary: ruleFileNode }),
      { minLength: 1, maxLength: 2 },
    ),
    fc.constantFrom('', '', '---\n', '%YAML 1.2\n---\n', '# head\n'),
    fc.constantFrom('', '', '\n...\n', '\n# tail\n', '\n'),
    fc.constantFrom('\n', '\n', '\r\n'),
  )
  .map(([documents, head, tail, ending]) => {
    const text = head + documents.map((d) => block(d)).join('\n---\n') + tail;
    return ending === '\n' ? text : text.replace(/\n/g, ending);
  });
