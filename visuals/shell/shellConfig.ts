/**
 * What the CLI asks of the Electron shell, passed in one environment variable rather than on the
 * command line: the output URL carries the show's token, and a process's arguments are readable
 * by every user of the machine (`ps`), its environment only by its owner. Chromium also claims
 * some switches (`--display` picks an X server), so nothing of ours goes in argv.
 */
export type ShellConfig =
  /** print the displays as one JSON line on stdout and quit (`synesthete displays`) */
  | { readonly mode: 'list' }
  /** show `url` on the projector display (`want`: a number or part of a name; see chooseDisplay) */
  | { readonly mode: 'projector'; readonly url: string; readonly display?: string };

export const SHELL_ENV = 'SYNESTHETE_SHELL';

/** How to start Electron on the shell: the command, its arguments and the environment to add. */
export interface ShellLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The command line that runs the shell's main script in Electron. Chromium refuses to run as root
 * without `--no-sandbox` (a container, a live USB stick), so it is added for root only. On a
 * Linux desktop with an X server (X11, or XWayland beside Wayland) Electron is kept on X11: a
 * Wayland client cannot place its window on a chosen display, an X11 one can.
 *
 * @example
 * shellLaunch({ electron: '/x/electron', main: '/x/main.js', config: { mode: 'list' }, uid: 1000 })
 * // { command: '/x/electron', args: ['/x/main.js'], env: { SYNESTHETE_SHELL: '{"mode":"list"}' } }
 */
export function shellLaunch(options: {
  electron: string; main: string; config: ShellConfig; uid: number | undefined;
  platform?: NodeJS.Platform; env?: Readonly<Record<string, string | undefined>>;
}): ShellLaunch {
  const x11 = options.platform === 'linux' && Boolean(options.env?.DISPLAY);
  return {
    command: options.electron,
    args: [options.main, ...(options.uid === 0 ? ['--no-sandbox'] : []), ...(x11 ? ['--ozone-platform=x11'] : [])],
    env: { [SHELL_ENV]: JSON.stringify(options.config) },
  };
}

/**
 * Reads the config back in the shell.
 * @throws Error with one line naming what is wrong (the shell prints it and exits)
 */
export function parseShellConfig(text: string | undefined): ShellConfig {
  if (text === undefined || text === '') throw new Error(`${SHELL_ENV} is not set: start the shell with \`synesthete perform --projector\` or \`synesthete displays\``);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${SHELL_ENV}: not JSON`);
  }
  const v = value as { mode?: unknown; url?: unknown; display?: unknown };
  if (v?.mode === 'list') return { mode: 'list' };
  if (v?.mode !== 'projector') throw new Error(`${SHELL_ENV}.mode: expected "list" or "projector"`);
  if (typeof v.url !== 'string' || !/^https?:\/\//.test(v.url)) throw new Error(`${SHELL_ENV}.url: expected an http:// or https:// URL`);
  if (v.display !== undefined && typeof v.display !== 'string') throw new Error(`${SHELL_ENV}.display: expected a string (a number or part of a name)`);
  return { mode: 'projector', url: v.url, ...(v.display !== undefined ? { display: v.display } : {}) };
}
