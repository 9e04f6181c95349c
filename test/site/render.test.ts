/**
 * The site renders GitHub Flavored Markdown as GitHub does, and raw HTML only after GitHub's
 * sanitizer; the markup the site itself builds from Markdown (anchors, code blocks, slots) is
 * never touched by the sanitizer.
 */
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/lib/markdown/mdast.ts';
import { renderBody } from '../../src/lib/site/render.ts';

const html = (md: string): string => renderBody(parseMarkdown(md)).html;

describe('GFM on the site', () => {
  it('renders a pipe table inside a box that scrolls, not as a paragraph of pipes', () => {
    const out = html('| a | b |\n| --- | :-: |\n| 1 | ~~2~~ |\n');
    expect(out).toMatch(/^<div class="table-scroll" tabindex="0"><table>/);
    expect(out).toContain('<td align="center"><del>2</del></td>');
    expect(out).not.toContain('|');
  });

  it('renders task lists, autolink literals and footnotes', () => {
    const out = html('- [x] done\n- [ ] open\n\nSee www.example.com or ops@example.com[^1].\n\n[^1]: The note.\n');
    expect(out).toContain('<input type="checkbox" checked disabled> done');
    expect(out).toContain('<a href="http://www.example.com">www.example.com</a>');
    expect(out).toContain('<a href="mailto:ops@example.com">');
    expect(out).toMatch(/<a href="#user-content-fn-1" id="user-content-fnref-1"[^>]*>1<\/a>/);
    expect(out).toContain('<li id="user-content-fn-1">');
  });

  it('renders GitHub alert blockquotes as callouts, and other blockquotes as blockquotes', () => {
    const out = html(
      '> [!WARNING]\n> Do not restart **all** pods.\n\n> [!tip]\n> lower case works\n\n> [!NOTE] text on the marker line is no alert, as on GitHub\n\n> [!NOPE]\n> stays\n',
    );
    expect(out).toContain(
      '<div class="callout callout-warning" role="note"><p class="callout-title">Warning</p>\n<p>Do not restart <strong>all</strong> pods.</p>\n</div>',
    );
    expect(out).toContain('<div class="callout callout-tip" role="note"><p class="callout-title">Tip</p>\n<p>lower case works</p>');
    expect(out).toContain('<blockquote>\n<p>[!NOPE]\nstays</p>\n</blockquote>');
    expect(out).toContain('<blockquote>\n<p>[!NOTE] text on the marker line');
  });
});

describe('raw HTML on the site', () => {
  it('renders the safe HTML GitHub allows: details, summary, kbd, sub, sup, br, img', () => {
    const out = html(
      '<details>\n<summary>More</summary>\n\nInside **bold**.\n\n</details>\n\nPress <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup><br>next <img src="a.png" alt="a" width="20">\n',
    );
    expect(out).toContain('<details>\n<summary>More</summary>\n<p>Inside <strong>bold</strong>.</p>\n</details>');
    expect(out).toContain('Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup><br>next <img src="a.png" alt="a" width="20">');
  });

  it('removes what GitHub removes: scripts, iframes, event handlers, styles, javascript: links; prefixes ids', () => {
    const out = html(
      '<img src="a.png" onerror="alert(1)" style="width:1px"> <script>alert(1)</script> <iframe src="https://e.com"></iframe>\n<a href="javascript:alert(1)">bad</a> <span id="label-list">x</span>\n\n<div onclick="x()">\n\n*md*\n\n</div>\n',
    );
    expect(out).not.toMatch(/onerror|onclick|style=|<script|alert\(|<iframe|javascript:/);
    expect(out).toContain('<img src="a.png">');
    expect(out).toContain('<a>bad</a>');
    expect(out).toContain('<span id="user-content-label-list">x</span>');
    expect(out).toContain('<div>\n<p><em>md</em></p>\n</div>');
  });

  it('leaves the markup the site builds alone inside raw HTML: anchors, code blocks with slots and copy buttons', () => {
    const out = renderBody(parseMarkdown('<details>\n\n## Steps\n\n```sh\nssh {{ $labels.instance }}\n```\n\n</details>\n')).html;
    expect(out).toContain('<h2 id="steps">Steps <a class="anchor" href="#steps" data-pagefind-ignore="">');
    expect(out).toContain('<button type="button" class="copy" hidden>Copy</button>');
    expect(out).toContain('<span class="slot" data-label="instance" data-shell="none">');
  });

  it("does not let raw HTML pose as the site's own markup", () => {
    const out = html(
      '<a href="#" data-href="javascript:alert(1)" class="anchor">x</a> <span class="slot" data-label="pod">y</span> <button>b</button>\n',
    );
    expect(out).not.toMatch(/data-href|data-label|class="[^"]|<button/);
  });
});
