import { parser } from '@prometheus-io/lezer-promql';

/** A PromQL syntax error and the offset in the expression where it is. */
export interface PromqlError {
  offset: number;
  message: string;
}

/** What stands at an offset, for a message: the token there, or the end. */
function tokenAt(expr: string, offset: number): string {
  const rest = expr.slice(offset);
  const word = /^(?:[A-Za-z_:][\w:]*|\d[\w.]*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[=!<>]=?|=~|!~|\S)/.exec(rest);
  return word ? word[0] : rest.slice(0, 1);
}

/**
 * The first syntax error in a PromQL expression, found with the Prometheus project's own lezer
 * grammar; undefined when it parses. Types (a range vector where an instant one is needed) are
 * not checked: the grammar does not know them.
 */
export function promqlError(expr: string): PromqlError | undefined {
  if (expr.trim() === '') return { offset: 0, message: 'the expression is empty' };
  const tree = parser.parse(expr);
  const cursor = tree.cursor();
  let at: number | undefined;
  do {
    if (cursor.type.isError) {
      at = cursor.from;
      break;
    }
  } while (cursor.next());
  if (at === undefined) return undefined;
  const rest = expr.slice(at);
  if (rest.trim() === '') return { offset: expr.trimEnd().length, message: 'the expression ends too early: an operand or a closing bracket is missing' };
  const before = /([A-Za-z_][\w]*)\s*$/.exec(expr.slice(0, at));
  if (rest.startsWith('(') && before) return { offset: at - (before[0].length), message: `unknown function "${before[1]}"` };
  const token = tokenAt(expr, at);
  return { offset: at, message: `unexpected ${JSON.stringify(token)}` };
}
