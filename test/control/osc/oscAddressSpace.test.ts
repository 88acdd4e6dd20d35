import { describe, expect, it } from 'vitest';
import { type OscArg, feedbackMessages, oscAddress, readOscMessage } from '../../../control/osc/oscAddressSpace.js';
import { decodePacket, encodeMessage } from '../../../control/osc/oscCodec.js';
import { PARAMETERS, parameter } from '../../../control/protocol/parameters.js';
import type { EngineState } from '../../../control/protocol/state.js';
import { defaultVisuals } from '../../../control/protocol/visualState.js';

const f = (value: number): OscArg => ({ type: 'f', value });
const i = (value: number): OscArg => ({ type: 'i', value });
const s = (value: string): OscArg => ({ type: 's', value });
const T: OscArg = { type: 'T', value: true };
const F: OscArg = { type: 'F', value: false };
const command = (address: string, ...args: OscArg[]) => {
  const r = readOscMessage(address, args);
  return r.kind === 'command' ? r.command : r;
};

describe('OSC address space', () => {
  it('has one address per parameter, dots as slashes', () => {
    expect(PARAMETERS.map(oscAddress)).toContain('/synesthete/prompt/audio');
    expect(oscAddress(parameter('imprint.strength'))).toBe('/synesthete/imprint/strength');
    expect(new Set(PARAMETERS.map(oscAddress)).size).toBe(PARAMETERS.length);
  });

  it('coerces what controllers send: TouchOSC floats, Max ints and symbols, booleans in every spelling', () => {
    expect(command('/synesthete/gain', f(0.5))).toEqual({ type: 'gain', value: 0.5 });
    // a float32 0.2 is 0.20000000298023224: read as the 0.2 that was meant
    expect(command('/synesthete/gain', f(Math.fround(0.2)))).toEqual({ type: 'gain', value: 0.2 });
    expect(command('/synesthete/tempo', f(Math.fround(123.456)))).toEqual({ type: 'tempo', bpm: 123.456 });
    expect(command('/synesthete/gain', i(1))).toEqual({ type: 'gain', value: 1 });
    expect(command('/synesthete/tempo', s('128.5'))).toEqual({ type: 'tempo', bpm: 128.5 });
    expect(command('/synesthete/seed', f(42))).toEqual({ type: 'seed', value: 42 });
    expect(command('/synesthete/seed', { type: 'h', value: 3_000_000_000n })).toEqual({ type: 'seed', value: 3_000_000_000 });
    for (const [arg, on] of [[T, true], [F, false], [i(1), true], [i(0), false], [f(1), true], [f(0), false], [s('on'), true], [s('false'), false]] as const) {
      expect(command('/synesthete/freeze', arg)).toEqual({ type: 'freeze', on });
    }
    expect(command('/synesthete/prompt/audio', s('steady beat'))).toEqual({ type: 'prompt', model: 'audio', text: 'steady beat' });
    expect(command('/synesthete/imprint/strength', f(0.25))).toEqual({ type: 'imprint', strength: 0.25 });
  });

  it('takes enum values by name or 0-based index', () => {
    expect(command('/synesthete/quantize', s('beat'))).toEqual({ type: 'quantize', value: 'beat' });
    expect(command('/synesthete/quantize', i(0))).toEqual({ type: 'quantize', value: 'now' });
    expect(command('/synesthete/source', f(1))).toEqual({ type: 'source', name: 'images' });
    expect(readOscMessage('/synesthete/quantize', [i(6)])).toEqual({ kind: 'refused', reason: '/synesthete/quantize: expects one of now, beat, bar, 2bars, 4bars, segment or its index 0–5 (got i 6)' });
  });

  it('reaches the projector: blackout, the look and every effect input have their own address', () => {
    expect(command('/synesthete/blackout', T)).toEqual({ type: 'blackout', on: true });
    expect(command('/synesthete/blackout', i(0))).toEqual({ type: 'blackout', on: false });
    expect(command('/synesthete/look', i(1))).toEqual({ type: 'look', name: 'frame' });
    expect(command('/synesthete/visual/saturation', f(1.5))).toEqual({ type: 'visual', name: 'saturation', value: 1.5 });
    expect(command('/synesthete/visual/colormap', s('fire'))).toEqual({ type: 'visual', name: 'colormap', value: 'fire' });
    expect(command('/synesthete/visual/kaleidoscope', i(6))).toEqual({ type: 'visual', name: 'kaleidoscope', value: 6 });
    expect(readOscMessage('/synesthete/visual/saturation', [f(7)])).toEqual({ kind: 'refused', reason: '/synesthete/visual/saturation: must be at most 4 (got 7)' });
  });

  it('fires triggers with no argument or a press, and ignores a button release', () => {
    expect(command('/synesthete/tap')).toEqual({ type: 'tap' });
    expect(command('/synesthete/resync', f(1))).toEqual({ type: 'resync' });
    expect(readOscMessage('/synesthete/tap', [f(0)])).toEqual({ kind: 'ignore' });
  });

  it('refuses with one line naming the address', () => {
    const reason = (address: string, ...args: OscArg[]) => {
      const r = readOscMessage(address, args);
      return r.kind === 'refused' ? r.reason : `not refused: ${JSON.stringify(r)}`;
    };
    expect(reason('/synesthete/gain', f(7))).toBe('/synesthete/gain: must be at most 1 (got 7)');
    expect(reason('/synesthete/gain', f(Number.NaN))).toBe('/synesthete/gain: must be a finite number (got NaN)');
    expect(reason('/synesthete/gain', f(Number.POSITIVE_INFINITY))).toMatch(/^\/synesthete\/gain: .*(finite|at most)/);
    expect(reason('/synesthete/gain')).toBe('/synesthete/gain: takes one f argument (got 0)');
    expect(reason('/synesthete/gain', s('loud'))).toBe('/synesthete/gain: expects a number (got s "loud")');
    expect(reason('/synesthete/seed', f(1.5))).toBe('/synesthete/seed: must be a whole number (got 1.5)');
    expect(reason('/synesthete/freeze', f(0.5))).toBe('/synesthete/freeze: expects T or F, 0 or 1 (got f 0.5)');
    expect(reason('/synesthete/prompt/audio', i(3))).toBe('/synesthete/prompt/audio: expects a string (got i 3)');
    expect(reason('/synesthete/prompt/audio', s('   '))).toBe('/synesthete/prompt/audio: must not be blank');
    expect(reason('/synesthete/prompt/audio', s('x'.repeat(501)))).toBe('/synesthete/prompt/audio: must be at most 500 characters long (got 501)');
    expect(reason('/synesthete/volume', f(1))).toMatch(/^"\/synesthete\/volume": unknown address/);
    expect(reason('/synesthete/\u001b[2J')).toMatch(/^"\/synesthete\/\\\\u\{1b\}\[2J": unknown address/);
    expect(reason('/synesthete/subscribe', s('x'))).toMatch(/^\/synesthete\/subscribe: takes no argument .* or a port/);
  });

  it('reads subscribe with or without a port', () => {
    expect(readOscMessage('/synesthete/subscribe', [])).toEqual({ kind: 'subscribe' });
    expect(readOscMessage('/synesthete/subscribe', [i(9001)])).toEqual({ kind: 'subscribe', port: 9001 });
    expect(readOscMessage('/synesthete/unsubscribe', [f(9001)])).toEqual({ kind: 'unsubscribe', port: 9001 });
  });

  it('turns state into feedback on the same addresses, with bar, beat, segment and seconds ahead', () => {
    const state = {
      frame: 0, nowPlaying: { segmentId: 7 }, queueLength: 1, prompts: { audio: 'rain', picture: null }, guidance: { audio: 7.5, picture: null },
      tempoBpm: 120, seed: 3, mix: 0.5, source: 'imprint', preset: null, imprint: { text: 'hi', strength: 0.4 },
      transport: { bpm: 120, beatsPerBar: 4, bar: 5, beat: 3, phase: 0.2, clockSource: 'internal', quantize: 'bar' },
      instant: { gain: 0.8, filter: 0, freeze: true }, health: { aheadSeconds: 4.5 },
      visuals: { look: 'frame', blackout: true, effects: { ...defaultVisuals().effects, saturation: 2.5, colormap: 'ice', kaleidoscope: 6 } },
    } as unknown as EngineState;
    const byAddress = Object.fromEntries(feedbackMessages(state).map((m) => [m.address, m.args.map((a) => `${a.type} ${a.value}`).join(' ')]));
    expect(byAddress).toEqual({
      '/synesthete/prompt/audio': 's rain', '/synesthete/seed': 'i 3', '/synesthete/mix': 'f 0.5', '/synesthete/guidance/audio': 'f 7.5',
      '/synesthete/source': 's imprint', '/synesthete/imprint/text': 's hi', '/synesthete/imprint/strength': 'f 0.4',
      '/synesthete/tempo': 'f 120', '/synesthete/meter': 'i 4', '/synesthete/quantize': 's bar',
      '/synesthete/gain': 'f 0.8', '/synesthete/filter': 'f 0', '/synesthete/freeze': 'i 1',
      '/synesthete/look': 's frame', '/synesthete/blackout': 'i 1',
      '/synesthete/visual/saturation': 'f 2.5', '/synesthete/visual/colormap': 's ice', '/synesthete/visual/brightness': 'f 0',
      '/synesthete/visual/contrast': 'f 1', '/synesthete/visual/zoom': 'f 1', '/synesthete/visual/speed': 'f 1',
      '/synesthete/visual/mirror': 's off', '/synesthete/visual/kaleidoscope': 'i 6', '/synesthete/visual/trails': 'f 0',
      '/synesthete/visual/pulse': 'f 0', '/synesthete/visual/strobe': 'f 0', '/synesthete/visual/bars': 'f 0.25',
      '/synesthete/state/bar': 'i 5', '/synesthete/state/beat': 'i 3', '/synesthete/state/segment': 'i 7', '/synesthete/state/ahead': 'f 4.5',
    });
  });
});

describe('OSC codec', () => {
  it('round-trips UTF-8 strings, floats and big seeds, and flattens bundles in order', () => {
    const packet = encodeMessage({ address: '/synesthete/prompt/audio', args: [{ type: 's', value: 'pluie sur la mer, été 🌊' }, { type: 'f', value: 0.5 }, { type: 'i', value: 4_000_000_000 }] });
    const decoded = decodePacket(packet);
    expect(decoded).toEqual({ ok: true, messages: [{ address: '/synesthete/prompt/audio', args: [{ type: 's', value: 'pluie sur la mer, été 🌊' }, { type: 'f', value: 0.5 }, { type: 'd', value: 4_000_000_000 }] }] });
  });

  it('reports a malformed packet in one line and never throws', () => {
    expect(decodePacket(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty packet' });
    const r = decodePacket(new Uint8Array([1, 2, 3]));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^malformed OSC packet \(3 bytes\): /);
  });

  it('is stricter than osc-js: a cut-off string, a lying bundle or trailing bytes are malformed', () => {
    const whole = encodeMessage({ address: '/synesthete/quantize', args: [{ type: 's', value: 'beat' }] });
    // cut just before the string's terminator: osc-js alone would read "beat"
    expect(decodePacket(whole.slice(0, whole.length - 4))).toEqual({ ok: false, reason: 'malformed OSC packet (32 bytes): the arguments are cut off' });
    expect(decodePacket(Uint8Array.from([...whole, 0, 0, 0, 0]))).toEqual({ ok: false, reason: 'malformed OSC packet (40 bytes): 4 bytes after the arguments' });
    const bundle = Uint8Array.from([...Buffer.from('#bundle\0'), 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, ...whole]);
    expect(decodePacket(bundle)).toEqual({ ok: false, reason: 'malformed OSC packet (56 bytes): a bundle element claims 256 bytes, which do not fit' });
    expect(decodePacket(Buffer.from('/synesthete/gain'))).toEqual({ ok: false, reason: 'malformed OSC packet (16 bytes): the address is not terminated' });
  });
});
