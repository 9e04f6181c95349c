import type { Diagnostic } from '../engine/diagnostic.ts';
import { docsLink } from './rules.ts';
import type { Reporter } from './types.ts';

const codes = { red: [31, 39], yellow: [33, 39], blue: [34, 39], dim: [2, 22], bold: [1, 22], underline: [4, 24] } as const;

function painter(color: boolean) {
  return (style: keyof typeof codes, text: string): string =>
    color ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Grouped by file, `line:column  severity  message  check-id`, a hint line, and a summary, as ESLint's stylish. */
export const stylish: Reporter = (input) => {
  const { diagnostics, counts, fileCount, color } = input;
  const paint = painter(color);
  const lines: string[] = [];
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  for (const [file, list] of byFile) {
    lines.push(paint('underline', file));
    const width = Math.max(...list.map((d) => `${d.line}:${d.column}`.length));
    for (const d of list) {
      const where = `${d.line}:${d.column}`.padEnd(width);
      const severity =
        d.severity === 'error' ? paint('red', 'error  ') : d.severity === 'warning' ? paint('yellow', 'warning') : paint('blue', 'info   ');
      lines.push(`  ${paint('dim', where)}  ${severity}  ${d.message}  ${paint('dim', d.ruleId)}`);
      const indent = ' '.repeat(width + 4);
      if (d.hint) lines.push(`${indent}${paint('dim', `hint: ${d.hint}`)}`);
      for (const r of d.related ?? []) lines.push(`${indent}${paint('dim', `see ${r.file}:${r.line}:${r.column}: ${r.message}`)}`);
    }
    lines.push('');
  }
  // One docs link per check that found something, not per finding: enough to explain, short enough to read.
  const docs = new Map<string, string>();
  for (const d of diagnostics) {
    const url = docsLink(d, input);
    if (url && !docs.has(d.ruleId)) docs.set(d.ruleId, url);
  }
  if (docs.size > 0) {
    const width = Math.max(...[...docs.keys()].map((id) => id.length));
    for (const [id, url] of docs) lines.push(paint('dim', `${id.padEnd(width)}  ${url}`));
    lines.push('');
  }
  const problems = counts.errors + counts.warnings + counts.infos;
  if (problems === 0) {
    lines.push(`${plural(fileCount, 'file')} checked, no problems`);
  } else {
    const parts = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning')];
    if (counts.infos > 0) parts.push(plural(counts.infos, 'info'));
    const summary = `✖ ${plural(problems, 'problem')} (${parts.join(', ')}) in ${plural(byFile.size, 'file')}`;
    lines.push(paint('bold', counts.errors > 0 ? paint('red', summary) : paint('yellow', summary)));
  }
  if (input.baselined !== undefined) lines.push(paint('dim', `${plural(input.baselined, 'finding')} accepted by the baseline, not shown`));
  return `${lines.join('\n')}\n`;
};
