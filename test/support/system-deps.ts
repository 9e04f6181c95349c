import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Global set-up of the end-to-end project: the Debian packages its tests drive for real
 * (chromium, prometheus, promtool, alertmanager, pre-commit) are installed before any of them runs,
 * so `npm run test:unit` never touches apt and `npm test` on a fresh machine still has them.
 */
export default function setup(): void {
  const script = path.resolve(import.meta.dirname, '../../scripts/system-deps.sh');
  const run = spawnSync('bash', [script], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`${script} failed (exit ${run.status}): the end-to-end tests need its packages`);
}
