import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A server process started by a test, listening on loopback. */
export interface RunningServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  port: number;
  /** The last output of the process, for failure messages. */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
}

/** How to start one server; `args` gets the port so every attempt can use a fresh one. */
export interface ServerSpec {
  name: string;
  command: string;
  args: (port: number) => string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Path that answers 200 once the server is ready. */
  readyPath?: string;
  /** Headers the readiness request sends (a server behind basic auth). */
  readyHeaders?: Record<string, string>;
  timeoutMs?: number;
}

const OUTPUT_LIMIT = 8_000;
const running = new Set<ChildProcess>();

// A test that crashes or times out must not leave servers behind: kill whatever is still running
// when the test process exits, whatever the reason.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A new empty temporary directory; remove it with `removeDir`. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${prefix}-`));
}

/** Removes a directory made by `tempDir`, ignoring one that is already gone. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function startOnce(spec: ServerSpec, port: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(spec.command, spec.args(port), { cwd: spec.cwd, env: spec.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output += `\n${error.message}`;
      running.delete(child);
      resolve(-1);
    });
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  return { child, output: () => output, exited };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const gone = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Starts a server on a free loopback port and resolves once `readyPath` answers 200. A port taken
 * between choosing and binding makes the process exit early; that attempt is retried on another port.
 */
export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const timeoutMs = spec.timeoutMs ?? 30_000;
  const readyPath = spec.readyPath ?? '/-/ready';
  const deadline = Date.now() + timeoutMs;
  let lastOutput = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { child, output, exited } = startOnce(spec, port);
    let exitedEarly = false;
    void exited.then(() => {
      exitedEarly = true;
    });
    while (!exitedEarly && Date.now() < deadline) {
      try {
        const response = await fetch(url + readyPath, { headers: spec.readyHeaders, signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.ok) return { url, port, output, stop: () => stopChild(child, exited) };
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    lastOutput = output();
    await stopChild(child, exited);
    if (!exitedEarly) break;
  }
  throw new Error(
    `${spec.name} did not answer 200 on ${readyPath} within ${timeoutMs} ms (${spec.command}). Its last output:\n${lastOutput}`,
  );
}

/** One HTTP request that reached a `Receiver`. */
export interface ReceivedRequest {
  path: string;
  body: string;
}

/** A loopback HTTP server that records every POST, standing in for Slack, PagerDuty or a webhook. */
export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Resolves with the first request `pick` returns a value for; rejects after `timeoutMs` with `waitingFor`. */
  waitFor<T>(pick: (request: ReceivedRequest) => T | undefined, timeoutMs: number, waitingFor: string): Promise<T>;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Starts a `Receiver` on 127.0.0.1. `answers` maps a path to the status and body it replies with,
 * since Slack and PagerDuty clients check for their own services' answers.
 */
export async function startReceiver(answers: Record<string, { status: number; body: string }> = {}): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const listeners = new Set<() => void>();
  const server: HttpServer = createServer((request, response) => {
    void readBody(request).then((body) => {
      const path = new URL(request.url ?? '/', 'http://receiver').pathname;
      received.push({ path, body });
      const answer = answers[path] ?? { status: 200, body: 'ok' };
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      for (const listener of listeners) listener();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor<T>(pick: (request: ReceivedRequest) => T | undefined, timeoutMs: number, waitingFor: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          for (const request of received) {
            const value = pick(request);
            if (value !== undefined) {
              resolve(value);
              return true;
            }
          }
          return false;
        };
        if (check()) return;
        const listener = (): void => {
          if (check()) done();
        };
        const timer = setTimeout(() => {
          done();
          const seen = received.map((r) => `${r.path}: ${r.body.slice(0, 300)}`).join('\n') || '(nothing)';
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${waitingFor}. Received so far:\n${seen}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        listeners.add(listener);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
