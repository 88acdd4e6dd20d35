import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DisplayInfo } from './chooseDisplay.js';
import type { ShellReport } from './projectorController.js';
import { type ShellConfig, shellLaunch } from './shellConfig.js';

/** The Electron version the project pins (optionalDependencies): the newest 41.x that installs on Node 20. */
export const ELECTRON_VERSION = '41.7.1';
/** How to get Electron, for messages. */
export const ELECTRON_INSTALL = `npm install electron@${ELECTRON_VERSION} (with its binary download allowed; docs/visuals.md)`;

/** An Electron binary to use instead of the installed package's (one installed elsewhere, a newer one). */
export const ELECTRON_ENV = 'SYNESTHETE_ELECTRON';

/**
 * The Electron binary's path, or undefined when Electron is not installed or its binary was not
 * downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD): the `electron` package's main export is that path,
 * and it throws when the binary is missing. `$SYNESTHETE_ELECTRON` overrides it (undefined when
 * that file does not exist).
 */
export function electronBinary(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const override = env[ELECTRON_ENV];
  if (override) return existsSync(override) ? override : undefined;
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
/** Electron starts in about a second; a shell that has said nothing after this is stuck (no display server) */
const LIST_TIMEOUT_MS = 20_000;

function start(electron: string, config: ShellConfig): ChildProcess {
  const launch = shellLaunch({ electron, main: MAIN, config, uid: process.getuid?.(), platform: process.platform, env: process.env });
  return spawn(launch.command, [...launch.args], { env: { ...process.env, ...launch.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Calls `onReport` for every JSON report line the shell writes. The rest is Chromium's own output:
 * its last stderr line (else the last other stdout line) says why a shell that failed did.
 */
function readReports(child: ChildProcess, onReport: (r: ShellReport) => void): { lastNoise: () => string } {
  let buffered = '', stdoutNoise = '', stderrLast = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      try {
        const r = JSON.parse(line) as ShellReport;
        if (r && typeof r === 'object' && typeof r.type === 'string') onReport(r);
      } catch {
        if (line) stdoutNoise = line;
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = chunk.trim().split('\n').filter((l) => l.trim() !== '');
    if (lines.length) stderrLast = lines.at(-1)!.trim();
  });
  return { lastNoise: () => stderrLast || stdoutNoise };
}

/**
 * The displays, through Electron.
 * @throws Error with one line when the shell cannot start or says nothing
 */
export async function listDisplays(electron: string): Promise<DisplayInfo[]> {
  const child = start(electron, { mode: 'list' });
  return new Promise((resolve, reject) => {
    let displays: DisplayInfo[] | undefined, error: string | undefined;
    const { lastNoise } = readReports(child, (r) => {
      if (r.type === 'displays') displays = [...r.displays];
      else if (r.type === 'error') error = r.message;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), LIST_TIMEOUT_MS);
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start Electron (${e.message})`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (displays) resolve(displays);
      else reject(new Error(`Electron could not list the displays (${error ?? (lastNoise() || (signal ? `killed after ${LIST_TIMEOUT_MS / 1000} s` : `exit code ${code}`))})`));
    });
  });
}

/** A running projector window. */
export interface ProjectorShell {
  /** Closes the window (and its Electron process). Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Opens the projector window on `url` in its own Electron process. `onReport` gets what the shell
 * says (shown, moved, notes); `onExit` is called once when the window goes away by itself (closed
 * with Ctrl+Q, or Electron failed: `why` is its last line then), never after `dispose()`.
 */
export function openProjector(electron: string, options: {
  readonly url: string;
  readonly display?: string;
  readonly onReport: (r: ShellReport) => void;
  readonly onExit: (why: string | undefined) => void;
}): ProjectorShell {
  const child = start(electron, { mode: 'projector', url: options.url, ...(options.display !== undefined ? { display: options.display } : {}) });
  let disposing = false;
  let lastError: string | undefined;
  const { lastNoise } = readReports(child, (r) => {
    if (r.type === 'error') lastError = r.message;
    options.onReport(r);
  });
  const exited = new Promise<void>((resolve) => {
    child.on('error', (e) => {
      if (!disposing) options.onExit(`cannot start Electron (${e.message})`);
      disposing = true;
      resolve();
    });
    child.on('close', (code) => {
      if (!disposing) options.onExit(code === 0 ? undefined : (lastError ?? (lastNoise() || `exit code ${code}`)));
      disposing = true;
      resolve();
    });
  });
  let disposed: Promise<void> | undefined;
  return {
    dispose() {
      disposed ??= (async () => {
        disposing = true;
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(killer);
        }
      })();
      return disposed;
    },
  };
}
