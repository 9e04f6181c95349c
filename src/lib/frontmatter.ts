import type { Runbook } from './model.ts';
import { indexPointers, type PointerSpan } from './positions.ts';
import { parseYaml } from './yaml.ts';

/** The pointers every run reads for every runbook: where it names its alerts. */
const CLAIM_POINTER = /^\/alerts?(?:\/\d+)?$/;

/** Keeps the alert-name pointers of a full index: the ones parsing stores. */
export function claimPointers(index: Record<string, PointerSpan>): Record<string, PointerSpan> {
  const kept: Record<string, PointerSpan> = {};
  for (const pointer of Object.keys(index)) if (CLAIM_POINTER.test(pointer)) kept[pointer] = index[pointer] as PointerSpan;
  return kept;
}

const fullPointers = new WeakMap<Runbook, Record<string, PointerSpan>>();

/**
 * Where every key and value of a runbook's frontmatter stands, by JSON pointer. Parsing keeps only
 * the alert-name pointers: the full index was half of the time to decode 10,000 cached runbooks
 * (~110 of ~220 ms) and most of their objects. A check that reports at another key pays for a
 * re-parse of that one frontmatter.
 */
export function frontmatterPointers(runbook: Runbook): Record<string, PointerSpan> {
  const fm = runbook.frontmatter;
  if (!fm || fm.state !== 'ok' || fm.at.endLine === undefined) return fm?.pointers ?? {};
  let index = fullPointers.get(runbook);
  if (!index) {
    // The YAML is the lines between the fences, exactly as remark-frontmatter handed it to the parser.
    const yaml = runbook.source.split('\n').slice(fm.at.line, fm.at.endLine - 1).join('\n');
    const document = parseYaml(yaml, runbook.file, fm.at.line).documents[0];
    index = document ? indexPointers(document.doc, document.positions) : fm.pointers;
    fullPointers.set(runbook, index);
  }
  return index;
}
