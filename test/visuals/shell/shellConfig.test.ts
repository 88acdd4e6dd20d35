import { describe, expect, it } from 'vitest';
import { SHELL_ENV, parseShellConfig, shellLaunch } from '../../../visuals/shell/shellConfig.js';

describe('the shell launch (CLI -> Electron)', () => {
  it('runs the main script in Electron with the instructions in the environment, never the token in argv', () => {
    const launch = shellLaunch({ electron: '/opt/electron', main: '/app/dist/visuals/shell/main.js', config: { mode: 'projector', url: 'http://127.0.0.1:8420/output?token=s3cret', display: '2' }, uid: 1000 });
    expect(launch.command).toBe('/opt/electron');
    expect(launch.args).toEqual(['/app/dist/visuals/shell/main.js']);
    expect(launch.args.join(' ')).not.toContain('s3cret');
    expect(parseShellConfig(launch.env[SHELL_ENV])).toEqual({ mode: 'projector', url: 'http://127.0.0.1:8420/output?token=s3cret', display: '2' });
  });

  it('adds --no-sandbox for root only (Chromium refuses to start as root otherwise)', () => {
    expect(shellLaunch({ electron: 'e', main: 'm', config: { mode: 'list' }, uid: 0 }).args).toEqual(['m', '--no-sandbox']);
    expect(shellLaunch({ electron: 'e', main: 'm', config: { mode: 'list' }, uid: undefined }).args).toEqual(['m']);
  });

  it('keeps Electron on X11 where a Linux desktop has an X server (Wayland clients cannot pick their display)', () => {
    const base = { electron: 'e', main: 'm', config: { mode: 'list' as const }, uid: 1000 };
    expect(shellLaunch({ ...base, platform: 'linux', env: { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' } }).args).toEqual(['m', '--ozone-platform=x11']);
    expect(shellLaunch({ ...base, platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }).args).toEqual(['m']);
    expect(shellLaunch({ ...base, platform: 'darwin', env: { DISPLAY: ':0' } }).args).toEqual(['m']);
  });

  it('round-trips every config', () => {
    for (const config of [{ mode: 'list' as const }, { mode: 'projector' as const, url: 'https://show.local:8420/output' }]) {
      expect(parseShellConfig(shellLaunch({ electron: 'e', main: 'm', config, uid: 1 }).env[SHELL_ENV])).toEqual(config);
    }
  });

  it('refuses a bad config with one line naming the field', () => {
    expect(() => parseShellConfig(undefined)).toThrow(/^SYNESTHETE_SHELL is not set: start the shell with `synesthete perform --projector`/);
    expect(() => parseShellConfig('{')).toThrow('SYNESTHETE_SHELL: not JSON');
    expect(() => parseShellConfig('{"mode":"fly"}')).toThrow('SYNESTHETE_SHELL.mode: expected "list" or "projector"');
    expect(() => parseShellConfig('{"mode":"projector","url":"file:///etc/passwd"}')).toThrow('SYNESTHETE_SHELL.url: expected an http:// or https:// URL');
    expect(() => parseShellConfig('{"mode":"projector","url":"http://x/","display":2}')).toThrow('SYNESTHETE_SHELL.display: expected a string');
  });
});
