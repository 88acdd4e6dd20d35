import { spawn } from 'node:child_process';

/**
 * The system's "open this URL" command. Windows goes through url.dll rather than `cmd /c start`,
 * which would cut the URL at its first `&` (the token is a query parameter).
 *
 * @example
 * browserCommand('linux', 'http://127.0.0.1:8420/output') // { command: 'xdg-open', args: ['http://127.0.0.1:8420/output'] }
 */
export function browserCommand(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  switch (platform) {
    case 'darwin': return { command: 'open', args: [url] };
    case 'win32': return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
    default: return { command: 'xdg-open', args: [url] };
  }
}

/**
 * Opens `url` in the system browser. Resolves with what went wrong (one line, for a warning that
 * gives the URL to open by hand), or undefined when the opener ran and succeeded.
 */
export function openInBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const { command, args } = browserCommand(platform, url);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: platform !== 'win32' });
    child.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ENOENT' ? `${command} was not found` : `${command} failed (${e.message})`));
    child.on('exit', (code) => resolve(code === 0 ? undefined : `${command} exited with code ${code}`));
    child.unref();
  });
}
