import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectFixture, findingAt, findingAtText, FIXTURES } from '../harness.ts';

const root = path.join(FIXTURES, 'runbook-alert-exists/basic');

describe('runbook-alert-exists', () => {
  it('reports each claimed alert that no rule defines, at the claim', async () => {
    const found = await expectFixture('runbook-alert-exists', 'basic');
    const typo = findingAtText(found, root, 'runbooks/host-down.md', 2, 'HostDwon');
    expect(typo.message).toBe('Runbook names alert "HostDwon", which no rule file defines');
    expect(typo.severity).toBe('error');
  });

  it('suggests the nearest existing alert name', async () => {
    const found = await expectFixture('runbook-alert-exists', 'basic');
    expect(findingAt(found, 'runbooks/host-down.md', 2).hint).toMatch(/^Did you mean "HostDown"\?/);
    // Case differences are the commonest typo.
    expect(findingAt(found, 'runbooks/crash.md', 2).hint).toMatch(/^Did you mean "KubePodCrashLooping"\?/);
  });

  it('does not suggest a name that is not close', async () => {
    const found = await expectFixture('runbook-alert-exists', 'basic');
    const d = findingAtText(found, root, 'runbooks/disk.md', 4, 'ZebraQuuxFrobnicator');
    expect(d.hint).not.toContain('Did you mean');
    expect(d.hint).toContain('Delete the runbook');
  });

  it('takes the alert name from the file name under match: filename', async () => {
    const [d] = await expectFixture('runbook-alert-exists', 'filename');
    expect(d?.message).toContain('"HostDwn"');
    expect(d?.hint).toContain('Did you mean "HostDown"?');
  });
});
