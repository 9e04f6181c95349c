import { LineCounter, parseAllDocuments, type Document, type YAMLError } from 'yaml';
import { PARSE_ERROR, type Diagnostic } from '../engine/diagnostic.ts';
import { PositionMapper } from './positions.ts';

/** One YAML document, its plain data and a way to find positions in it. */
interface ParsedDocument {
  doc: Document;
  data: unknown;
  positions: PositionMapper;
}

/** The result of reading YAML text: every document that parsed, and a diagnostic for each problem. */
export interface ParsedYaml {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
  /**
   * Set when the text was read as Prometheus reads it rather than as written (see
   * `readAsGoYaml`): the text the positions refer to. Only columns of continuation lines differ.
   */
  text?: string;
}

/** Aliases beyond this many in one document are refused: a "billion laughs" file must not exhaust memory. */
const MAX_ALIASES = 1000;
/** The yaml library resolves anchors and aliases in time that grows with the square of their number. */
const MAX_ANCHORS = 1000;
/** Its parser and toJS recurse once per level: 4,000 levels overflowed the stack. No rule file or frontmatter nests this deep. */
const MAX_YAML_DEPTH = 100;
/** YAML errors reported per file; error recovery can find one problem many times over. */
const MAX_ERRORS = 20;

/**
 * Whether the text is beyond what the parser handles in bounded time and stack: nesting (block
 * indentation levels, compact `- - -` items, `a: b:` keys and flow brackets, estimated line by line) or anchor
 * and alias count (estimated from `&name` and `*name` tokens). Linear in the text; an estimate
 * errs on the high side, which only matters past the limits.
 */
function exceededBound(text: string): { line: number; message: string; hint: string } | undefined {
  const indents: number[] = [];
  let flow = 0;
  let anchors = 0;
  let aliases = 0;
  let blockScalarIndent = -1;
  let line = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const content = text.slice(start, end);
    start = end + 1;
    const indent = content.length - content.trimStart().length;
    const body = content.trim();
    if (body === '' || body.startsWith('#')) continue;
    if (blockScalarIndent >= 0) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    while (indents.length > 0 && (indents.at(-1) as number) >= indent) indents.pop();
    indents.push(indent);
    let compact = 0;
    for (let rest = body; /^[-?:](?:\s|$)/.test(rest); rest = rest.slice(1).trimStart()) compact++;
    let quote = '';
    // `a: b: c` nests a map per colon (the parser recurses on it though it is an error).
    let colons = 0;
    for (let i = 0; i < body.length; i++) {
      const c = body[i] as string;
      if (quote) {
        if (c === quote) quote = '';
        continue;
      }
      const boundary = i === 0 || /[\s,[{:-]/.test(body[i - 1] as string);
      if ((c === '"' || c === "'") && boundary) quote = c;
      else if (c === '#' && i > 0 && /\s/.test(body[i - 1] as string)) break;
      else if (c === ':' && /\s/.test(body[i + 1] ?? ' ')) colons++;
      else if (c === '[' || c === '{') flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if (c === '&' && boundary && /[^\s,[\]{}]/.test(body[i + 1] ?? ' ')) anchors++;
      else if (c === '*' && boundary && /[^\s,[\]{}]/.test(body[i + 1] ?? ' ')) aliases++;
    }
    if (/(?:^|[\s:-])[|>][-+0-9]*(?:\s+#.*)?$/.test(body)) blockScalarIndent = indent;
    const depth = indents.length + compact + flow + colons;
    if (depth > MAX_YAML_DEPTH) {
      return {
        line,
        message: `YAML nests more than ${MAX_YAML_DEPTH} levels deep here; the file was not read`,
        hint: 'Flatten the structure: no rule file or frontmatter needs that many levels.',
      };
    }
    if (anchors > MAX_ANCHORS || aliases > MAX_ANCHORS) {
      return {
        line,
        message: `YAML has more than ${MAX_ANCHORS} ${anchors > MAX_ANCHORS ? 'anchors (&name)' : 'aliases (*name)'} by here; the file was not read`,
        hint: 'Write the values out, or split the file: reading that many anchors and aliases would take minutes.',
      };
    }
  }
  return undefined;
}

const hints: Record<string, string> = {
  DUPLICATE_KEY: 'Remove or rename one of the two keys: YAML keeps only one of them.',
  BAD_INDENT: 'Indent this line to the same column as its siblings, with spaces (not tabs).',
  TAB_AS_INDENT: 'Indent with spaces: YAML does not allow tabs for indentation.',
  MISSING_CHAR: 'Close the quote, bracket or brace that was opened before this point.',
  BLOCK_AS_IMPLICIT_KEY: 'A key must fit on one line; check for a missing colon or a stray line break above.',
  MULTILINE_IMPLICIT_KEY: 'A key must fit on one line; check for a missing colon or closing quote above.',
  UNEXPECTED_TOKEN: 'Check the characters here: quote values that contain `: `, `#`, `{` or `[`.',
  ALIAS_PROPS: 'Remove the anchor or tag from this alias.',
  BAD_ALIAS: 'Define the anchor (&name) before the alias (*name) that refers to it.',
};

/** Turns a yaml error into a diagnostic with the position and a hint on how to fix it. */
function toDiagnostic(error: YAMLError, file: string, positions: PositionMapper): Diagnostic {
  const [start, end] = error.pos;
  const span = positions.span(start, Math.max(start, end));
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return {
    file,
    ...span,
    ruleId: PARSE_ERROR,
    severity: 'error',
    message: `Invalid YAML: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}`,
    // yaml files a mis-indented line under MISSING_CHAR ("Sequence item without - indicator"): an indentation problem.
    hint:
      (error.code === 'MISSING_CHAR' && firstLine.includes('without - indicator') ? hints.BAD_INDENT : hints[error.code]) ??
      'Fix the YAML syntax here; `npx yaml valid < file` shows the same error.',
  };
}

/**
 * Parses every document in YAML text with the YAML 1.2 core schema, as Prometheus does.
 * Never throws: syntax errors, duplicate keys and alias bombs become diagnostics.
 */
export function parseYaml(original: string, file: string, lineOffset = 0): ParsedYaml {
  // A lone CR ends a line (YAML 1.2, 5.4), but the parser would read one long line; one for one, so no offset moves.
  const text = original.includes('\r') ? original.replace(/\r(?!\n)/g, '\n') : original;
  const strict = parseStrict(text, file, lineOffset);
  if (strict.diagnostics.length === 0) return strict;
  const lenient = readAsGoYaml(text);
  if (lenient === undefined) return strict;
  const retried = parseStrict(lenient, file, lineOffset);
  return retried.diagnostics.length === 0 ? { ...retried, text: lenient } : strict;
}

/** An opening quote that is not closed on its line: [index just past it, or -1 when closed]. */
function openQuoteEnd(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

const QUOTED_VALUE = /^(\s*(?:-\s+)*)(?:(?:[^\s#'"][^#]*?|"[^"]*"|'[^']*'):\s+)?(["'])/;

/**
 * Go's YAML reader (which Prometheus uses) accepts a quoted value whose continuation lines are
 * indented no deeper than its key; the YAML spec wants them deeper, and `yaml` refuses them.
 * Indenting those lines one column past the key changes no value (a quoted scalar's line breaks
 * fold and its leading spaces go), so the file reads as Prometheus reads it. Undefined when no
 * line needs it.
 */
function readAsGoYaml(text: string): string | undefined {
  const lines = text.split('\n');
  let changed = false;
  let open: { quote: string; indent: number } | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (open) {
      const indent = /^ */.exec(line)?.[0].length ?? 0;
      if (line.trim() !== '' && indent <= open.indent) {
        lines[n] = ' '.repeat(open.indent + 1 - indent) + line;
        changed = true;
      }
      const closed = openQuoteEnd(lines[n] as string, 0, open.quote);
      if (closed !== -1) {
        const rest = (lines[n] as string).slice(closed);
        open = undefined;
        // A value may open another quote after this one closes only in flow style, which this does not handle.
        if (/["']/.test(rest.replace(/#.*$/, ''))) return undefined;
      }
      continue;
    }
    const match = QUOTED_VALUE.exec(line);
    if (!match) continue;
    const quoteAt = (match[0] as string).length - 1;
    if (openQuoteEnd(line, quoteAt + 1, match[2] as string) !== -1) continue;
    open = { quote: match[2] as string, indent: (match[1] as string).length };
  }
  return changed ? lines.join('\n') : undefined;
}

function parseStrict(text: string, file: string, lineOffset: number): ParsedYaml {
  const lineCounter = new LineCounter();
  const positions = new PositionMapper(lineCounter, lineOffset, text);
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  const bound = exceededBound(text);
  if (bound) {
    const line = bound.line + lineOffset;
    return {
      documents,
      diagnostics: [{ file, line, column: 1, ruleId: PARSE_ERROR, severity: 'error', message: bound.message, hint: bound.hint }],
    };
  }
  // logLevel: the library's warnings (a map used as a key) would go to stderr as Node process warnings.
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  } catch (error) {
    // The bounds above should make this unreachable; if the parser still gives up, say so once.
    return {
      documents,
      diagnostics: [
        {
          file,
          line: 1 + lineOffset,
          column: 1,
          ruleId: PARSE_ERROR,
          severity: 'error',
          message: `YAML could not be read: ${(error as Error).message}`,
          hint: 'Simplify the structure of this file (less nesting, fewer anchors).',
        },
      ],
    };
  }
  const list = Array.isArray(docs) ? docs : [];
  const seen = new Set<string>();
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        // One finding per distinct problem and place, and not without end: error recovery can repeat one error many times.
        const diagnostic = toDiagnostic(error, file, positions);
        const key = `${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
        if (seen.has(key) || seen.size >= MAX_ERRORS) continue;
        seen.add(key);
        diagnostics.push(diagnostic);
      }
      continue;
    }
    try {
      documents.push({ doc, data: doc.toJS({ maxAliasCount: MAX_ALIASES }), positions });
    } catch (error) {
      diagnostics.push({
        file,
        ...positions.node(doc.contents),
        ruleId: PARSE_ERROR,
        severity: 'error',
        message: `YAML could not be expanded: ${(error as Error).message}`,
        hint: 'Replace the chains of anchors and aliases (&a / *a) with plain values.',
      });
    }
  }
  return { documents, diagnostics };
}
