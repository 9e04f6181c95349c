import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Runbook } from '../project/model.ts';
import { indexPointers, type PointerSpan, type PositionMapper } from '../text/positions.ts';
import { parseYaml } from '../text/yaml.ts';

/**
 * The pointers every run reads for every runbook, the ones parsing stores: where it names its
 * alerts (`/alert`, `/alerts`, `/alerts/0`...), as indexPointers would give them.
 */
export function claimPointers(doc: Document, positions: PositionMapper): Record<string, PointerSpan> {
  const kept: Record<string, PointerSpan> = {};
  if (!isMap(doc.contents)) return kept;
  for (const pair of doc.contents.items) {
    if (!isPair(pair) || !isScalar(pair.key) || (pair.key.value !== 'alert' && pair.key.value !== 'alerts')) continue;
    const name = `/${pair.key.value}`;
    const key = positions.node(pair.key);
    const value = pair.value as Node | null;
    kept[name] = { key, value: value ? positions.node(value) : key };
    if (isSeq(value))
      value.items.forEach((item, i) => {
        if (item && typeof item === 'object') kept[`${name}/${i}`] = { key: undefined, value: positions.node(item as Node) };
      });
  }
  return kept;
}

/** The frontmatter's YAML: the lines between the fences, exactly as remark-frontmatter handed it to the parser. */
function frontmatterYaml(runbook: Runbook, at: { line: number; endLine: number }): string {
  return runbook.source
    .split('\n')
    .slice(at.line, at.endLine - 1)
    .join('\n')
    .replaceAll('\uFEFF', '');
}

const locatedClaims = new WeakMap<Runbook, Record<string, PointerSpan>>();

/**
 * Where a runbook's frontmatter names its alerts (as `claimPointers`): as parsed, or, for a
 * frontmatter the fast reader read without positions, located now with the exact reader.
 */
export function claimPointersOf(runbook: Runbook): Record<string, PointerSpan> {
  const fm = runbook.frontmatter;
  if (!fm?.unlocated || fm.at.endLine === undefined) return fm?.pointers ?? {};
  let pointers = locatedClaims.get(runbook);
  if (!pointers) {
    const document = parseYaml(frontmatterYaml(runbook, { line: fm.at.line, endLine: fm.at.endLine }), runbook.file, fm.at.line)
      .documents[0];
    pointers = document ? claimPointers(document.doc, document.positions) : {};
    locatedClaims.set(runbook, pointers);
  }
  return pointers;
}

const fullPointers = new WeakMap<Runbook, Record<string, PointerSpan>>();

/**
 * Where every key and value of a runbook's frontmatter stands, by JSON pointer. Parsing keeps only
 * the alert-name pointers: the full index was a large part of the time to decode cached runbooks
 * and most of their objects. A check that reports at another key pays for a
 * re-parse of that one frontmatter.
 */
export function frontmatterPointers(runbook: Runbook): Record<string, PointerSpan> {
  const fm = runbook.frontmatter;
  if (fm?.state !== 'ok' || fm.at.endLine === undefined) return fm?.pointers ?? {};
  let index = fullPointers.get(runbook);
  if (!index) {
    const document = parseYaml(frontmatterYaml(runbook, { line: fm.at.line, endLine: fm.at.endLine }), runbook.file, fm.at.line)
      .documents[0];
    index = document ? indexPointers(document.doc, document.positions) : fm.pointers;
    fullPointers.set(runbook, index);
  }
  return index;
}
