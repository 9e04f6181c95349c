import { pathToFileURL } from 'node:url';
import type { Diagnostic, Severity } from '../engine/diagnostic.ts';
import { docsLink, isAbsoluteUrl, ruleCatalog, type RuleInfo } from './rules.ts';
import type { Reporter, ReportInput } from './types.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A repo-relative POSIX path as a relative URI reference: each segment percent-encoded, the slashes kept. */
function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function region(d: { line: number; column: number; endLine?: number; endColumn?: number }): Record<string, number> {
  const startLine = Math.max(1, d.line);
  const startColumn = Math.max(1, d.column);
  const out: Record<string, number> = { startLine, startColumn };
  // SARIF requires the end to be after the start; a position without an end is a point.
  if (d.endLine !== undefined && d.endLine >= startLine) {
    out.endLine = d.endLine;
    if (d.endColumn !== undefined && (d.endLine > startLine || d.endColumn > startColumn)) out.endColumn = d.endColumn;
  }
  return out;
}

function location(file: string, d: Parameters<typeof region>[0]): object {
  // A served rule's finding is at its server's URL: an absolute URI, which takes no base.
  if (isAbsoluteUrl(file)) return { physicalLocation: { artifactLocation: { uri: file }, region: region(d) } };
  return { physicalLocation: { artifactLocation: { uri: fileUri(file), uriBaseId: '%SRCROOT%' }, region: region(d) } };
}

function ruleDescriptor(rule: RuleInfo): object {
  const docs = rule.docsUrl ? `Documentation: ${rule.docsUrl}` : undefined;
  const help = [rule.description, rule.rationale, docs].filter(Boolean);
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.rationale ?? rule.description },
    help: {
      text: help.join('\n\n'),
      markdown: [rule.description, rule.rationale, rule.docsUrl ? `[Documentation of ${rule.id}](${rule.docsUrl})` : undefined]
        .filter(Boolean)
        .join('\n\n'),
    },
    // helpUri must be an absolute URI; without a known site address the link lives in help.text only.
    ...(isAbsoluteUrl(rule.docsUrl) ? { helpUri: rule.docsUrl } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
  };
}

function result(d: Diagnostic, ruleIndex: number, input: ReportInput): object {
  const docs = docsLink(d, input);
  const text = [d.message, d.hint ? `Hint: ${d.hint}` : undefined, docs && !isAbsoluteUrl(docs) ? `Docs: ${docs}` : undefined]
    .filter(Boolean)
    .join('\n');
  const related = (d.related ?? []).map((r, i) => ({ id: i + 1, ...location(r.file, r), message: { text: r.message } }));
  return {
    ruleId: d.ruleId,
    ruleIndex,
    level: LEVEL[d.severity],
    message: { text },
    locations: [location(d.file, d)],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers: one run, every rule with its metadata and
 * documentation link, every finding on its line. Paths are relative to `%SRCROOT%`, the working
 * directory, as in every other format: run it from the repository root (as CI does) and GitHub
 * places each alert on its file, wherever the config sits. `originalUriBaseIds` says which folder
 * that was, for viewers that open the files.
 */
export const sarif: Reporter = (input) => {
  const rules = ruleCatalog(input);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const checksPage = input.docsUrlFor?.('')?.replace(/\/$/, '');
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'runbooks',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            ...(isAbsoluteUrl(checksPage) ? { informationUri: checksPage } : {}),
            rules: rules.map(ruleDescriptor),
          },
        },
        ...(input.srcRoot
          ? {
              originalUriBaseIds: {
                '%SRCROOT%': { uri: pathToFileURL(input.srcRoot.endsWith('/') ? input.srcRoot : `${input.srcRoot}/`).href },
              },
            }
          : {}),
        // Columns come from JavaScript string offsets.
        columnKind: 'utf16CodeUnits',
        ...(input.baselined !== undefined ? { properties: { baselined: input.baselined } } : {}),
        results: input.diagnostics.map((d) => result(d, index.get(d.ruleId) as number, input)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
