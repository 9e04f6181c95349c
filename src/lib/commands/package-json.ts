/**
 * Adds one npm script to a package.json as a person would: the file's bytes stay as they were
 * (indentation, key order, line endings, the final newline) and one line goes in.
 */

/** The outcome of {@link addScript}. */
export type AddScriptResult =
  | { text: string; exists?: undefined; problem?: undefined }
  | { exists: string; text?: undefined; problem?: undefined }
  | { problem: string; text?: undefined; exists?: undefined };

interface Member {
  key: string;
  /** Offset of the key's opening quote. */
  start: number;
  /** Offset just after the value. */
  end: number;
  valueStart: number;
}

/** A minimal JSON scanner over one object: its members (top level only) and where it closes. */
function scanObject(text: string, open: number): { members: Member[]; close: number } {
  const members: Member[] = [];
  let i = open + 1;
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const skipString = (): void => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = (): void => {
    const c = text[i];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      i++;
      let depth = 1;
      while (i < text.length && depth > 0) {
        const d = text[i];
        if (d === '"') {
          skipString();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') depth--;
        i++;
      }
      return;
    }
    while (i < text.length && !/[,}\]\s]/.test(text[i] as string)) i++;
  };
  for (;;) {
    skipSpace();
    if (text[i] === '}') return { members, close: i };
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] !== '"') throw new Error(`unexpected ${JSON.stringify(text[i] ?? 'end of file')} at offset ${i}`);
    const start = i;
    skipString();
    const key = JSON.parse(text.slice(start, i)) as string;
    skipSpace();
    if (text[i] !== ':') throw new Error(`expected ":" at offset ${i}`);
    i++;
    skipSpace();
    const valueStart = i;
    skipValue();
    members.push({ key, start, end: i, valueStart });
  }
}

/** The whitespace a line starts with, for the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/**
 * Adds `"name": "command"` to `scripts` (creating `scripts` at the end when there is none). Says
 * what the script already is when it exists, and refuses a file that is not a JSON object.
 */
export function addScript(text: string, name: string, command: string): AddScriptResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: `it is not valid JSON (${(error as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { problem: 'it is not a JSON object' };
  const scripts = (data as { scripts?: unknown }).scripts;
  if (scripts !== undefined && (typeof scripts !== 'object' || scripts === null || Array.isArray(scripts)))
    return { problem: '"scripts" is not an object' };
  const existing = (scripts as Record<string, unknown> | undefined)?.[name];
  if (existing !== undefined) return { exists: String(existing) };

  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const open = text.indexOf('{');
  const top = scanObject(text, open);
  const firstMember = top.members[0];
  // The file's own unit of indentation, from its first key; two spaces for a one-line file.
  const unit = firstMember && text.lastIndexOf('\n', firstMember.start) > open ? indentAt(text, firstMember.start) : '  ';
  const entry = `${JSON.stringify(name)}: ${JSON.stringify(command)}`;
  const scriptsMember = top.members.find((m) => m.key === 'scripts');
  if (scriptsMember) {
    const inner = scanObject(text, scriptsMember.valueStart);
    const last = inner.members.at(-1);
    const outerIndent = indentAt(text, scriptsMember.start);
    if (!last) {
      return {
        text: `${text.slice(0, scriptsMember.valueStart)}{${eol}${outerIndent}${unit}${entry}${eol}${outerIndent}}${text.slice(inner.close + 1)}`,
      };
    }
    const multiline = text.slice(scriptsMember.valueStart, last.start).includes('\n');
    const separator = multiline ? `,${eol}${indentAt(text, last.start)}` : ', ';
    return { text: `${text.slice(0, last.end)}${separator}${entry}${text.slice(last.end)}` };
  }
  const block = `${JSON.stringify('scripts')}: {${eol}${unit}${unit}${entry}${eol}${unit}}`;
  const last = top.members.at(-1);
  if (!last) return { text: `${text.slice(0, open + 1)}${eol}${unit}${block}${eol}${text.slice(top.close)}` };
  return { text: `${text.slice(0, last.end)},${eol}${indentAt(text, last.start)}${block}${text.slice(last.end)}` };
}
