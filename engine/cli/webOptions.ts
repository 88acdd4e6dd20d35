import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { isLoopbackBind } from '../../control/osc/oscAddresses.js';
import type { ControlSurface, SurfaceStarter } from '../../control/protocol/surface.js';
import { WebBindError, WebServer, webSurface } from '../../control/ws/webServer.js';
import { DEFAULT_PICTURES_DIR, pictureLister } from '../live/namingSurfaces.js';
import { bundledPresetsDir } from '../presets/resolveInit.js';
import { presetNames as presetNamesIn } from '../show/findPreset.js';
import { UserError } from '../errors.js';

export const DEFAULT_WEB_PORT = 8420;

/** The web flags as commander parses them (`--no-web` makes `web` false). */
export interface WebFlags {
  readonly web?: boolean;
  readonly webPort?: string;
  readonly bind?: string;
  readonly token?: string;
  readonly viewToken?: string;
  readonly presets?: string;
  readonly pictures?: string;
}

/** Adds the web port's flags (docs/control.md) to a show command; `--bind` comes with the OSC flags. */
export function addWebOptions(command: Command): Command {
  return command
    .option('--web-port <n>', `serve the control page, the projector output and the WebSocket on this TCP port (default ${DEFAULT_WEB_PORT}; docs/control.md)`)
    .option('--no-web', 'no web port (no control page, no projector page)')
    .option('--token <token>', 'the token the page, the WebSocket and /osc require (default: none on 127.0.0.1; generated when --bind reaches beyond this machine)')
    .option('--view-token <token>', 'a second, read-only token for screens that may watch but not steer');
}

const TOKEN = /^[A-Za-z0-9._~-]{8,128}$/;

/**
 * The web surface the flags ask for, or none. Like OSC it starts only when the show plays in
 * real time (or --web-port says so). Bound beyond this machine it always needs a token: one is
 * generated when --token is not given. Bad values throw one-line UserErrors.
 */
export function webSurfaces(flags: WebFlags, realtime: boolean, defaultPort = DEFAULT_WEB_PORT): SurfaceStarter[] {
  if (flags.web === false || (!realtime && flags.webPort === undefined)) return [];
  const port = flags.webPort === undefined ? defaultPort : Number(flags.webPort);
  if (flags.webPort !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new UserError(`--web-port ${JSON.stringify(flags.webPort)}: expected a TCP port from 1 to 65535`);
  for (const [flag, value] of [['--token', flags.token], ['--view-token', flags.viewToken]] as const) {
    if (value !== undefined && !TOKEN.test(value)) throw new UserError(`${flag}: expected 8 to 128 letters, digits or . _ ~ - (it goes in URLs)`);
  }
  if (flags.token !== undefined && flags.token === flags.viewToken) throw new UserError('--view-token must differ from --token (one steers, the other only watches)');
  const bind = flags.bind ?? '127.0.0.1';
  const token = flags.token ?? (isLoopbackBind(bind) ? null : randomBytes(18).toString('base64url'));
  const picturesDir = resolve(flags.pictures ?? DEFAULT_PICTURES_DIR);
  const start = webSurface({ port, bind, token, viewToken: flags.viewToken ?? null, presets: presetNames(flags.presets), pictures: pictureLister(picturesDir) });
  return [async (link) => {
    try {
      return await start(link);
    } catch (e) {
      // like OSC: the default port taken, the show plays without a page; one asked for is an error
      if (flags.webPort !== undefined || !(e instanceof WebBindError) || e.code !== 'EADDRINUSE') throw e;
      process.stderr.write(`synesthete: warning: ${e.message}; the web page is off for this show\n`);
      return { description: '', dispose: async () => {} };
    }
  }];
}

/** Preset names for the page's buttons: the performer's folder first, then the bundled ones. */
export function presetNames(presetDir: string | undefined): string[] {
  const names = new Set<string>();
  // a missing folder has no presets; --presets itself is checked where presets are loaded
  for (const dir of [...(presetDir ? [resolve(presetDir)] : []), bundledPresetsDir()]) for (const name of presetNamesIn(dir)) names.add(name);
  return [...names].sort();
}

/**
 * Bound beyond this machine: prints the address a phone on the same network can reach, with a QR
 * code to scan from the stage (the surface's own line already gave this machine's address).
 */
export async function announceWeb(surfaces: readonly ControlSurface[], bind: string | undefined, out: (line: string) => void): Promise<void> {
  const web = surfaces.find((s): s is WebServer => s instanceof WebServer);
  if (web === undefined) return;
  if (bind === undefined || isLoopbackBind(bind)) return;
  const lan = lanAddress(bind);
  if (lan === null) return;
  const phone = web.url.replace(/^http:\/\/[^/]+/, `http://${lan}:${web.port}`);
  out(`on a phone or tablet on this network: ${phone}`);
  out(await QRCode.toString(phone, { type: 'terminal', small: true }));
}

/** The first IPv4 address of this machine on a network (not loopback), or the bound one. */
function lanAddress(bind: string): string | null {
  if (bind !== '0.0.0.0' && bind !== '::') return bind.includes(':') ? `[${bind}]` : bind;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}
