import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * The bundled pages (dist/pages, built by `npm run build`), read once at start: a handful of
 * small files, served from memory so a busy show never waits on the disk for them. Only names
 * in the folder can be served: a request cannot reach anything else.
 */
export function loadPages(dir = pagesDir()): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (dir === null) return files;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type !== undefined) files.set(name, { body: readFileSync(join(dir, name)), type });
  }
  return files;
}

/** dist/pages from the compiled server (dist/control/ws) or from the sources (control/ws, in tests). */
export function pagesDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', '..', 'pages'), join(here, '..', '..', 'dist', 'pages')]) {
    if (existsSync(join(candidate, 'control.html'))) return candidate;
  }
  return null;
}
