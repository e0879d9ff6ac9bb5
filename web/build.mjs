// Builds the review console into dist/web/: one bundled script, one stylesheet, one HTML page.
// No CDN and no web fonts: everything the page loads comes from the docsort server itself.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '..', 'dist', 'web');
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(path.join(outDir, 'assets'), { recursive: true });

await build({
  entryPoints: [path.join(here, 'src', 'main.tsx')],
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  outfile: path.join(outDir, 'assets', 'console.js'),
  logLevel: 'warning',
});
fs.copyFileSync(path.join(here, 'src', 'styles.css'), path.join(outDir, 'assets', 'console.css'));
fs.copyFileSync(path.join(here, 'src', 'favicon.svg'), path.join(outDir, 'assets', 'favicon.svg'));
fs.copyFileSync(path.join(here, 'index.html'), path.join(outDir, 'index.html'));
