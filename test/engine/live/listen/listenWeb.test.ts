import { describe, expect, it } from 'vitest';
import type { ListenEvent } from '../../../../control/protocol/state.js';
import { FakeAudioInput } from '../../../helpers/fakeAudioInput.js';
import { startWebShow, WsClient } from '../../../helpers/webShow.js';

describe('listen events on the web port', () => {
  it('reach a WebSocket client as JSON events with their columns', async () => {
    const input = new FakeAudioInput();
    const web = await startWebShow({ show: { listen: { input } } });
    try {
      const client = await WsClient.connect(`${web.base.replace('http', 'ws')}/ws`, { origin: web.base });
      await client.next('hello');
      const n = 44100;
      const tone = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) tone[2 * i] = tone[2 * i + 1] = 0.3 * Math.sin((2 * Math.PI * 1000 * i) / 44100);
      input.feed(tone);
      const m = await client.next('event', (e) => e.event.type === 'listen' && (e.event as ListenEvent).firstColumn >= 50);
      const e = m.event as ListenEvent;
      expect(e).toMatchObject({ type: 'listen', height: 512, columnsPerSecond: 100 });
      const bytes = Buffer.from(e.columns, 'base64');
      expect(bytes.length).toBe(e.count * 512);
      expect(Math.min(...bytes)).toBeLessThan(10); // the tone's band, black
      expect(Math.max(...bytes)).toBeGreaterThan(240); // silence elsewhere, white
      client.ws.close();
    } finally {
      await web.dispose();
    }
    expect(input.closed).toBe(true);
  });
});
