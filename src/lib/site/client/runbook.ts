/// <reference lib="dom" />
/**
 * The runbook page's only script: fills label slots from the query string and wires the copy
 * buttons. Label values are untrusted (anyone can craft a link), so they only ever become text:
 * textContent and createElement, never innerHTML.
 */
import { labelsFromQuery, splitPlaceholders, token } from '../labels.ts';
import { cutValue, displayValue, hasHiddenChars, hasShellMeta, shellFill, type ShellContext } from '../values.ts';

const HIDDEN_NOTE = 'Holds invisible or bidirectional characters, shown escaped (\\u…)';
const SHELL_NOTE = 'Holds shell metacharacters: quoted in shell commands';

/**
 * Fills every `.slot[data-label]` under `root` with its value from `labels`, or leaves its token.
 * Invisible characters show escaped; in a shell command (data-shell) a value with metacharacters is
 * quoted to fit. Either is flagged rather than shown as a plain filled value.
 */
function fillSlots(root: ParentNode, labels: ReadonlyMap<string, string>): void {
  for (const slot of root.querySelectorAll<HTMLElement>('.slot[data-label]')) {
    const name = slot.dataset.label ?? '';
    const value = labels.get(name);
    if (value === undefined) {
      slot.textContent = token(name);
      slot.classList.remove('filled', 'flagged');
      slot.removeAttribute('title');
      continue;
    }
    const shown = displayValue(value);
    const context = slot.dataset.shell as ShellContext | undefined;
    const notes = [...(hasHiddenChars(value) ? [HIDDEN_NOTE] : []), ...(context && hasShellMeta(shown) ? [SHELL_NOTE] : [])];
    slot.textContent = context ? shellFill(shown, context) : shown;
    slot.classList.toggle('filled', notes.length === 0);
    slot.classList.toggle('flagged', notes.length > 0);
    if (notes.length > 0) slot.title = notes.join('; ');
    else slot.removeAttribute('title');
  }
}

function fillTemplate(template: string, labels: ReadonlyMap<string, string>, encode: (value: string) => string): string {
  return splitPlaceholders(template)
    .map((p) => (p.label === undefined ? p.text : encode(labels.get(p.label) ?? token(p.label))))
    .join('');
}

/**
 * Fills links and images whose address carries placeholders (data-href, data-src), each value
 * URI-encoded so it stays data, and titles and alt texts (data-title, data-alt) as shown text.
 */
function fillLinks(root: ParentNode, labels: ReadonlyMap<string, string>): void {
  const shown = (template: string): string => fillTemplate(template, labels, displayValue);
  for (const link of root.querySelectorAll<HTMLAnchorElement>('a[data-href]'))
    link.href = fillTemplate(link.dataset.href ?? '', labels, encodeURIComponent);
  for (const image of root.querySelectorAll<HTMLImageElement>('img[data-src]'))
    image.src = fillTemplate(image.dataset.src ?? '', labels, encodeURIComponent);
  for (const element of root.querySelectorAll<HTMLElement>('[data-title]')) element.title = shown(element.dataset.title ?? '');
  for (const image of root.querySelectorAll<HTMLImageElement>('img[data-alt]')) image.alt = shown(image.dataset.alt ?? '');
}

/** One value in the labels panel: escaped, cut when long (a button shows it whole), and flagged. */
function panelValue(doc: Document, dd: HTMLElement, value: string): void {
  const shown = displayValue(value);
  const cut = cutValue(shown);
  const notes = [...(hasHiddenChars(value) ? [HIDDEN_NOTE] : []), ...(hasShellMeta(shown) ? [SHELL_NOTE] : [])];
  const span = doc.createElement('span');
  span.className = `slot ${notes.length > 0 ? 'flagged' : 'filled'}`;
  span.textContent = cut.text;
  dd.replaceChildren(span);
  if (cut.cut) {
    const more = doc.createElement('button');
    more.type = 'button';
    more.className = 'label-more';
    more.textContent = `Show all ${[...shown].length} characters`;
    more.setAttribute('aria-expanded', 'false');
    more.addEventListener('click', () => {
      const whole = more.getAttribute('aria-expanded') !== 'true';
      span.textContent = whole ? shown : cut.text;
      more.setAttribute('aria-expanded', String(whole));
      more.textContent = whole ? 'Show less' : `Show all ${[...shown].length} characters`;
    });
    dd.append(more);
  }
  for (const note of notes) {
    const flag = doc.createElement('span');
    flag.className = 'label-flag';
    flag.textContent = note;
    dd.append(flag);
  }
}

/** The labels panel: the runbook's own labels first; labels no placeholder uses are folded below. */
function fillPanel(doc: Document, labels: ReadonlyMap<string, string>): void {
  const list = doc.getElementById('label-list');
  if (!list) return;
  const rows = [...list.querySelectorAll<HTMLElement>('[data-label-row]')];
  const shown = new Set(rows.map((row) => row.dataset.labelRow ?? ''));
  for (const row of rows) {
    const name = row.dataset.labelRow ?? '';
    const value = labels.get(name);
    const dd = row.querySelector('dd');
    if (dd && value !== undefined) panelValue(doc, dd, value);
  }
  const extra = [...labels].filter(([name]) => !shown.has(name));
  const folded = doc.getElementById('label-extra');
  const extraList = doc.getElementById('label-extra-list');
  const summary = doc.getElementById('label-extra-summary');
  // Folded even when the runbook uses none of them: the first screen belongs to the alert and its steps.
  const target = extraList;
  for (const [name, value] of extra) {
    const row = doc.createElement('div');
    const dt = doc.createElement('dt');
    dt.textContent = name;
    const dd = doc.createElement('dd');
    panelValue(doc, dd, value);
    row.append(dt, dd);
    target?.append(row);
  }
  if (folded && summary && extra.length > 0) {
    folded.hidden = false;
    summary.textContent = `${extra.length} ${shown.size > 0 ? 'more ' : ''}label${extra.length === 1 ? '' : 's'} from the link`;
  }
  const status = doc.getElementById('labels-status');
  if (status) {
    const used = [...shown].filter((name) => labels.has(name)).length;
    if (shown.size === 0) {
      status.textContent =
        labels.size === 0
          ? 'This runbook has no label placeholders, and the link carries no label values.'
          : "Label values from the alert's link (this runbook has no placeholders for them):";
    } else {
      status.textContent =
        labels.size === 0
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
  fillPanel(doc, labels);
  wireCopyButtons(doc);
}
