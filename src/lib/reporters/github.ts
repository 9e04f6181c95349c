import type { Severity } from '../engine/diagnostic.ts';
import { docsLink } from './rules.ts';
import type { Reporter } from './types.ts';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes a workflow command's message, as @actions/core's escapeData does. */
export function escapeData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escapes a workflow command's property value, as @actions/core's escapeProperty does. */
export function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * GitHub Actions workflow commands, one per finding, so each appears as an annotation on its line
 * of the pull request; the message carries the hint, related places and the documentation link.
 */
export const github: Reporter = (input) => {
  const lines = input.diagnostics.map((d) => {
    const props: [string, string | number][] = [
      ['file', d.file],
      ['line', Math.max(1, d.line)],
    ];
    if (d.endLine !== undefined && d.endLine !== d.line) props.push(['endLine', d.endLine]);
    props.push(['col', Math.max(1, d.column)]);
    // GitHub uses a column range only within one line.
    if (d.endColumn !== undefined && (d.endLine === undefined || d.endLine === d.line) && d.endColumn > d.column)
      props.push(['endColumn', d.endColumn]);
    props.push(['title', `runbooks: ${d.ruleId}`]);
    const docs = docsLink(d, input);
    const message = [
      d.message,
      ...(d.hint ? [`Hint: ${d.hint}`] : []),
      ...(d.related ?? []).map((r) => `See ${r.file}:${r.line}:${r.column}: ${r.message}`),
      ...(docs ? [`Docs: ${docs}`] : []),
    ].join('\n');
    return `::${COMMAND[d.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}`;
  });
  const { errors, warnings, infos } = input.counts;
  const baselined = input.baselined === undefined ? '' : ` (${input.baselined} accepted by the baseline)`;
  lines.push(
    errors + warnings + infos === 0
      ? `runbooks: ${input.fileCount} files checked, no problems${baselined}`
      : `runbooks: ${errors} errors, ${warnings} warnings, ${infos} infos in ${input.fileCount} files checked${baselined}`,
  );
  return `${lines.join('\n')}\n`;
};
