#!/usr/bin/env node
// Bundles the browser pages (the control page, the projector output) into dist/pages/ with esbuild,
// so the show serves everything itself: a gig has no internet, so no CDN.
// Each entry is `<name>.ts` next to a `<name>.html`; the HTML loads `/assets/<name>.js`.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'pages');
/** Every page entry: add one here and it is bundled and served. */
const ENTRIES = ['control/page/control.ts', 'visuals/pages/output.ts'];

mkdirSync(out, { recursive: true });
const present = ENTRIES.filter((e) => existsSync(join(root, e)));
await build({
  entryPoints: present.map((e) => join(root, e)),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome110', 'safari15', 'firefox110'],
  minify: true,
  sourcemap: true,
  outdir: out,
  entryNames: '[name]',
  logLevel: 'warning',
});
for (const e of present) {
  const html = e.replace(/\.ts$/, '.html');
  if (existsSync(join(root, html))) copyFileSync(join(root, html), join(out, basename(html)));
}
