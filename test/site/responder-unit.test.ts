/**
 * The responder's page without a browser: placeholders as the linter and the site both read them,
 * hostile label values, facts from the rules, coverage that adds up, search ranking and the 404's help.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/lib/markdown/mdast.ts';
import { hasPlaceholder, protectPlaceholders, templateWord, withSampleValues } from '../../src/lib/markdown/placeholders.ts';
import { parseRunbook } from '../../src/lib/markdown/runbook-reader.ts';
import { templateText } from '../../src/lib/site/labels.ts';
import { loadSite, type LoadedSite } from '../../src/lib/site/load-site.ts';
import { caseInsensitiveMatch, nearestPages } from '../../src/lib/site/not-found.ts';
import { fillableUrl, renderBody, textHtml } from '../../src/lib/site/render.ts';
import { alertMatches, decodeEntities, didYouMean } from '../../src/lib/site/search-rank.ts';
import { cutValue, displayValue, hasHiddenChars, hasShellMeta, shellContexts, shellFill } from '../../src/lib/site/values.ts';
import { createAjv, URI_WITH_PLACEHOLDERS } from '../../src/lib/config/ajv.ts';
import { describeCorpus } from '../support/shared.ts';
import { kubePrometheusConfig } from './corpus-site.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('placeholders in links, titles and images', () => {
  const md = [
    '[pod logs](https://grafana.example.com/explore?var-pod={{ $labels.pod }}&ns={{$labels.namespace}} "Logs of {{ $labels.pod }}")',
    '![CPU of {{ $labels.instance }}](https://grafana.example.com/render?var-instance={{ $labels.instance }})',
    '[evil]({{ $labels.url }}) and [worse](http{{ $labels.s }}://x.example/)',
    '',
  ].join('\n\n');

  it('reads a destination with spaces inside the braces as a link, for the linter as for the site', () => {
    const facts = parseRunbook(`---\nalert: A\n---\n\n${md}`, 'runbooks/A.md');
    expect(facts.links.map((l) => l.url.replaceAll('\u00a0', ' '))).toEqual(
      expect.arrayContaining(['https://grafana.example.com/explore?var-pod={{ $labels.pod }}&ns={{$labels.namespace}}']),
    );
    const body = renderBody(parseMarkdown(md));
    expect(body.html).toContain('data-href="https://grafana.example.com/explore?var-pod={{ $labels.pod }}&#x26;ns={{$labels.namespace}}"');
    expect(body.html).toContain('href="https://grafana.example.com/explore?var-pod=%3Cpod%3E&#x26;ns=%3Cnamespace%3E"');
    expect(body.html).toContain('title="Logs of <pod>" data-title="Logs of {{ $labels.pod }}"');
    expect(body.html).toContain('alt="CPU of <instance>" data-alt="CPU of {{ $labels.instance }}"');
    expect(body.html).toContain('data-src="https://grafana.example.com/render?var-instance={{ $labels.instance }}"');
    expect(body.labels).toEqual(expect.arrayContaining(['pod', 'namespace', 'instance']));
  });

  it('keeps a link inert when a label would choose its scheme', () => {
    expect(fillableUrl('{{ $labels.url }}')).toBe(false);
    expect(fillableUrl('http{{ $labels.s }}://x.example/')).toBe(false);
    expect(fillableUrl('javascript:alert({{ $labels.x }})')).toBe(false);
    expect(fillableUrl('https://g.example/?p={{ $labels.x }}')).toBe(true);
    expect(fillableUrl('/alerts/?p={{ $labels.x }}')).toBe(true);
    const html = renderBody(parseMarkdown(md)).html;
    expect(html).toMatch(/<span class="inert-link"[^>]*>evil<\/span>/);
    expect(html).toMatch(/<span class="inert-link"[^>]*>worse<\/span>/);
    expect(html).not.toContain('href="{{');
  });

  it('leaves placeholders outside destinations as written, so headings keep their anchors', () => {
    expect(protectPlaceholders('## Disk {{ $labels.mountpoint }}')).toBe('## Disk {{ $labels.mountpoint }}');
    expect(protectPlaceholders('[a](x?p={{ $labels.p }})')).toBe('[a](x?p={{\u00a0$labels.p\u00a0}})');
    expect(protectPlaceholders('[a]: https://x/?p={{ $labels.p }}')).toBe('[a]: https://x/?p={{\u00a0$labels.p\u00a0}}');
    expect(hasPlaceholder('{{\u00a0$labels.p\u00a0}}')).toBe(true);
  });

  it('lets the default schema accept a dashboard URL with placeholders, and still check the rest', () => {
    const ajv = createAjv();
    const valid = ajv.compile({ type: 'string', format: URI_WITH_PLACEHOLDERS });
    expect(withSampleValues('https://g.example/d/x?var-pod={{ $labels.pod }}')).toBe('https://g.example/d/x?var-pod=pod');
    expect(valid('https://grafana.example.com/d/k8s?var-pod={{ $labels.pod }}&var-ns={{.Labels.namespace}}')).toBe(true);
    expect(valid('https://grafana.example.com/d/k8s?var-pod={{ $labels.pod }} and more')).toBe(false);
    expect(valid('not a url {{ $labels.pod }}')).toBe(false);
  });

  it('renders Go-template expressions of annotations as readable tokens', () => {
    expect(templateText('CPU at {{ $value | printf "%.1f" }}% on {{ $labels.instance }}')).toBe('CPU at <value>% on <instance>');
    expect(templateWord('printf "%.2f" $value')).toBe('value');
    expect(templateWord('$externalLabels.cluster')).toBe('cluster');
    const html = textHtml('{{ $value | humanizePercentage }} of {{ $labels.job }}');
    expect(html).toContain('<span class="slot expr" title="{{ $value | humanizePercentage }}">&#x3C;value></span>');
    expect(html).toContain('data-label="job"');
    expect(html.replace(/title="[^"]*"/g, '')).not.toContain('{{');
  });
});

describe('hostile label values', () => {
  it('shows invisible and bidirectional characters escaped', () => {
    const value = 'pod-\u202Esuoiverp--\u200B';
    expect(hasHiddenChars(value)).toBe(true);
    expect(displayValue(value)).toBe('pod-\\u202Esuoiverp--\\u200B');
    expect(hasHiddenChars('web-1:9100')).toBe(false);
  });

  it('POSIX-quotes a value with shell metacharacters, to fit where it lands', () => {
    const hostile = '${IFS}$(rm -rf /)';
    expect(hasShellMeta(hostile)).toBe(true);
    expect(hasShellMeta('web-1:9100')).toBe(false);
    expect(shellFill('web-1:9100', 'none')).toBe('web-1:9100');
    expect(shellFill(hostile, 'none')).toBe("'${IFS}$(rm -rf /)'");
    expect(shellFill("it's", 'none')).toBe("'it'\\''s'");
    expect(shellFill(hostile, 'double')).toBe(`"'\${IFS}$(rm -rf /)'"`);
    expect(shellFill("a'b c", 'single')).toBe("a'\\''b c");
  });

  it('knows the quoting at each placeholder of a shell command', () => {
    const code = `ssh {{x}} "df {{y}}" 'echo {{z}}' \\"{{w}} # "{{c}}`;
    const at = (s: string) => code.indexOf(s);
    expect(shellContexts(code, [at('{{x'), at('{{y'), at('{{z'), at('{{w'), at('{{c')])).toEqual([
      'none',
      'double',
      'single',
      'none',
      'none',
    ]);
  });

  it('cuts a long value for the panel', () => {
    expect(cutValue('x'.repeat(10_000))).toEqual({ text: `${'x'.repeat(80)}…`, cut: true });
    expect(cutValue('short')).toEqual({ text: 'short', cut: false });
  });
});

describe('search and the 404 page', () => {
  const alerts = ['KubePodCrashLooping', 'KubePodNotReady', 'KubeDeploymentReplicasMismatch', 'TargetDown'].map((alert) => ({
    alert,
    href: `/runbooks/x/${alert.toLowerCase()}`,
    severity: 'warning',
    summary: '',
  }));

  it('puts an alert typed exactly or as a prefix first', () => {
    expect(alertMatches('kubepodcrashlooping', alerts).map((a) => a.alert)).toEqual(['KubePodCrashLooping']);
    expect(alertMatches('KubePod', alerts).map((a) => a.alert)).toEqual(['KubePodNotReady', 'KubePodCrashLooping']);
    expect(alertMatches('pod crash', alerts)).toEqual([]);
  });

  it('offers the nearest alert names for a misspelt one', () => {
    expect(
      didYouMean(
        'KubePodCrashLoping',
        alerts.map((a) => a.alert),
      ),
    ).toEqual(['KubePodCrashLooping']);
    expect(
      didYouMean(
        'KubePod',
        alerts.map((a) => a.alert),
      ),
    ).toEqual([]);
    expect(
      didYouMean(
        'disk',
        alerts.map((a) => a.alert),
      ),
    ).toEqual([]);
  });

  it("decodes excerpts without losing a fragment's leading space", () => {
    expect(decodeEntities(' on a host &amp; its &lt;disk&gt; &#39;x&#x27;')).toBe(" on a host & its <disk> 'x'");
  });

  it('finds an alert page whatever the case of its address, else the nearest names', () => {
    const pages = [
      { alert: 'HostDown', href: '/alerts/HostDown/' },
      { alert: 'HostOutOfMemory', href: '/alerts/HostOutOfMemory/' },
    ];
    expect(caseInsensitiveMatch('/alerts/hostdown/', pages)?.href).toBe('/alerts/HostDown/');
    expect(caseInsensitiveMatch('/alerts/HOSTDOWN', pages)?.href).toBe('/alerts/HostDown/');
    expect(caseInsensitiveMatch('/alerts/HostDwn/', pages)).toBeUndefined();
    expect(nearestPages('/alerts/HostDwn/', pages).map((p) => p.alert)).toEqual(['HostDown']);
  });
});

describe('facts from the rules and coverage on the bundled example', async () => {
  const { model } = await loadSite({ cwd: ROOT, config: 'runbooks.config.yaml', today: '2026-11-21' });

  it('adds up: covered + missing = alerts, in total and by owner', () => {
    const { totals, owners } = model.coverage;
    expect(totals.covered + totals.missing).toBe(totals.alerts);
    for (const o of owners) expect(o.covered + o.missing, o.owner).toBe(o.alerts);
    expect(owners.reduce((n, o) => n + o.alerts, 0)).toBe(totals.alerts);
    expect(owners.reduce((n, o) => n + o.covered, 0)).toBe(totals.covered);
  });

  it('links each page to its Diagnosis and Mitigation and to the other alerts of its runbook', () => {
    const page = model.pages.find((p) => p.alert === 'HostFilesystemAlmostFull');
    expect(page?.jumps.map((j) => j.slug)).toEqual(['diagnosis', 'mitigation']);
    expect(page?.otherAlerts).toEqual([{ alert: 'HostFilesystemFillingUp', href: '/alerts/HostFilesystemFillingUp/' }]);
    // Findings are for `astro dev` only.
    expect(page?.findings).toEqual([]);
  });
});

describeCorpus('facts from the rules and coverage on the kube-prometheus pair', () => {
  // In beforeAll, not in the describe callback: a skipped describe still collects its tests, and
  // without the corpus this load would fail the whole file.
  let model: LoadedSite['model'];
  beforeAll(async () => {
    ({ model } = await loadSite({ config: kubePrometheusConfig(), today: '2026-11-21' }));
  });

  it('takes severity and summary from the rule for runbooks matched by file name, marked so', () => {
    const page = model.pages.find((p) => p.alert === 'KubePodCrashLooping');
    expect(page?.severity).toBe('warning');
    expect(page?.fromRule.severity).toBe(true);
    expect(page?.summary).toBe('Pod is crash looping.');
    expect(page?.fromRule.summary).toBe(true);
    expect(model.alerts.find((a) => a.alert === 'KubePodCrashLooping')?.severity).toBe('warning');
  });

  it('counts 99 of 125 covered, 26 missing, by owner too, and lists the 9 runbooks that match no alert', () => {
    const { totals, owners, orphans } = model.coverage;
    expect(totals).toMatchObject({ alerts: 125, covered: 99, missing: 26 });
    expect(owners.reduce((n, o) => n + o.covered, 0)).toBe(99);
    for (const o of owners) expect(o.covered + o.missing).toBe(o.alerts);
    expect(orphans).toHaveLength(9);
    expect(model.coverage.unfinished.length).toBeGreaterThan(0);
  });

  it('gives rules of one alert distinct landmark names, and annotations no raw template', () => {
    for (const page of model.pages) {
      const names = page.rules.map((r) => r.landmark);
      expect(new Set(names).size, page.alert).toBe(names.length);
      for (const rule of page.rules)
        for (const a of rule.annotations) expect(a.html.replace(/title="[^"]*"/g, ''), `${page.alert} ${a.name}`).not.toMatch(/\{\{/);
    }
  });
});
