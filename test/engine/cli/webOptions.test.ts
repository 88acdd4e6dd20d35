import { afterEach, describe, expect, it } from 'vitest';
import type { ShowLink } from '../../../control/protocol/surface.js';
import { WebServer } from '../../../control/ws/webServer.js';
import { announceWeb, presetNames, webSurfaces } from '../../../engine/cli/webOptions.js';

const link: ShowLink = {
  command: () => ({ ok: true }), state: () => { throw new Error('unused'); }, clock: () => ({ frame: 0, sampleRate: 44100 }),
  subscribe: () => () => {}, warn: () => {},
};

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('the web flags', () => {
  it('start no web port for a file rendered as fast as possible, unless --web-port asks', () => {
    expect(webSurfaces({}, false)).toHaveLength(0);
    expect(webSurfaces({ webPort: '8421' }, false)).toHaveLength(1);
    expect(webSurfaces({ web: false }, true)).toHaveLength(0);
    expect(webSurfaces({}, true)).toHaveLength(1);
  });

  it('a bind beyond this machine always gets a token (generated when not given)', async () => {
    const [start] = webSurfaces({ bind: '0.0.0.0' }, true, 0);
    const web = await start!(link) as WebServer;
    cleanup.push(() => web.dispose());
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{24}$/);
    expect((await fetch(web.url.replace(/\?.*/, ''))).status).toBe(401);
    expect((await fetch(web.url)).status).toBe(200);
    expect(web.outputUrl).toMatch(/\/output\?token=/);
  });

  it('lists the bundled presets (and a folder of the performer\'s) for the page\'s buttons', () => {
    const names = presetNames(undefined);
    expect(names).toContain('tiny');
    expect(names).toContain('waltz-princess');
    expect(presetNames('/no/such/folder')).toEqual(names);
  });

  it('prints the address a phone can reach and its QR code when bound beyond this machine', async () => {
    const web = await WebServer.open(link, { port: 0, bind: '127.0.0.1', token: 'token-for-the-phone' });
    cleanup.push(() => web.dispose());
    const lines: string[] = [];
    await announceWeb([web], '192.168.1.5', (l) => lines.push(l));
    expect(lines[0]).toBe(`on a phone or tablet on this network: http://192.168.1.5:${web.port}/?token=token-for-the-phone`);
    expect(lines[1]).toMatch(/[▀▄█]/);
    expect(lines[1]!.split('\n').length).toBeGreaterThan(10);
    // bound to this machine only: nothing to scan
    const quiet: string[] = [];
    await announceWeb([web], undefined, (l) => quiet.push(l));
    expect(quiet).toEqual([]);
  });
});
