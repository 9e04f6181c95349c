/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by package or source file, and
 * the hottest functions. Usage: node bench/profile.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

/** node_modules/<pkg> for dependencies, the path under the project for our own files. */
function bucket(url: string, functionName: string): string {
  if (url === '') return /^\((idle|garbage collector|program)\)$/.test(functionName) ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const own = /\/(src\/.*|bench\/.*)$/.exec(url);
  return own ? (own[1] as string) : url.replace(/^file:\/\//, '');
}

const byBucket = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (const [id, micros] of selfTime) {
  const node = byId.get(id);
  if (!node) continue;
  total += micros;
  const { functionName, url, lineNumber } = node.callFrame;
  const b = bucket(url, functionName);
  byBucket.set(b, (byBucket.get(b) ?? 0) + micros);
  const key = `${functionName || '(anonymous)'} ${b}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
}
const show = (title: string, map: Map<string, number>): void => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}\n`);
  }
};
const idle = [...byBucket].filter(([k]) => k === '(idle)').reduce((sum, [, v]) => sum + v, 0);
process.stdout.write(`total sampled: ${(total / 1000).toFixed(0)} ms, busy ${((total - idle) / 1000).toFixed(0)} ms\n`);
show('self time by package / file', byBucket);
show('self time by function', byFunction);
