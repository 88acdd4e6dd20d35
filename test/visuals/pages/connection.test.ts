import { describe, expect, it } from 'vitest';
import { socketUrl, withToken } from '../../../visuals/pages/connection.js';

describe('the projector page passes its token on', () => {
  it('to the WebSocket on the same host (wss behind https)', () => {
    expect(socketUrl({ protocol: 'http:', host: '192.168.1.20:8420', search: '?token=a%20b&pixelRatio=1' })).toBe('ws://192.168.1.20:8420/ws?token=a%20b');
    expect(socketUrl({ protocol: 'https:', host: 'show.local', search: '' })).toBe('wss://show.local/ws');
  });

  it('to every segment picture it fetches', () => {
    expect(withToken('/segments/7.png', '?token=xyz')).toBe('/segments/7.png?token=xyz');
    expect(withToken('/segments/7.png?v=2', '?token=xyz')).toBe('/segments/7.png?v=2&token=xyz');
    expect(withToken('/segments/7.png', '?pixelRatio=1')).toBe('/segments/7.png');
  });
});
