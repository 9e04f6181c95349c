/// <reference lib="dom" />
/**
 * The runbook page's only script: fills label slots from the query string and wires the copy
 * buttons. Label values are untrusted (anyone can craft a link), so they only ever become text:
 * textContent and createElement, never innerHTML.
 */
import { labelsFromQuery, splitPlaceholders, token } from '../labels.ts';

/** Fills every `.slot[data-label]` under `root` with its value from `search`, or leaves its token. */
export function fillSlots(root: ParentNode, labels: ReadonlyMap<string, string>): void {
  for (const slot of root.querySelectorAll<HTMLElement>('.slot[data-label]')) {
    const name = slot.dataset.label ?? '';
    const value = labels.get(name);
    slot.textContent = value ?? token(name);
    slot.classList.toggle('filled', value !== undefined);
  }
}

/** Fills links whose address carries placeholders (data-href), each value URI-encoded so it stays data. */
export function fillLinks(root: ParentNode, labels: ReadonlyMap<string, string>): void {
  for (const link of root.querySelectorAll<HTMLAnchorElement>('a[data-href]')) {
    const template = link.dataset.href ?? '';
    link.href = splitPlaceholders(template).map((p) => (p.label === undefined ? p.text : encodeURIComponent(labels.get(p.label) ?? token(p.label)))).join('');
  }
}

/** Lists labels the link carries that no placeholder uses, so a responder still sees them. */
function listExtraLabels(doc: Document, labels: ReadonlyMap<string, string>): void {
  const list = doc.getElementById('label-list');
  if (!list) return;
  const shown = new Set([...list.querySelectorAll<HTMLElement>('[data-label-row]')].map((row) => row.dataset.labelRow));
  for (const [name, value] of labels) {
    if (shown.has(name)) continue;
    const row = doc.createElement('div');
    const dt = doc.createElement('dt');
    dt.textContent = name;
    const dd = doc.createElement('dd');
    const span = doc.createElement('span');
    span.className = 'slot filled';
    span.textContent = value;
    dd.append(span);
    row.append(dt, dd);
    list.append(row);
  }
  const status = doc.getElementById('labels-status');
  if (status) {
    const used = [...shown].filter((name) => name !== undefined && labels.has(name)).length;
    if (shown.size === 0) {
      status.textContent = labels.size === 0 ? 'This runbook has no label placeholders, and the link carries no label values.'
        : 'Label values from the alert\'s link (this runbook has no placeholders for them):';
    } else {
      status.textContent = labels.size === 0
        ? 'The link carries no label values: placeholders show as <name>.'
        : `Filled from the alert's link: ${used} of ${shown.size} placeholder label${shown.size === 1 ? '' : 's'}.`;
    }
  }
}

async function copyText(doc: Document, text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain-HTTP intranet hosting has no Clipboard API; a selected textarea and execCommand still work there.
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  doc.body.append(area);
  area.select();
  const ok = doc.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

function wireCopyButtons(doc: Document): void {
  const status = doc.getElementById('copy-status');
  for (const button of doc.querySelectorAll<HTMLButtonElement>('.code button.copy')) {
    const code = button.closest('.code')?.querySelector('code');
    if (!code) continue;
    button.hidden = false;
    button.setAttribute('aria-label', `Copy ${button.parentElement?.querySelector('.code-lang')?.textContent ?? 'code'}`);
    button.addEventListener('click', () => {
      copyText(doc, code.textContent ?? '').then(
        () => {
          button.textContent = 'Copied';
          if (status) status.textContent = 'Copied to the clipboard';
        },
        () => {
          button.textContent = 'Copy failed';
          if (status) status.textContent = 'Could not copy; select the text instead';
        },
      );
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 2000);
    });
  }
}

/** Runs the page: labels from `search` (location.search) into the slots, copy buttons on. */
export function start(doc: Document, search: string): void {
  const labels = labelsFromQuery(search);
  fillSlots(doc, labels);
  fillLinks(doc, labels);
  listExtraLabels(doc, labels);
  wireCopyButtons(doc);
}
