import { CORE_SCHEMA, load } from 'js-yaml';

/*
 * The fast YAML reader: js-yaml, for the plain YAML of a runbook's frontmatter, read to the same
 * data as `yaml` reads it (text/yaml.ts, YAML 1.2 core schema, which is js-yaml's CORE_SCHEMA too).
 * The two differ in corners (keys, anchors, tags and merge keys, indentation `yaml` refuses), so
 * only a line-by-line subset is read here (see PLAIN_LINE): anything else, and anything js-yaml
 * refuses (duplicate keys among them), is answered `undefined`, and the caller reads the text with
 * `yaml`. test/readers-equivalence.test.ts holds the two to the same data.
 */

/** A plain scalar: no indicator first, no `: ` or ` #` inside, no trailing colon. */
const PLAIN = String.raw`(?![-?:,\[\]{}#&*!|>'"%@\x60\s])(?:[^:#\s]|:(?=\S)|#|[ ](?!#))*(?<![\s:])`;
const SHORT_PLAIN = String.raw`-?[0-9]+(?:\.[0-9]+)?`;
const QUOTED = String.raw`"[^"\\]*"|'[^']*'`;
/** A flow sequence of plain words or quoted strings, on one line: `[A, "B"]`. */
const FLOW = String.raw`\[[ ]*(?:(?:[A-Za-z0-9_./][\w./ -]*(?<! )|${QUOTED})[ ]*(?:,[ ]*(?:[A-Za-z0-9_./][\w./ -]*(?<! )|${QUOTED})[ ]*)*)?\]`;
const VALUE = `(?:${PLAIN}|${SHORT_PLAIN}|${QUOTED}|${FLOW})`;
const COMMENT = `(?:[ ]+#.*)?`;
/** A key: a word, not one that the core schema reads as null, a boolean or a number. */
const KEY = String.raw`(?!(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|__proto__)(?![\w.-]))[A-Za-z_][\w.-]*`;

/**
 * One line of the subset: blank, a comment, `key: value`, `key:` (a block follows), `key: |` or
 * `key: >` (a block scalar, clipped or stripped, whose lines are not looked at), `- value`,
 * all indented by spaces.
 */
const PLAIN_LINE = new RegExp(`^[ ]*(?:#.*|(?:- +)?(?:${KEY}:(?:[ ]+(?:${VALUE}|[|>]-?))?|${VALUE})${COMMENT}|- *)?$`);
const BLOCK_SCALAR = /:[ ]+[|>]-?(?:[ ]+#.*)?$/;

/**
 * The data of YAML text in the subset both readers read alike, as `yaml` would give it; undefined
 * for any other text, or when the text is not a mapping (read it with `parseYaml` then).
 */
export function fastYamlData(text: string): Record<string, unknown> | undefined {
  if (text.includes('\t') || text.includes('\r') || text.includes('\uFEFF')) return undefined;
  let blockIndent = -1;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      // A line of only spaces inside a block scalar is where the two count indentation differently.
      if (line === '' || (indent > blockIndent && line.trim() !== '')) continue;
      if (line.trim() === '') return undefined;
      blockIndent = -1;
    }
    if (!PLAIN_LINE.test(line)) return undefined;
    if (BLOCK_SCALAR.test(line)) blockIndent = indent + (/^ *- /.exec(line)?.[0].length ?? 0);
  }
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return data as Record<string, unknown>;
}
