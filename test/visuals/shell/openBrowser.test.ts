import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserCommand, openInBrowser } from '../../../visuals/shell/openBrowser.js';
import { tempDir } from '../../helpers/fixtures.js';

const URL_WITH_TOKEN = 'http://127.0.0.1:8420/output?token=a1b2&x=1';

describe('browserCommand', () => {
  it('uses each system\'s opener, with the whole URL as one argument', () => {
    expect(browserCommand('linux', URL_WITH_TOKEN)).toEqual({ command: 'xdg-open', args: [URL_WITH_TOKEN] });
    expect(browserCommand('freebsd', URL_WITH_TOKEN)).toEqual({ command: 'xdg-open', args: [URL_WITH_TOKEN] });
    expect(browserCommand('darwin', URL_WITH_TOKEN)).toEqual({ command: 'open', args: [URL_WITH_TOKEN] });
    // not `cmd /c start`, which would end the URL at its `&`
    expect(browserCommand('win32', URL_WITH_TOKEN)).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', URL_WITH_TOKEN] });
  });
});

describe('openInBrowser', () => {
  const path = process.env.PATH;
  afterEach(() => { process.env.PATH = path; });

  it('runs the system opener with the URL and reports success', async () => {
    // an xdg-open of our own on PATH stands in for the desktop's: it records what it was given
    const bin = tempDir();
    const record = join(bin, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    process.env.PATH = `${bin}:${path}`;
    expect(await openInBrowser(URL_WITH_TOKEN, 'linux')).toBeUndefined();
    await expect.poll(() => existsSync(record) && readFileSync(record, 'utf8')).toBe(URL_WITH_TOKEN);
  });

  it('says in one line why it could not open, so the caller prints the URL instead', async () => {
    const bin = tempDir();
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(bin, 'xdg-open'), 0o755);
    process.env.PATH = bin;
    expect(await openInBrowser(URL_WITH_TOKEN, 'linux')).toBe('xdg-open exited with code 3');
    process.env.PATH = tempDir();
    expect(await openInBrowser(URL_WITH_TOKEN, 'linux')).toBe('xdg-open was not found');
  });
});
