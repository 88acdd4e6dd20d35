import { describe, expect, it } from 'vitest';
import { checkAccess, hostName } from '../../../control/ws/webAccess.js';

const local = { bind: '127.0.0.1', token: null, viewToken: null };
const lan = { bind: '0.0.0.0', token: 'T0KEN', viewToken: 'V1EW', hostNames: ['stage-laptop', 'stage-laptop.local'] };

describe('checkAccess: who may use the web port', () => {
  it('lets this machine in without a token when bound to localhost', () => {
    expect(checkAccess({ host: '127.0.0.1:8420' }, local)).toEqual({ ok: true, role: 'control' });
    expect(checkAccess({ host: 'localhost:8420', origin: 'http://localhost:8420' }, local)).toEqual({ ok: true, role: 'control' });
    expect(checkAccess({ host: '[::1]:8420' }, local)).toEqual({ ok: true, role: 'control' });
  });

  it('refuses a DNS-rebinding Host (a name that is not this machine)', () => {
    const r = checkAccess({ host: 'attacker.example:8420' }, local);
    expect(r).toMatchObject({ ok: false, status: 421 });
    expect(checkAccess({ host: 'attacker.example:8420', token: 'T0KEN' }, lan)).toMatchObject({ ok: false, status: 421 });
    // bound to localhost, even another IP is not this server
    expect(checkAccess({ host: '192.168.1.5:8420' }, local)).toMatchObject({ ok: false, status: 421 });
    expect(checkAccess({}, local)).toMatchObject({ ok: false, status: 421 });
    expect(checkAccess({ host: 'bad host!' }, local)).toMatchObject({ ok: false, status: 421 });
  });

  it('refuses a WebSocket or fetch from another origin (cross-site WebSocket hijacking)', () => {
    expect(checkAccess({ host: '127.0.0.1:8420', origin: 'https://evil.example' }, local)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ host: '127.0.0.1:8420', origin: 'http://127.0.0.1:9999' }, local)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ host: '127.0.0.1:8420', origin: 'null' }, local)).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess({ host: '127.0.0.1:8420', secFetchSite: 'cross-site', secFetchMode: 'no-cors' }, local)).toMatchObject({ ok: false, status: 403 });
    // following a link to the page from elsewhere is a navigation: allowed (the page itself steers nothing)
    expect(checkAccess({ host: '127.0.0.1:8420', secFetchSite: 'cross-site', secFetchMode: 'navigate' }, local)).toEqual({ ok: true, role: 'control' });
  });

  it('beyond localhost: the token steers, the view token watches, nothing else gets in', () => {
    expect(checkAccess({ host: '192.168.1.5:8420' }, lan)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ host: '192.168.1.5:8420', token: 'nope' }, lan)).toMatchObject({ ok: false, status: 401, reason: 'wrong token' });
    expect(checkAccess({ host: '192.168.1.5:8420', token: 'T0KEN' }, lan)).toEqual({ ok: true, role: 'control' });
    expect(checkAccess({ host: 'stage-laptop.local:8420', authorization: 'Bearer T0KEN' }, lan)).toEqual({ ok: true, role: 'control' });
    expect(checkAccess({ host: '192.168.1.5:8420', token: 'V1EW' }, lan)).toEqual({ ok: true, role: 'view' });
    // even on the machine itself when bound wide: a token was printed, it is needed
    expect(checkAccess({ host: '127.0.0.1:8420' }, lan)).toMatchObject({ ok: false, status: 401 });
    // the static assets are code, not the show: no token needed, Host and Origin still checked
    expect(checkAccess({ host: '192.168.1.5:8420' }, lan, false)).toEqual({ ok: true, role: 'control' });
    expect(checkAccess({ host: 'evil.example' }, lan, false)).toMatchObject({ ok: false, status: 421 });
  });

  it('a given --token is needed even on localhost', () => {
    const policy = { bind: '127.0.0.1', token: 'abc', viewToken: null };
    expect(checkAccess({ host: '127.0.0.1:8420' }, policy)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess({ host: '127.0.0.1:8420', token: 'abc' }, policy)).toEqual({ ok: true, role: 'control' });
  });

  it('reads Host headers', () => {
    expect(hostName('LocalHost:80')).toBe('localhost');
    expect(hostName('[::1]')).toBe('::1');
    expect(hostName('a'.repeat(300))).toBeNull();
    expect(hostName('a b')).toBeNull();
  });
});
