import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './fixtures.js';

/**
 * An executable that stands in for the Electron binary where there is none (CI): it speaks the
 * shell's side of the protocol (SYNESTHETE_SHELL in, JSON report lines out) the way
 * visuals/shell/main.ts does, so the CLI's launcher, its report handling and its clean-up are
 * tested for real. Use it as SYNESTHETE_ELECTRON. What it was asked and what happened to it goes to
 * `log` (one line each): `config <json>`, `loaded <status>` (it fetched the URL like a window),
 * `terminated` (SIGTERM).
 *
 * `behaviour`: `ok` shows itself on display 2 "Fake projector" and stays until terminated;
 * `crash` prints Chromium-style noise and exits 1; `close` shows itself and exits 0 at once (a
 * performer's Ctrl+Q).
 */
export function fakeElectron(behaviour: 'ok' | 'crash' | 'close' = 'ok'): { path: string; log: string } {
  const dir = tempDir();
  const path = join(dir, 'electron');
  const log = join(dir, 'log.txt');
  writeFileSync(path, `#!${process.execPath}
const fs = require('node:fs');
const note = (line) => fs.appendFileSync(${JSON.stringify(log)}, line + '\\n');
const say = (r) => process.stdout.write(JSON.stringify(r) + '\\n');
const config = JSON.parse(process.env.SYNESTHETE_SHELL);
note('config ' + JSON.stringify(config));
process.stdout.write('[1234:ERROR:gpu_init.cc] chromium noise, not a report\\n');
if (${JSON.stringify(behaviour)} === 'crash') {
  process.stderr.write('Missing X server or $DISPLAY\\n');
  process.exit(1);
}
if (config.mode === 'list') {
  say({ type: 'displays', displays: [
    { id: 1, label: 'Built-in', bounds: { x: 0, y: 0, width: 1440, height: 900 }, scaleFactor: 2, primary: true },
    { id: 7, label: 'Fake projector', bounds: { x: 1440, y: 0, width: 1920, height: 1080 }, scaleFactor: 1, primary: false },
  ] });
  process.exit(0);
}
process.on('SIGTERM', () => { note('terminated'); process.exit(0); });
fetch(config.url).then((r) => {
  note('loaded ' + r.status);
  say({ type: 'shown', display: 2, label: 'Fake projector', fullScreen: true });
  if (${JSON.stringify(behaviour)} === 'close') process.exit(0);
}, (e) => note('failed ' + e.message));
setInterval(() => {}, 1000);
`);
  chmodSync(path, 0o755);
  return { path, log };
}
