import { parser } from '@prometheus-io/lezer-promql';

/** A PromQL syntax error and the offset in the expression where it is. */
export interface PromqlError {
  offset: number;
  message: string;
  kind: 'syntax' | 'type';
}

/**
 * Functions Prometheus 2 has and the grammar (written for Prometheus 3) no longer knows, each with
 * a name of the same length that the grammar knows, so offsets stay where they are.
 */
const RETIRED: Record<string, string> = { holt_winters: 'day_of_month' };

/** The expression as the grammar can read it; names for messages and types come from the original. */
function forGrammar(expr: string): string {
  return expr.replace(/\b(holt_winters)(?=\s*\()/g, (name) => RETIRED[name] ?? name);
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const BRACKET_NAMES: Record<string, string> = { '(': 'parenthesis', '[': 'bracket', '{': 'brace' };

/** The innermost bracket left open at the end of an expression (strings and comments skipped), as Prometheus names it. */
function unclosed(expr: string): string | undefined {
  const stack: string[] = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i] as string;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < expr.length && expr[i] !== c; i++) if (c !== '`' && expr[i] === '\\') i++;
    } else if (c === '#') {
      while (i < expr.length && expr[i] !== '\n') i++;
    } else if (c in CLOSING) {
      stack.push(c);
    } else if (stack.length > 0 && c === CLOSING[stack[stack.length - 1] as string]) {
      stack.pop();
    }
  }
  const last = stack.at(-1);
  return last === undefined ? undefined : BRACKET_NAMES[last];
}

/** What stands at an offset, for a message: the token there, or the end. */
function tokenAt(expr: string, offset: number): string {
  const rest = expr.slice(offset);
  const word = /^(?:[A-Za-z_:][\w:]*|\d[\w.]*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[=!<>]=?|=~|!~|\S)/.exec(rest);
  return word ? word[0] : rest.slice(0, 1);
}

/**
 * The first syntax error in a PromQL expression, found with the Prometheus project's own lezer
 * grammar, or else its first type error; undefined when Prometheus would parse it.
 */
export function promqlError(expr: string): PromqlError | undefined {
  if (expr.trim() === '') return { offset: 0, message: 'the expression is empty', kind: 'syntax' };
  const tree = parser.parse(forGrammar(expr));
  const cursor = tree.cursor();
  let at: number | undefined;
  do {
    if (cursor.type.isError) {
      at = cursor.from;
      break;
    }
  } while (cursor.next());
  if (at === undefined) return promqlTypeError(expr);
  const rest = expr.slice(at);
  if (rest.trim() === '') {
    const open = unclosed(expr);
    return {
      offset: expr.trimEnd().length,
      message: open ? `unclosed left ${open}` : 'unexpected end of input: an operand is missing',
      kind: 'syntax',
    };
  }
  const before = /([A-Za-z_][\w]*)\s*$/.exec(expr.slice(0, at));
  if (rest.startsWith('(') && before) return { offset: at - before[0].length, message: `unknown function "${before[1]}"`, kind: 'syntax' };
  const token = tokenAt(expr, at);
  return { offset: at, message: `unexpected ${JSON.stringify(token)}`, kind: 'syntax' };
}

type Type = 'instant vector' | 'range vector' | 'scalar' | 'string' | 'any';
const V: Type = 'instant vector';
const M: Type = 'range vector';
const S: Type = 'scalar';
const STR: Type = 'string';

/** A function's argument types, how many trailing ones may be left out (-1: the last repeats), and its result. */
interface Signature {
  args: Type[];
  optional?: number;
  returns: Type;
}

const vectorFunctions = [
  'abs',
  'absent',
  'ceil',
  'exp',
  'floor',
  'ln',
  'log2',
  'log10',
  'sqrt',
  'sgn',
  'deg',
  'rad',
  'timestamp',
  'sort',
  'sort_desc',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'cos',
  'cosh',
  'sin',
  'sinh',
  'tan',
  'tanh',
  'histogram_count',
  'histogram_sum',
  'histogram_avg',
  'histogram_stddev',
  'histogram_stdvar',
];
const rangeFunctions = [
  'absent_over_time',
  'present_over_time',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'last_over_time',
  'mad_over_time',
  'changes',
  'resets',
  'delta',
  'idelta',
  'deriv',
  'increase',
  'irate',
  'rate',
];
const timeFunctions = ['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year'];

/** Prometheus's functions (promql/parser/functions.go) with the types it checks at parse time. */
const FUNCTIONS: Record<string, Signature> = {
  ...Object.fromEntries(vectorFunctions.map((name) => [name, { args: [V], returns: V }])),
  ...Object.fromEntries(rangeFunctions.map((name) => [name, { args: [M], returns: V }])),
  ...Object.fromEntries(timeFunctions.map((name) => [name, { args: [V], optional: 1, returns: V }])),
  clamp: { args: [V, S, S], returns: V },
  clamp_max: { args: [V, S], returns: V },
  clamp_min: { args: [V, S], returns: V },
  histogram_fraction: { args: [S, S, V], returns: V },
  histogram_quantile: { args: [S, V], returns: V },
  holt_winters: { args: [M, S, S], returns: V },
  double_exponential_smoothing: { args: [M, S, S], returns: V },
  label_replace: { args: [V, STR, STR, STR, STR], returns: V },
  label_join: { args: [V, STR, STR, STR], optional: -1, returns: V },
  pi: { args: [], returns: S },
  predict_linear: { args: [M, S], returns: V },
  quantile_over_time: { args: [S, M], returns: V },
  round: { args: [V, S], optional: 1, returns: V },
  scalar: { args: [V], returns: S },
  time: { args: [], returns: S },
  vector: { args: [S], returns: V },
  sort_by_label: { args: [V, STR], optional: -1, returns: V },
  sort_by_label_desc: { args: [V, STR], optional: -1, returns: V },
};

/** Aggregations that take a parameter before the vector, and its type. */
const AGGREGATION_PARAMETER: Record<string, Type> = { topk: S, bottomk: S, quantile: S, limitk: S, limit_ratio: S, count_values: STR };

const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
/** Child nodes of an expression that are part of its syntax, not operands. */
const NOT_OPERANDS = new Set([
  'BoolModifier',
  'MatchingModifierClause',
  'Offset',
  'OffsetDurationExpr',
  'At',
  'AtModifierPreprocessors',
  'DurationExpr',
  'FunctionIdentifier',
  'AggregateOp',
  'AggregateModifier',
  'UnaryOp',
  '(',
  ')',
  ',',
]);

interface SyntaxNode {
  name: string;
  from: number;
  to: number;
  children: SyntaxNode[];
}

class TypeFailure extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

function toTree(expr: string): SyntaxNode {
  const cursor = parser.parse(forGrammar(expr)).cursor();
  const build = (): SyntaxNode => {
    const node: SyntaxNode = { name: cursor.type.name, from: cursor.from, to: cursor.to, children: [] };
    if (cursor.firstChild()) {
      do node.children.push(build());
      while (cursor.nextSibling());
      cursor.parent();
    }
    return node;
  };
  return build();
}

function isExpression(node: SyntaxNode): boolean {
  return [
    'VectorSelector',
    'MatrixSelector',
    'SubqueryExpr',
    'NumberDurationLiteral',
    'StringLiteral',
    'ParenExpr',
    'FunctionCall',
    'AggregateExpr',
    'BinaryExpr',
    'UnaryExpr',
    'OffsetExpr',
    'StepInvariantExpr',
    'NumberLiteral',
  ].includes(node.name);
}

function expressions(node: SyntaxNode | undefined): SyntaxNode[] {
  return (node?.children ?? []).filter(isExpression);
}

function expect(node: SyntaxNode, want: Type, context: string, expr: string): void {
  const got = typeOf(node, expr);
  if (got !== 'any' && got !== want) throw new TypeFailure(node.from, `expected type ${want} in ${context}, got ${got}`);
}

/** The type of an expression, checking its parts as Prometheus's parser does. */
function typeOf(node: SyntaxNode, expr: string): Type {
  switch (node.name) {
    case 'PromQL': {
      const [inner] = expressions(node);
      return inner ? typeOf(inner, expr) : 'any';
    }
    case 'VectorSelector':
      return V;
    case 'MatrixSelector': {
      // The grammar puts a range on any expression; Prometheus only on a selector.
      const [inner] = expressions(node);
      if (inner && inner.name !== 'VectorSelector') {
        typeOf(inner, expr);
        throw new TypeFailure(node.from, 'ranges only allowed for vector selectors');
      }
      return M;
    }
    case 'NumberDurationLiteral':
    case 'NumberLiteral':
      return S;
    case 'StringLiteral':
      return STR;
    case 'ParenExpr': {
      const [inner] = expressions(node);
      return inner ? typeOf(inner, expr) : 'any';
    }
    case 'SubqueryExpr': {
      const [inner] = expressions(node);
      if (inner) {
        const type = typeOf(inner, expr);
        if (type === M) throw new TypeFailure(node.from, 'subquery is only allowed on instant vector, got range vector instead');
      }
      return M;
    }
    case 'OffsetExpr':
    case 'StepInvariantExpr': {
      const [inner] = expressions(node);
      if (!inner) return 'any';
      const type = typeOf(inner, expr);
      const modifier = node.name === 'OffsetExpr' ? 'offset' : '@';
      // `x @ t offset d` and `x offset d @ t` are both allowed; the modifier under the other one is looked through.
      const other = node.name === 'OffsetExpr' ? 'StepInvariantExpr' : 'OffsetExpr';
      let target = inner.name === other ? (expressions(inner)[0] ?? inner) : inner;
      // The grammar binds a modifier looser than Prometheus does (`a - b offset 5m` reads as
      // `(a - b) offset 5m`): it belongs to the rightmost operand.
      while (target.name === 'BinaryExpr' || target.name === 'UnaryExpr') target = expressions(target).at(-1) ?? target;
      if (target.name === node.name || inner.name === node.name) {
        throw new TypeFailure(
          node.from,
          modifier === 'offset' ? 'offset may not be set multiple times' : '@ <timestamp> may not be set multiple times',
        );
      }
      if (!['VectorSelector', 'MatrixSelector', 'SubqueryExpr'].includes(target.name)) {
        throw new TypeFailure(
          node.from,
          `${modifier} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
        );
      }
      return type;
    }
    case 'UnaryExpr': {
      const [inner] = expressions(node);
      const type = inner ? typeOf(inner, expr) : 'any';
      if (type === M || type === STR)
        throw new TypeFailure(node.from, `unary expression only allowed on expressions of type scalar or instant vector, got ${type}`);
      return type;
    }
    case 'FunctionCall': {
      const name = expr.slice(node.children[0]?.from ?? node.from, node.children[0]?.to ?? node.from);
      const args = expressions(node.children.find((c) => c.name === 'FunctionCallBody'));
      const signature = FUNCTIONS[name];
      if (!signature) {
        for (const arg of args) typeOf(arg, expr);
        return 'any';
      }
      const { args: types, optional = 0 } = signature;
      const min = optional === -1 ? types.length : types.length - optional;
      const max = optional === -1 ? Number.POSITIVE_INFINITY : types.length;
      if (args.length < min || args.length > max) {
        const count = min === max ? `${min}` : args.length < min ? `at least ${min}` : `at most ${max}`;
        throw new TypeFailure(node.from, `expected ${count} argument(s) in call to "${name}", got ${args.length}`);
      }
      args.forEach((arg, i) => expect(arg, types[Math.min(i, types.length - 1)] as Type, `call to function "${name}"`, expr));
      return signature.returns;
    }
    case 'AggregateExpr': {
      const op = expr.slice(node.children[0]?.from ?? node.from, node.children[0]?.to ?? node.from);
      const args = expressions(node.children.find((c) => c.name === 'FunctionCallBody'));
      const parameter = AGGREGATION_PARAMETER[op];
      const wanted = parameter ? 2 : 1;
      if (args.length !== wanted)
        throw new TypeFailure(
          node.from,
          `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`,
        );
      // Prometheus checks the vector before the parameter, and reports the first it finds.
      expect(args[wanted - 1] as SyntaxNode, V, 'aggregation expression', expr);
      if (parameter) expect(args[0] as SyntaxNode, parameter, 'aggregation parameter', expr);
      return V;
    }
    case 'BinaryExpr': {
      const [left, right] = expressions(node);
      const operator = node.children.find((c) => !isExpression(c) && !NOT_OPERANDS.has(c.name));
      if (!left || !right || !operator) return 'any';
      const lt = typeOf(left, expr);
      const rt = typeOf(right, expr);
      for (const [side, type] of [
        [left, lt],
        [right, rt],
      ] as const) {
        if (type === M || type === STR)
          throw new TypeFailure(side.from, 'binary expression must contain only scalar and instant vector types');
      }
      const scalars = lt === S && rt === S;
      if (SET_OPERATORS.has(operator.name) && (lt === S || rt === S)) {
        throw new TypeFailure(
          node.from,
          `set operator "${expr.slice(operator.from, operator.to)}" not allowed in binary scalar expression`,
        );
      }
      const bool = node.children.some((c) => c.name === 'BoolModifier');
      if (scalars && COMPARISONS.has(operator.name) && !bool)
        throw new TypeFailure(operator.from, 'comparisons between scalars must use BOOL modifier');
      return lt === 'any' || rt === 'any' ? 'any' : scalars ? S : V;
    }
    default:
      return 'any';
  }
}

/**
 * The first type error Prometheus's parser reports in an expression that parses (a range vector
 * where an instant vector is needed, a wrong argument count), or undefined.
 */
function promqlTypeError(expr: string): PromqlError | undefined {
  try {
    typeOf(toTree(expr), expr);
  } catch (error) {
    if (error instanceof TypeFailure) return { offset: error.offset, message: error.message, kind: 'type' };
    throw error;
  }
  return undefined;
}
