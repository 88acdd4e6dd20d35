import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, with WebGL on SwiftShader (no GPU needed). Chrome no longer falls
 * back to SwiftShader by itself, so the flags are required (../shared/reference/live-stack.md §8).
 * A missing browser fails the test with the package to install: tests never skip themselves.
 */
export const CHROMIUM_PATH = process.env.SYNESTHETE_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // a page in a background tab must keep drawing and receiving in tests
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install chromium) or set SYNESTHETE_CHROMIUM`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
