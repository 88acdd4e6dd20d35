import { Command, Option } from 'commander';
// the CLI is where the show meets the projector: it starts the Electron shell or the system
// browser on the show's /output page (both Node-side launchers; Electron itself is never loaded here)
import { ELECTRON_INSTALL, electronBinary, openProjector } from '../../visuals/shell/launchShell.js';
import { openInBrowser } from '../../visuals/shell/openBrowser.js';
import { UserError } from '../errors.js';
import type { Show } from '../show/openShow.js';
import { WebServer } from '../../control/ws/webServer.js';

export const VISUALS = ['projector', 'browser', 'none'] as const;

/** The visuals flags as commander parses them. */
export interface VisualsFlags {
  /** `--projector` alone: true; `--projector 2`: '2' */
  readonly projector?: string | boolean;
  readonly visuals?: (typeof VISUALS)[number];
  readonly headless?: boolean;
  /** false: --no-web (the output page is served on the web port) */
  readonly web?: boolean;
}

/** Where the projector output goes. `auto`: nobody asked (the out-of-the-box show). */
export type VisualsPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'projector'; readonly display?: string; readonly auto: boolean }
  /** `open`: false where there is no desktop to open a browser on: the URL is printed instead */
  | { readonly kind: 'browser'; readonly open: boolean; readonly auto: boolean };

/** What the plan depends on besides the flags (injected so tests can vary it). */
export interface VisualsEnvironment {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** run from a terminal (not a script, a test or a service) */
  readonly interactive: boolean;
  /** the Electron binary is there */
  readonly electron: boolean;
}

/** This process's environment. */
export function visualsEnvironment(): VisualsEnvironment {
  return { platform: process.platform, env: process.env, interactive: process.stdin.isTTY === true && process.stderr.isTTY === true, electron: electronBinary() !== undefined };
}

/** Adds `--projector [DISPLAY]`, `--visuals WHERE` and `--headless` to a show command. */
export function addVisualsOptions(command: Command): Command {
  return command
    .option('--projector [display]', 'show the output full-screen in an Electron window on this display (a number or part of a name from `synesthete displays`; default: the second display); docs/visuals.md')
    .addOption(new Option('--visuals <where>', 'where the projector output goes: projector (Electron), browser (the system browser), none').choices(VISUALS))
    .option('--headless', 'no window at all (same as --visuals none); the output page stays on the web port for any browser');
}

/** Is there a desktop to open a window on? Linux and the BSDs need an X or Wayland server. */
export function hasDesktop(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Decides where the visuals go. Asked for explicitly, they go there or the command is refused
 * with one line; not asked for, a show run from a terminal on a desktop opens the projector
 * (Electron where installed, else the system browser) so a newcomer's first `perform` is seen as
 * well as heard, and never in CI, in scripts or on a machine without a desktop.
 *
 * @param realtime the show plays in real time (a sound card or --wav --realtime)
 * @throws UserError naming the flags that do not go together
 */
export function visualsPlan(flags: VisualsFlags, realtime: boolean, environment: VisualsEnvironment): VisualsPlan {
  const projector = flags.projector !== undefined && flags.projector !== false;
  const asked = projector ? 'projector' : flags.visuals;
  if (flags.headless && asked !== undefined && asked !== 'none') {
    throw new UserError(`${projector ? '--projector' : `--visuals ${asked}`} and --headless cannot be combined: --headless keeps no window`);
  }
  if (projector && flags.visuals !== undefined && flags.visuals !== 'projector') {
    throw new UserError(`--projector and --visuals ${flags.visuals} cannot be combined: choose one`);
  }
  const desktop = hasDesktop(environment.platform, environment.env);
  if (flags.headless || asked === 'none') return { kind: 'none' };
  if (asked === undefined) {
    if (flags.web === false || !realtime || !environment.interactive || environment.env.CI || !desktop) return { kind: 'none' };
    return environment.electron ? { kind: 'projector', auto: true } : { kind: 'browser', open: true, auto: true };
  }
  const flag = projector ? '--projector' : `--visuals ${asked}`;
  if (flags.web === false) throw new UserError(`${flag} shows the web port's /output page: it cannot be combined with --no-web`);
  if (!realtime) {
    throw new UserError(`${flag} shows the show as it plays: it needs a sound card or --wav --realtime (an offline --wav renders faster than it could be watched)`);
  }
  if (asked === 'browser') return { kind: 'browser', open: desktop, auto: false };
  if (!environment.electron) throw new UserError(`${flag} needs Electron, which is not installed: ${ELECTRON_INSTALL}; or use --visuals browser`);
  if (!desktop) throw new UserError(`${flag}: no desktop to show a window on ($DISPLAY and $WAYLAND_DISPLAY are unset): run it in the machine's desktop session, or use --headless`);
  const display = typeof flags.projector === 'string' ? flags.projector : undefined;
  return { kind: 'projector', ...(display !== undefined ? { display } : {}), auto: false };
}

/** Started visuals: the window or nothing (a browser tab is the browser's). */
export interface StartedVisuals {
  dispose(): Promise<void>;
}

/**
 * Starts the plan on the show's output page. Show time: nothing here throws; a window that
 * cannot open or closes is reported on stderr and the show plays on.
 *
 * @param outputUrl the show's projector page (`http://HOST:PORT/output?token=...`); undefined when
 * the show has no web port (--no-web)
 */
export async function startVisuals(plan: VisualsPlan, outputUrl: string | undefined, log: (line: string) => void = (l) => process.stderr.write(`synesthete: ${l}\n`)): Promise<StartedVisuals> {
  const none: StartedVisuals = { dispose: async () => {} };
  if (plan.kind === 'none') return none;
  if (outputUrl === undefined) {
    // the web port did not start (its default port was taken: already reported)
    if (!plan.auto) log('warning: the projector output is served on the web port, which is off: no window opened');
    return none;
  }
  if (plan.kind === 'browser') {
    const said = (failed: string | undefined) => log(failed === undefined ? `projector output opened in the browser: ${outputUrl}` : `projector output: open ${outputUrl} in a browser (${failed})`);
    // not awaited: some openers only return when the browser they started quits, and the show starts now
    if (plan.open) void openInBrowser(outputUrl).then(said);
    else said('no desktop to open a browser on');
    return none;
  }
  const electron = electronBinary();
  if (electron === undefined) {
    log(`warning: Electron is not installed: open ${outputUrl} in a browser`);
    return none;
  }
  return openProjector(electron, {
    url: outputUrl, ...(plan.display !== undefined ? { display: plan.display } : {}),
    onReport: (r) => {
      if (r.type === 'shown' || r.type === 'moved') {
        const where = `display ${r.display}${r.label ? ` "${r.label}"` : ''}`;
        log(`projector ${r.type === 'shown' ? 'on' : 'moved to'} ${where}${r.fullScreen ? ', full-screen (Escape leaves full-screen, F11 returns, Ctrl+Q closes)' : ' in a window (F11: full-screen)'}`);
      } else if (r.type === 'note' || r.type === 'error') log(`warning: projector: ${r.message}`);
    },
    onExit: (why) => log(why === undefined
      ? 'projector window closed; the show plays on (Ctrl+C ends it)'
      : `warning: the projector window failed (${why}); the show plays on: open ${outputUrl} in a browser`),
  });
}

/** The show's projector page with its token, from its web surface (undefined without one: --no-web). */
export function showOutputUrl(show: Show): string | undefined {
  return show.surfaces.find((s): s is WebServer => s instanceof WebServer)?.outputUrl;
}
