/**
 * `npm pack`'s prepack step: the package ships compiled JavaScript and type declarations in build/,
 * because Node never strips TypeScript types under node_modules. tsc compiles src/lib, src/cli and
 * src/astro's TypeScript (rewriteRelativeImportExtensions turns `./x.ts` imports into `./x.js`);
 * the integration's .astro pages, styles and icon are copied beside them with the same rewrite,
 * so the pages import the compiled modules and the package holds one copy of the code.
 * (dist/ is the site's output, hence build/.)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'build');
const TS_IMPORT = /((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]+)\.ts(['"])/g;

rmSync(OUT, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@typescript/native/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

const astroSrc = path.join(ROOT, 'src/astro');
let copied = 0;
for (const entry of readdirSync(astroSrc, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath, entry.name);
  const to = path.join(OUT, 'astro', path.relative(astroSrc, from));
  cpSync(from, to);
  if (entry.name.endsWith('.astro')) writeFileSync(to, readFileSync(to, 'utf8').replace(TS_IMPORT, '$1.js$2'));
  copied++;
}
// tsc emits no declaration output for a declaration file; the data module's types need it.
cpSync(path.join(astroSrc, 'virtual.d.ts'), path.join(OUT, 'astro/virtual.d.ts'));
process.stdout.write(`build/: compiled TypeScript and ${copied} page, style and icon files\n`);
