import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:electron`: drives the real Electron shell. Not part of `npm test`: it needs the
 * Electron binary (CI installs with ELECTRON_SKIP_BINARY_DOWNLOAD) and a desktop (or xvfb-run).
 * Everything else about the projector is tested in `npm test` (the shell's behaviour without
 * Electron, the CLI, the same page in Chromium).
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/electron/**/*.electron.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
