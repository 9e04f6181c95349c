/**
 * The syntax of Go's text/template as Prometheus parses alert labels and annotations: actions,
 * quoting, control structures, variables and the functions Prometheus defines. It finds what
 * `template.Parse` refuses (what promtool reports), not what would fail only when executed.
 */

/** Go's builtin template functions. */
const GO_FUNCTIONS = [
  'and',
  'call',
  'html',
  'index',
  'slice',
  'js',
  'len',
  'not',
  'or',
  'print',
  'printf',
  'println',
  'urlquery',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
];
/** The functions Prometheus adds (template/template.go). */
const PROMETHEUS_FUNCTIONS = [
  'query',
  'first',
  'label',
  'value',
  'strvalue',
  'args',
  'reReplaceAll',
  'safeHtml',
  'match',
  'title',
  'toUpper',
  'toLower',
  'graphLink',
  'tableLink',
  'sortByLabel',
  'humanize',
  'humanize1024',
  'humanizeDuration',
  'humanizePercentage',
  'humanizeTimestamp',
  'toTime',
  'toDuration',
  'now',
  'pathPrefix',
  'externalURL',
  'parseDuration',
  'stripPort',
  'stripDomain',
  'urlQueryEscape',
];
const FUNCTIONS = new Set([...GO_FUNCTIONS, ...PROMETHEUS_FUNCTIONS]);
/** Variables Prometheus defines before every alert template. */
const PREDEFINED = ['$', '$labels', '$externalLabels', '$externalURL', '$value'];
const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
  'nil',
  'true',
  'false',
]);

/** A template syntax error and the offset in the template text where it is. */
export interface TemplateError {
  offset: number;
  message: string;
}

interface Token {
  kind: 'ident' | 'field' | 'var' | 'declare' | 'assign' | 'pipe' | 'lparen' | 'rparen' | 'comma' | 'string' | 'number' | 'other';
  text: string;
  offset: number;
}

class Failure extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

/** Splits the inside of one action into tokens. */
function tokenize(text: string, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === '`' || c === "'") {
      i++;
      while (i < to && text[i] !== c) {
        if (c !== '`' && text[i] === '\\') i++;
        if (c !== '`' && text[i] === '\n') break;
        i++;
      }
      if (i >= to || text[i] !== c)
        throw new Failure(
          start,
          c === "'" ? 'unterminated character constant' : c === '`' ? 'unterminated raw quoted string' : 'unterminated quoted string',
        );
      i++;
      tokens.push({ kind: 'string', text: text.slice(start, i), offset: start });
    } else if (c === '$') {
      i++;
      while (i < to && /[\w]/.test(text[i] as string)) i++;
      tokens.push({ kind: 'var', text: text.slice(start, i), offset: start });
      // `$x.Field` is a variable followed by fields; the fields need no check.
      while (i < to && text[i] === '.' && /[A-Za-z_]/.test(text[i + 1] ?? '')) for (i++; i < to && /\w/.test(text[i] as string); i++);
    } else if (c === '.') {
      i++;
      while (i < to && /[\w.]/.test(text[i] as string)) i++;
      tokens.push({ kind: 'field', text: text.slice(start, i), offset: start });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < to && /\w/.test(text[i] as string)) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), offset: start });
      while (i < to && text[i] === '.' && /[A-Za-z_]/.test(text[i + 1] ?? '')) for (i++; i < to && /\w/.test(text[i] as string); i++);
    } else if (/[0-9+-]/.test(c)) {
      i++;
      while (i < to && /[\w.+-]/.test(text[i] as string)) i++;
      tokens.push({ kind: 'number', text: text.slice(start, i), offset: start });
    } else if (c === ':' && text[i + 1] === '=') {
      i += 2;
      tokens.push({ kind: 'declare', text: ':=', offset: start });
    } else {
      i++;
      const kind = c === '=' ? 'assign' : c === '|' ? 'pipe' : c === '(' ? 'lparen' : c === ')' ? 'rparen' : c === ',' ? 'comma' : 'other';
      if (kind === 'other') throw new Failure(start, `unexpected "${c}" in command`);
      tokens.push({ kind, text: c, offset: start });
    }
  }
  return tokens;
}

interface Block {
  keyword: string;
  offset: number;
  variables: Set<string>;
}

/** Checks a pipeline: parentheses balance, commands are not empty, functions and variables exist. */
function checkPipeline(tokens: Token[], at: number, keyword: string, scopes: Block[], declare: Set<string>): void {
  let rest = tokens;
  // Declarations: `$x := pipeline`, `$i, $e := pipeline` (range), `$x = pipeline`.
  const declareAt = rest.findIndex((t) => t.kind === 'declare' || t.kind === 'assign');
  if (declareAt > 0 && rest.slice(0, declareAt).every((t) => t.kind === 'var' || t.kind === 'comma')) {
    const names = rest.slice(0, declareAt).filter((t) => t.kind === 'var');
    if ((rest[declareAt] as Token).kind === 'declare') for (const name of names) declare.add(name.text);
    else
      for (const name of names)
        if (!defined(name.text, scopes, declare)) throw new Failure(name.offset, `undefined variable "${name.text}"`);
    rest = rest.slice(declareAt + 1);
  }
  if (rest.length === 0) throw new Failure(at, keyword ? `missing value for ${keyword}` : 'missing value for command');
  let depth = 0;
  let commandEmpty = true;
  // Go ends a command at `|` and a pipeline at `}}` or `)`, so a `|` just before either is accepted.
  let afterPipe = false;
  for (const token of rest) {
    const pipeBefore = afterPipe;
    afterPipe = token.kind === 'pipe';
    switch (token.kind) {
      case 'lparen':
        depth++;
        commandEmpty = true;
        break;
      case 'rparen':
        if (commandEmpty && !pipeBefore)
          throw new Failure(token.offset, depth === 0 ? 'unexpected ")" in operand' : 'missing value for command');
        depth--;
        if (depth < 0) throw new Failure(token.offset, 'unexpected ")" in operand');
        break;
      case 'pipe':
        if (commandEmpty) throw new Failure(token.offset, 'missing value for command');
        commandEmpty = true;
        break;
      case 'ident':
        if (KEYWORDS.has(token.text) && !['nil', 'true', 'false'].includes(token.text))
          throw new Failure(token.offset, `unexpected <${token.text}> in command`);
        if (!KEYWORDS.has(token.text) && !FUNCTIONS.has(token.text))
          throw new Failure(token.offset, `function "${token.text}" not defined`);
        commandEmpty = false;
        break;
      case 'var':
        if (!defined(token.text, scopes, declare)) throw new Failure(token.offset, `undefined variable "${token.text}"`);
        commandEmpty = false;
        break;
      case 'declare':
      case 'assign':
        throw new Failure(token.offset, `unexpected "${token.text}" in operand`);
      default:
        commandEmpty = false;
    }
  }
  if (depth > 0) throw new Failure(at, 'unclosed left paren');
  if (commandEmpty && !afterPipe) throw new Failure(at, 'missing value for command');
}

function defined(name: string, scopes: Block[], declared: Set<string>): boolean {
  return declared.has(name) || scopes.some((s) => s.variables.has(name));
}

/** The first syntax error Go's template parser would report for `text`, or undefined when it parses. */
export function templateError(text: string): TemplateError | undefined {
  if (!text.includes('{{')) return undefined;
  const scopes: Block[] = [{ keyword: '', offset: 0, variables: new Set(PREDEFINED) }];
  try {
    let i = 0;
    for (let open = text.indexOf('{{', i); open !== -1; open = text.indexOf('{{', i)) {
      let from = open + 2;
      if (text[from] === '-' && /\s/.test(text[from + 1] ?? '')) from += 2;
      const close = findClose(text, from, open);
      i = close.end;
      let to = close.start;
      if (text[to - 1] === '-' && /\s/.test(text[to - 2] ?? '')) to -= 2;
      const inner = text.slice(from, to).trim();
      if (inner.startsWith('/*')) {
        if (!inner.endsWith('*/')) throw new Failure(open, 'comment ends before closing delimiter');
        continue;
      }
      action(tokenize(text, from, to), open, scopes);
    }
    if (scopes.length > 1) {
      const block = scopes[scopes.length - 1] as Block;
      throw new Failure(block.offset, `unexpected EOF: {{${block.keyword}}} has no {{end}}`);
    }
  } catch (error) {
    if (error instanceof Failure) return { offset: error.offset, message: error.message };
    throw error;
  }
  return undefined;
}

/** Where the action that starts at `from` ends: `}}` outside quoted strings. */
function findClose(text: string, from: number, open: number): { start: number; end: number } {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
      else if (c === '\n' && quote !== '`') throw new Failure(open, 'unterminated quoted string');
      continue;
    }
    if (c === '"' || c === '`') quote = c;
    else if (c === '}' && text[i + 1] === '}') return { start: i, end: i + 2 };
    else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new Failure(open, 'unclosed comment');
      i = end + 1;
    }
  }
  throw new Failure(open, quote ? 'unterminated quoted string' : 'unclosed action');
}

function action(tokens: Token[], offset: number, scopes: Block[]): void {
  const first = tokens[0];
  const current = scopes[scopes.length - 1] as Block;
  if (!first) throw new Failure(offset, 'missing value for command');
  if (first.kind === 'ident') {
    switch (first.text) {
      case 'end':
        if (scopes.length === 1) throw new Failure(offset, 'unexpected {{end}}');
        if (tokens.length > 1) throw new Failure((tokens[1] as Token).offset, 'unexpected token in end');
        scopes.pop();
        return;
      case 'else': {
        if (!['if', 'with', 'range'].includes(current.keyword)) throw new Failure(offset, 'unexpected {{else}}');
        const next = tokens[1];
        if (next?.kind === 'ident' && (next.text === 'if' || next.text === 'with'))
          checkPipeline(tokens.slice(2), offset, next.text, scopes, current.variables);
        else if (next) throw new Failure(next.offset, 'unexpected token in else');
        return;
      }
      case 'if':
      case 'with':
      case 'range': {
        const block: Block = { keyword: first.text, offset, variables: new Set() };
        checkPipeline(tokens.slice(1), offset, first.text, scopes, block.variables);
        scopes.push(block);
        return;
      }
      case 'define':
      case 'block':
      case 'template': {
        const name = tokens[1];
        if (name?.kind !== 'string') throw new Failure(offset, `missing name in ${first.text}`);
        if (first.text === 'define') {
          // A definition sees only `$`, not the variables around it.
          scopes.push({ keyword: 'define', offset, variables: new Set(['$']) });
          return;
        }
        if (tokens.length > 2) checkPipeline(tokens.slice(2), offset, first.text, scopes, current.variables);
        if (first.text === 'block') scopes.push({ keyword: 'block', offset, variables: new Set() });
        return;
      }
      case 'break':
      case 'continue':
        if (!scopes.some((s) => s.keyword === 'range')) throw new Failure(offset, `{{${first.text}}} outside {{range}}`);
        return;
    }
  }
  checkPipeline(tokens, offset, '', scopes, current.variables);
}
