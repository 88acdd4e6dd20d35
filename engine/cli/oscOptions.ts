import { isIP } from 'node:net';
import type { Command } from 'commander';
import { isLoopbackBind } from '../../control/osc/oscAddresses.js';
import { OscBindError, type OscServerOptions, oscSurface } from '../../control/osc/oscServer.js';
import type { SurfaceStarter } from '../../control/protocol/surface.js';
import { UserError } from '../errors.js';

export const DEFAULT_OSC_PORT = 9000;

/** The OSC flags as commander parses them (`--no-osc` makes `osc` false). */
export interface OscFlags {
  readonly osc?: boolean;
  readonly oscPort?: string;
  readonly bind?: string;
  readonly oscAllow?: string;
  readonly oscFeedback?: string;
}

/** Adds the OSC flags (docs/control.md) to a show command. */
export function addOscOptions(command: Command): Command {
  return command
    .option('--osc-port <n>', `listen for OSC on this UDP port (default ${DEFAULT_OSC_PORT}; docs/control.md)`)
    .option('--no-osc', 'no OSC surface')
    .option('--bind <addr>', 'address the control surfaces listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)')
    .option('--osc-allow <addr,...>', 'when bound beyond this machine: the IP addresses OSC accepts (others are refused and counted)')
    .option('--osc-feedback <host:port,...>', 'send every state change there as OSC, as to a client that sent /synesthete/subscribe');
}

/**
 * The OSC surface the flags ask for, or none. `realtime`: the show plays in real time (a sound
 * card, or --wav --realtime); a file rendered as fast as possible has no time to steer in, so OSC
 * is only started there when --osc-port says so. Bad values throw one-line UserErrors.
 * `defaultPort`: for tests, which cannot count on 9000 being free.
 */
export function oscSurfaces(flags: OscFlags, realtime: boolean, defaultPort = DEFAULT_OSC_PORT): SurfaceStarter[] {
  const bind = flags.bind ?? '127.0.0.1';
  if (bind !== 'localhost' && !isIP(bind)) throw new UserError(`--bind ${JSON.stringify(bind)}: expected an IP address such as 127.0.0.1 or 0.0.0.0`);
  if (flags.osc === false || (!realtime && flags.oscPort === undefined)) return [];
  const port = flags.oscPort === undefined ? defaultPort : Number(flags.oscPort);
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new UserError(`--osc-port ${JSON.stringify(flags.oscPort)}: expected a UDP port from 1 to 65535`);
  const allow = list(flags.oscAllow).map((a) => {
    if (!isIP(a)) throw new UserError(`--osc-allow ${JSON.stringify(a)}: expected IP addresses separated by commas (OSC senders are known by address)`);
    return a;
  });
  const feedback = list(flags.oscFeedback).map((d) => {
    const m = /^(.+):(\d+)$/.exec(d);
    const p = m ? Number(m[2]) : 0;
    if (!m || !(p >= 1 && p <= 65535)) throw new UserError(`--osc-feedback ${JSON.stringify(d)}: expected HOST:PORT, e.g. 127.0.0.1:9001`);
    return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: p };
  });
  if (!isLoopbackBind(bind) && allow.length === 0) {
    process.stderr.write(`synesthete: warning: OSC listens on ${bind} but accepts only this machine: add --osc-allow ADDR[,ADDR] for the devices that may steer the show\n`);
  }
  const options: OscServerOptions = { port, bind, allow, feedback };
  const start = oscSurface(options);
  return [async (link) => {
    try {
      return await start(link);
    } catch (e) {
      // the default port taken (another show, another program): play without OSC rather than not
      // at all; a port asked for explicitly is an error
      if (flags.oscPort !== undefined || !(e instanceof OscBindError) || e.code !== 'EADDRINUSE') throw e;
      process.stderr.write(`synesthete: warning: ${e.message}; OSC is off for this show\n`);
      return { description: '', dispose: async () => {} };
    }
  }];
}

function list(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
