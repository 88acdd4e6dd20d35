import { createSocket } from 'node:dgram';
import { describe, expect, it, vi } from 'vitest';
import type { ShowLink } from '../../../control/protocol/surface.js';
import { oscSurfaces } from '../../../engine/cli/oscOptions.js';

const link: ShowLink = { command: () => ({ ok: true }), state: () => { throw new Error('unused'); }, clock: () => ({ frame: 0, sampleRate: 44100 }), subscribe: () => () => {}, warn: () => {} };

describe('OSC flags', () => {
  it('start no OSC for a file rendered as fast as possible, or with --no-osc', () => {
    expect(oscSurfaces({}, false)).toEqual([]);
    expect(oscSurfaces({ osc: false }, true)).toEqual([]);
    expect(oscSurfaces({ oscPort: '9100' }, false)).toHaveLength(1);
  });

  it('play without OSC, with a warning, when the default port is taken; a port asked for is an error', async () => {
    // a port in use, standing in for 9000 taken by another program
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    const port = holder.address().port;
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const surface = await oscSurfaces({}, true, port)[0]!(link);
      expect(surface.description).toBe('');
      expect(write).toHaveBeenCalledWith(`synesthete: warning: OSC on 127.0.0.1:${port}: the port is in use (another show? choose --osc-port N, or --no-osc); OSC is off for this show\n`);
      await expect(oscSurfaces({ oscPort: String(port) }, true)[0]!(link)).rejects.toThrow('the port is in use');
    } finally {
      write.mockRestore();
      holder.close();
    }
  });

  it('warn when bound beyond this machine with nobody allowed', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      oscSurfaces({ bind: '0.0.0.0', oscPort: '9100' }, true);
      expect(write).toHaveBeenCalledWith(expect.stringContaining('OSC listens on 0.0.0.0 but accepts only this machine: add --osc-allow'));
    } finally {
      write.mockRestore();
    }
  });
});
