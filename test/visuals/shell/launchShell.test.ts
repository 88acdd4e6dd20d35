import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_ENV, electronBinary, listDisplays, openProjector } from '../../../visuals/shell/launchShell.js';
import type { ShellReport } from '../../../visuals/shell/projectorController.js';
import { fakeElectron } from '../../helpers/fakeElectron.js';
import { tempDir } from '../../helpers/fixtures.js';

const lines = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('launchShell: the CLI\'s side of the Electron shell (a stand-in binary where Electron is absent)', () => {
  // a page for the stand-in to load, as the projector window loads /output
  const server = createServer((_req, res) => res.end('<html>projector</html>'));
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/output?token=abc12345`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('finds the binary from $SYNESTHETE_ELECTRON, and none when that file is missing', () => {
    const { path } = fakeElectron();
    expect(electronBinary({ [ELECTRON_ENV]: path })).toBe(path);
    expect(electronBinary({ [ELECTRON_ENV]: join(tempDir(), 'missing') })).toBeUndefined();
  });

  it('lists the displays from the shell\'s report, ignoring Chromium\'s own output', async () => {
    const fake = fakeElectron();
    const displays = await listDisplays(fake.path);
    expect(displays.map((d) => d.label)).toEqual(['Built-in', 'Fake projector']);
    expect(lines(fake.log)).toEqual(['config {"mode":"list"}']);
  });

  it('turns a shell that cannot start into one line with its last words', async () => {
    await expect(listDisplays(fakeElectron('crash').path)).rejects.toThrow('Electron could not list the displays (Missing X server or $DISPLAY)');
    await expect(listDisplays(join(tempDir(), 'missing'))).rejects.toThrow(/^cannot start Electron \(spawn .* ENOENT\)$/);
  });

  it('opens the projector on the URL (token in the environment, not argv), passes its reports on, and ends it on dispose', async () => {
    const fake = fakeElectron();
    const reports: ShellReport[] = [];
    const exits: Array<string | undefined> = [];
    const shell = openProjector(fake.path, { url, display: 'fake', onReport: (r) => reports.push(r), onExit: (why) => exits.push(why) });
    await expect.poll(() => reports).toEqual([{ type: 'shown', display: 2, label: 'Fake projector', fullScreen: true }]);
    expect(lines(fake.log).slice(0, 2)).toEqual([`config {"mode":"projector","url":"${url}","display":"fake"}`, 'loaded 200']);
    await shell.dispose();
    await shell.dispose();
    expect(lines(fake.log).at(-1)).toBe('terminated');
    expect(exits).toEqual([]);
  });

  it('says when the window went away by itself: closed (Ctrl+Q) or failed', async () => {
    const closed: Array<string | undefined> = [];
    const a = openProjector(fakeElectron('close').path, { url, onReport: () => undefined, onExit: (why) => closed.push(why) });
    await expect.poll(() => closed).toEqual([undefined]);
    await a.dispose();
    const failed: Array<string | undefined> = [];
    const b = openProjector(fakeElectron('crash').path, { url, onReport: () => undefined, onExit: (why) => failed.push(why) });
    await expect.poll(() => failed).toEqual(['Missing X server or $DISPLAY']);
    await b.dispose();
  });
});
