// The Electron shell's main process: one projector window showing the show's /output page. Thin
// on purpose: the show runs in the CLI's own Node process (so rendering and audio never wait for
// each other), the behaviour lives in ProjectorController, and this file only wires Electron to
// it. Started by `synesthete perform --projector` and `synesthete displays` (launchShell.ts), with
// its instructions in the SYNESTHETE_SHELL environment variable; it reports on stdout, one JSON
// line each. Only this folder imports Electron.
import { BrowserWindow, app, screen } from 'electron';
import { ProjectorController, type ShellReport, displaysOf } from './projectorController.js';
import { SHELL_ENV, type ShellConfig, parseShellConfig } from './shellConfig.js';

const report = (r: ShellReport) => process.stdout.write(`${JSON.stringify(r)}\n`);

let config: ShellConfig;
try {
  config = parseShellConfig(process.env[SHELL_ENV]);
} catch (e) {
  report({ type: 'error', message: (e as Error).message });
  app.exit(2);
  throw e;
}

/** hidden cursor over the projector: the audience should see only the picture */
const NO_CURSOR = 'html, body, * { cursor: none !important; }';
/** the show may still be starting when the window opens: try again this often */
const RELOAD_MS = 1000;

app.whenReady().then(() => {
  if (config.mode === 'list') {
    report({ type: 'displays', displays: displaysOf(screen) });
    app.quit();
    return;
  }
  const url = config.url;
  const controller = new ProjectorController({
    screen, report, ...(config.display !== undefined ? { want: config.display } : {}),
    createWindow: (bounds) => new BrowserWindow({
      ...bounds, show: false, frame: false, backgroundColor: '#000000', autoHideMenuBar: true, title: 'Synesthete projector',
      webPreferences: { backgroundThrottling: false, contextIsolation: true, sandbox: true, nodeIntegration: false },
    }),
  });
  const window = controller.start() as BrowserWindow;
  const contents = window.webContents;
  contents.on('before-input-event', (event, input) => {
    if (controller.key(input)) event.preventDefault();
  });
  contents.on('dom-ready', () => { void contents.insertCSS(NO_CURSOR); });
  contents.on('did-fail-load', (_event, _code, description, _url, isMainFrame) => {
    if (!isMainFrame) return;
    report({ type: 'note', message: `the projector page did not load (${description}); trying again` });
    setTimeout(() => { if (!window.isDestroyed()) void window.loadURL(url); }, RELOAD_MS);
  });
  // the page loads from our own show; nothing else opens in the projector
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, target) => { if (new URL(target).origin !== new URL(url).origin) event.preventDefault(); });
  window.once('ready-to-show', () => controller.ready());
  screen.on('display-added', () => controller.displaysChanged());
  screen.on('display-removed', () => controller.displaysChanged());
  screen.on('display-metrics-changed', () => controller.displaysChanged());
  window.on('closed', () => app.quit());
  void window.loadURL(url);
}, (e: unknown) => {
  report({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  app.exit(1);
});
