import { describe, expect, it } from 'vitest';
import { pageToken, reconnectDelayMs, socketUrl, withToken } from '../../../control/page/pageUrls.js';

describe('page URLs', () => {
  it('passes the page token on to the socket and the pictures', () => {
    const token = pageToken('?token=a%2Fb&x=1');
    expect(token).toBe('a/b');
    expect(socketUrl('http:', '192.168.1.5:8420', token)).toBe('ws://192.168.1.5:8420/ws?token=a%2Fb');
    expect(withToken('/segments/3.png', token)).toBe('/segments/3.png?token=a%2Fb');
    expect(withToken('/segments/3.png?v=1', token)).toBe('/segments/3.png?v=1&token=a%2Fb');
  });
  it('adds nothing without a token and goes secure from an https page', () => {
    expect(pageToken('')).toBeNull();
    expect(pageToken('?token=')).toBeNull();
    expect(socketUrl('https:', 'show.local', null)).toBe('wss://show.local/ws');
    expect(withToken('/segments/1.png', null)).toBe('/segments/1.png');
  });
  it('backs off from a quarter second to four seconds', () => {
    expect([0, 1, 2, 3, 4, 10].map(reconnectDelayMs)).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });
});
