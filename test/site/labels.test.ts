import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { codeToHast, textWithSlots } from '../../src/lib/site/highlight.ts';
import { fillPlaceholders, labelNames, labelsFromQuery, splitPlaceholders, token } from '../../src/lib/site/labels.ts';

describe('label placeholders', () => {
  it('finds the Prometheus and the Alertmanager form, with or without spaces and trim markers', () => {
    expect(labelNames('{{ $labels.instance }} {{$labels.job}} {{- $labels.pod -}} {{ .Labels.namespace }}')).toEqual([
      'instance',
      'job',
      'pod',
      'namespace',
    ]);
  });

  it('leaves other template actions alone', () => {
    expect(splitPlaceholders('{{ $value | humanize }} and {{ $labels }}')).toEqual([{ text: '{{ $value | humanize }} and {{ $labels }}' }]);
  });

  it('fills values from the query string and shows a readable token where none is given', () => {
    const labels = labelsFromQuery('?instance=web-1%3A9100&job=&namespace=prod');
    expect(fillPlaceholders('ssh {{ $labels.instance }} -n {{ $labels.namespace }} {{ $labels.job }}', labels)).toBe(
      'ssh web-1:9100 -n prod <job>',
    );
  });

  it('takes the first of repeated parameters and treats an empty value as absent', () => {
    const labels = labelsFromQuery('a=1&a=2&b=');
    expect([...labels]).toEqual([['a', '1']]);
    expect(token('b')).toBe('<b>');
  });
});

describe('slots in HTML: label values are text, never markup', () => {
  it('renders the token of a slot escaped, so the static page shows <name> literally', () => {
    expect(toHtml({ type: 'root', children: textWithSlots('on {{ $labels.instance }}') })).toBe(
      'on <span class="slot" data-label="instance">&#x3C;instance></span>',
    );
  });

  it('escapes markup in the surrounding text', () => {
    const html = toHtml({ type: 'root', children: textWithSlots('<script>alert(1)</script> {{ $labels.x }}') });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#x3C;script>');
  });

  it('puts a placeholder inside a highlighted PromQL string into one slot and keeps the rest highlighted', () => {
    const html = toHtml({ type: 'root', children: codeToHast('rate(http_requests_total{job="{{ $labels.job }}"}[5m])', 'promql') });
    expect(html).toContain('<span class="hl-function">rate</span>');
    expect(html).toContain('<span class="hl-metric">http_requests_total</span>');
    expect(html).toContain('<span class="hl-number">5m</span>');
    expect(html).toContain('<span class="slot" data-label="job">&#x3C;job></span>');
    expect(html.match(/class="slot"/g)).toHaveLength(1);
  });

  it('keeps a placeholder that crosses PromQL tokens whole', () => {
    const html = toHtml({ type: 'root', children: codeToHast('up{instance=~{{ $labels.instance }}} == 0', 'promql') });
    expect(html).toContain('<span class="slot" data-label="instance">&#x3C;instance></span>');
    expect(html).not.toContain('$labels');
  });

  it('leaves other languages unhighlighted but still slots their placeholders', () => {
    const html = toHtml({ type: 'root', children: codeToHast('kubectl -n {{ $labels.namespace }} get pods', 'shell') });
    expect(html).toBe('kubectl -n <span class="slot" data-label="namespace">&#x3C;namespace></span> get pods');
  });
});

describe('links that carry label values', () => {
  it('keep the template for the page script and show tokens without it', async () => {
    const { parseMarkdown } = await import('../../src/lib/markdown/mdast.ts');
    const { renderBody } = await import('../../src/lib/site/render.ts');
    // CommonMark ends a bare destination at a space; in angle brackets it may hold one.
    const body = renderBody(
      parseMarkdown(
        '[Logs](<https://grafana.example.com/explore?pod={{$labels.pod}}&ns={{ .Labels.namespace }}>) and [js](javascript:alert({{$labels.pod}}))\n',
      ),
    );
    expect(body.html).toContain('href="https://grafana.example.com/explore?pod=%3Cpod%3E&#x26;ns=%3Cnamespace%3E"');
    expect(body.html).toContain('data-href="https://grafana.example.com/explore?pod={{$labels.pod}}&#x26;ns={{ .Labels.namespace }}"');
    expect(body.labels).toEqual(['pod', 'namespace']);
    // A script URL is not a link, template or not.
    expect(body.html).toMatch(/<span class="inert-link"[^>]*>js<\/span>/);
  });
});

describe('headings with placeholders', () => {
  it("keep the linter's anchor and read with tokens in the contents", async () => {
    const { parseMarkdown } = await import('../../src/lib/markdown/mdast.ts');
    const { renderBody } = await import('../../src/lib/site/render.ts');
    const body = renderBody(parseMarkdown('# T\n\n## Disk {{ $labels.mountpoint }}\n\ntext\n'), { dropTitle: true });
    expect(body.toc).toEqual([{ depth: 2, text: 'Disk <mountpoint>', slug: 'disk--labelsmountpoint-' }]);
    expect(body.html).toContain('<h2 id="disk--labelsmountpoint-">Disk <span class="slot" data-label="mountpoint">');
    expect(body.html).not.toContain('<h1');
  });
});
