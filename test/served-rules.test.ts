// Rules served by a running server: Debian's Prometheus runs on loopback with the
// bundled rules (one runbook_url changed, so the served rule differs from the file), behind basic
// auth, and `rules` names its /api/v1/rules.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lib/config/config.ts';
import type { Diagnostic } from '../src/lib/engine/diagnostic.ts';
import { lint } from '../src/lib/engine/lint.ts';
import { checks } from '../src/lib/checks/index.ts';
import { countDiagnostics } from '../src/lib/engine/diagnostic.ts';
import { sarif } from '../src/lib/reporters/sarif.ts';
import { REPO, runCli, tempDir, TODAY } from './harness.ts';
import { haveSarifSchema, sarifValidator } from './support/shared.ts';
import { freePort, startServer, type RunningServer } from './support/servers.ts';

const PROMETHEUS = '/usr/bin/prometheus';
// bcrypt of "s3cret" (cost 4, made with Python's crypt module), as Prometheus' web config wants it.
const BCRYPT = '$2b$04$spdlwvhMyexrwn1Fjos.rerhofZppmtaMob9H7j/Ho1sK9u2OQJXq';
const AUTH = `Basic ${Buffer.from('runbooks:s3cret').toString('base64')}`;
const AUTH_ENV = 'RUNBOOKS_TEST_PROMETHEUS_AUTH';
const WIKI = 'https://wiki.example.com/HostOutOfMemory';

const temp = tempDir('runbooks-served-');
let prometheus: RunningServer;
let rulesApi: string;

/** A project in its own folder: the given config, the bundled runbooks but HostDown's, and the bundled rule files when asked. */
function project(name: string, config: string, withRuleFiles = false): string {
  const dir = path.join(temp.dir, name);
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(REPO, 'runbooks'), path.join(dir, 'runbooks'), { recursive: true });
  rmSync(path.join(dir, 'runbooks/HostDown.md'));
  if (withRuleFiles) cpSync(path.join(REPO, 'rules'), path.join(dir, 'rules'), { recursive: true });
  writeFileSync(path.join(dir, 'runbooks.config.yaml'), config);
  return dir;
}

async function lintDir(dir: string): Promise<Diagnostic[]> {
  const loaded = loadConfig(dir);
  if (!loaded.config) throw new Error(JSON.stringify(loaded.diagnostics));
  return (await lint(loaded.config, { today: TODAY })).diagnostics;
}

const serverEntry = (url: string, extra = `\n    headersFromEnv: { Authorization: ${AUTH_ENV} }`): string => `  - url: ${url}${extra}\n`;
const CONFIG_TAIL =
  'runbooks: [runbooks/*.md, "!runbooks/_template.md"]\nrunbookUrl: https://runbooks.example.com/alerts/{alert}/\nignoreAlerts: [{ alert: Watchdog, reason: always fires }]\n';

beforeAll(async () => {
  const served = path.join(temp.dir, 'served-rules');
  cpSync(path.join(REPO, 'rules'), served, { recursive: true });
  const node = path.join(served, 'node.yaml');
  writeFileSync(node, readFileSync(node, 'utf8').replace('https://runbooks.example.com/alerts/HostOutOfMemory/', WIKI));
  writeFileSync(path.join(temp.dir, 'prometheus.yml'), `global:\n  evaluation_interval: 1m\nrule_files:\n  - ${served}/*.yaml\n`);
  writeFileSync(path.join(temp.dir, 'web.yml'), `basic_auth_users:\n  runbooks: ${BCRYPT}\n`);
  prometheus = await startServer({
    name: 'prometheus',
    command: PROMETHEUS,
    args: (port) => [
      `--config.file=${path.join(temp.dir, 'prometheus.yml')}`,
      `--web.config.file=${path.join(temp.dir, 'web.yml')}`,
      `--storage.tsdb.path=${path.join(temp.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    readyHeaders: { authorization: AUTH },
  });
  rulesApi = `${prometheus.url}/api/v1/rules`;
  process.env[AUTH_ENV] = AUTH;
}, 60_000);

afterAll(async () => {
  delete process.env[AUTH_ENV];
  await prometheus?.stop();
  temp.remove();
});

describe('rules served by a running Prometheus', () => {
  it('reads every alert the server serves, and names the server, group and rule in a finding', async () => {
    const found = await lintDir(project('served-only', `rules:\n${serverEntry(rulesApi)}${CONFIG_TAIL}`));
    const local = await lintDir(project('files-only', `rules: [rules/*.yaml]\n${CONFIG_TAIL}`, true));
    const missing = found.filter((d) => d.ruleId === 'alert-has-runbook');
    expect(missing.map((d) => d.message)).toEqual([`Alert "HostDown" (served by ${rulesApi}, group "node") has no runbook`]);
    expect(missing[0]).toMatchObject({ file: rulesApi, line: 1, column: 1 });
    expect(missing[0]?.related?.[0]?.message).toMatch(
      new RegExp(`^Served by ${rulesApi}: group "node", rule "HostDown" \\(loaded from .*/node\\.yaml\\)$`),
    );
    const wrongUrl = found.filter((d) => d.ruleId === 'runbook-url');
    expect(wrongUrl.map((d) => d.message)).toEqual([
      `runbook_url of alert "HostOutOfMemory" (served by ${rulesApi}, group "node") points to ${WIKI}, but its runbook is served at https://runbooks.example.com/alerts/HostOutOfMemory/`,
    ]);
    // In SARIF the server's URL is an absolute artifact URI, without the %SRCROOT% base.
    const log = JSON.parse(
      sarif({ diagnostics: missing, counts: countDiagnostics(missing), checks, fileCount: 1, toolVersion: '0', color: false }),
    );
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: rulesApi });
    if (haveSarifSchema()) expect(sarifValidator()(log)).toBe(true);
    // Nothing else: every other served alert has its runbook, as in the files (a runbook links to the removed HostDown.md).
    expect(
      found
        .filter((d) => d.severity === 'error')
        .map((d) => d.ruleId)
        .sort(),
    ).toEqual(['alert-has-runbook', 'broken-link', 'runbook-url']);
    expect(local.filter((d) => d.ruleId === 'alert-has-runbook').map((d) => d.message)).toEqual(['Alert "HostDown" has no runbook']);
  });

  it('points at the rule file when the same rule is also in one, and reports only what the server has differently', async () => {
    const found = await lintDir(project('both', `rules:\n  - rules/*.yaml\n${serverEntry(rulesApi)}${CONFIG_TAIL}`, true));
    const lines = readFileSync(path.join(REPO, 'rules/node.yaml'), 'utf8').split('\n');
    const lineOf = (text: string): number => lines.findIndex((l) => l.includes(text)) + 1;
    // HostDown is served as the file has it: one rule, which names the server; one finding.
    const missing = found.filter((d) => d.ruleId === 'alert-has-runbook');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({
      file: 'rules/node.yaml',
      line: lineOf('alert: HostDown'),
      message: 'Alert "HostDown" has no runbook',
    });
    expect(missing[0]?.related?.map((r) => r.message)).toEqual([
      expect.stringMatching(/^Served by .*: group "node", rule "HostDown" \(loaded from .*node\.yaml\)$/),
    ]);
    // HostOutOfMemory differs on the server: its finding stands at the file's annotation and names the server.
    const wrongUrl = found.filter((d) => d.ruleId === 'runbook-url');
    expect(wrongUrl).toHaveLength(1);
    expect(wrongUrl[0]).toMatchObject({ file: 'rules/node.yaml', line: lineOf('alerts/HostOutOfMemory/') });
    expect(wrongUrl[0]?.message).toContain(`(served by ${rulesApi}, group "node") points to ${WIKI}`);
    expect(wrongUrl[0]?.related?.[0]?.message).toMatch(/which differs from this file's rule$/);
    expect(wrongUrl[0]?.hint).toMatch(
      /^The server serves a rule that says otherwise than this file: set it to https:\/\/runbooks\.example\.com\/alerts\/HostOutOfMemory\/ in the rule file the server loads \(.*node\.yaml\), and reload the server\.$/,
    );
  });

  it('sends the header the entry reads from the environment, and says so when the server wants credentials', async () => {
    const noAuth = await lintDir(project('no-auth', `rules:\n${serverEntry(rulesApi, '')}${CONFIG_TAIL}`));
    expect(noAuth.filter((d) => d.ruleId === 'config-error').map((d) => [d.file, d.line, d.column, d.message])).toEqual([
      ['runbooks.config.yaml', 2, 10, `Cannot read the rules of ${rulesApi}: it answered 401 Unauthorized`],
    ]);
    // Credentials in the URL are sent as basic auth, and never shown.
    const inUrl = rulesApi.replace('http://', 'http://runbooks:s3cret@');
    const withUserInfo = await lintDir(project('user-info', `rules:\n  - ${inUrl}\n${CONFIG_TAIL}`));
    expect(withUserInfo.filter((d) => d.ruleId === 'config-error')).toEqual([]);
    expect(withUserInfo.find((d) => d.ruleId === 'alert-has-runbook')?.message).toBe(
      `Alert "HostDown" (served by ${rulesApi}, group "node") has no runbook`,
    );
    const unset = await lintDir(
      project('unset', `rules:\n${serverEntry(rulesApi, '\n    bearerTokenEnv: RUNBOOKS_TEST_NO_SUCH_VARIABLE')}${CONFIG_TAIL}`),
    );
    expect(unset.find((d) => d.ruleId === 'config-error')?.message).toContain(
      'the environment variable RUNBOOKS_TEST_NO_SUCH_VARIABLE is not set',
    );
  });
});

describe('rule servers that cannot be read', () => {
  let silent: Server;
  let recorder: Server;
  const seen: (string | undefined)[] = [];
  beforeAll(async () => {
    // One accepts connections and never answers; one records the token it is sent and answers as a
    // Mimir or Loki ruler's config API does (YAML, namespace → groups).
    silent = createServer(() => {});
    recorder = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response
        .writeHead(200, { 'content-type': 'application/yaml' })
        .end('tenant-rules.yaml:\n  - name: ruler\n    rules:\n      - alert: RulerAlert\n        expr: up == 0\n        for: 5m\n');
    });
    await Promise.all([silent, recorder].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
  });
  afterAll(async () => {
    for (const s of [silent, recorder]) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });

  it('is a configuration error at its entry: refused, timed out, not a rules API; the CLI exits 2', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/api/v1/rules`;
    const slow = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/v1/rules`;
    const dir = project(
      'unreachable',
      `rules:\n  - ${closed}\n${serverEntry(slow, '\n    timeout: 300ms')}  - https://grafana.example.com/d/abc\n${CONFIG_TAIL}`,
    );
    const loaded = loadConfig(dir);
    expect(loaded.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [5, 5, 'https://grafana.example.com/d/abc is not a rules API URL'],
    ]);
    writeFileSync(
      path.join(dir, 'runbooks.config.yaml'),
      `rules:\n  - ${closed}\n${serverEntry(slow, '\n    timeout: 300ms')}${CONFIG_TAIL}`,
    );
    const found = (await lintDir(dir)).filter((d) => d.ruleId === 'config-error');
    expect(found.map((d) => [d.line, d.column, d.message])).toEqual([
      [2, 5, `Cannot read the rules of ${closed}: the connection was refused (nothing listens there)`],
      [3, 10, `Cannot read the rules of ${slow}: it did not answer within 300ms`],
    ]);
    for (const d of found) expect(d.hint).toBeTruthy();
    const cli = await runCli(['lint', '--no-cache'], dir);
    expect(cli.code).toBe(2);
  });

  it("reads a ruler's YAML rules API and sends the bearer token from the environment", async () => {
    const url = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/prometheus/api/v1/rules`;
    process.env.RUNBOOKS_TEST_TOKEN = 'tok3n';
    try {
      const found = await lintDir(
        project('ruler', `rules:\n${serverEntry(url, '\n    bearerTokenEnv: RUNBOOKS_TEST_TOKEN')}${CONFIG_TAIL}`),
      );
      expect(seen).toEqual(['Bearer tok3n']);
      expect(found.filter((d) => d.ruleId === 'alert-has-runbook').map((d) => d.message)).toEqual([
        `Alert "RulerAlert" (served by ${url}, group "ruler") has no runbook`,
      ]);
    } finally {
      delete process.env.RUNBOOKS_TEST_TOKEN;
    }
  });
});
