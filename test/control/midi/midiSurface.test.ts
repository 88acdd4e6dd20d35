import { describe, expect, it } from 'vitest';
import type { Command } from '../../../control/protocol/index.js';
import { FakeMidiBackend } from '../../../control/midi/fakeMidiBackend.js';
import { MidiClock } from '../../../control/midi/midiClock.js';
import { MidiConnection } from '../../../control/midi/midiConnection.js';
import { MidiSurface } from '../../../control/midi/midiSurface.js';
import { parseMappingFile } from '../../../control/mapping/mappingFile.js';
import type { MidiMessage } from '../../../control/mapping/midiMessage.js';
import { LiveEngine } from '../../../engine/live/liveEngine.js';
import { InlineHost } from '../../../engine/live/playback/inlineHost.js';
import { CollectingSink, VersionSource } from '../../helpers/liveFakes.js';

const PORT = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0';
const cc = (controller: number, value: number): MidiMessage => ({ type: 'cc', channel: 0, controller, value });
const pad = (note: number, velocity = 127): MidiMessage => ({ type: 'noteon', channel: 0, note, velocity });

const FILE = `
device: nanoKONTROL2
programChange: [waltz, drone]
mappings:
  - { parameter: gain, cc: 0, takeover: jump }
  - { parameter: filter, cc: 1, takeover: pickup }
  - { parameter: quantize, cc: 2, takeover: jump }
  - { parameter: freeze, note: 41 }
  - { parameter: tap, note: 42 }
`;

/** A real show engine (not running: commands apply to its state at once), a fake MIDI device, the surface between. */
function rig() {
  const file = parseMappingFile(FILE, 'nano.yaml');
  if (!file.ok) throw new Error(file.reason);
  const engine = new LiveEngine({ host: new InlineHost({ sink: new CollectingSink(50), offline: true, crossfadeFrames: 10 }), source: 'imprint', openSource: async () => new VersionSource(), tempoBpm: 120 });
  const accepted: { command: Command; surface: string }[] = [];
  engine.events.subscribe((e) => { if (e.type === 'command-accepted') accepted.push({ command: e.command, surface: e.surface }); });
  const backend = new FakeMidiBackend();
  backend.plug(PORT);
  const reports: string[] = [];
  const clock = new MidiClock();
  let connection: MidiConnection;
  const surface = new MidiSurface({
    mappings: file.file.mappings, programChange: file.file.programChange, clock,
    submit: (c) => engine.command(c, 'midi'), readState: () => engine.state(),
    send: (m) => connection.send(m), report: (l) => reports.push(l),
  });
  connection = new MidiConnection({ backend, device: 'nanoKONTROL2', feedback: true, warn: (w) => reports.push(w), onMessage: (m, at) => surface.handle(connection.inputName!, m, at) });
  connection.poll();
  engine.events.subscribe((e) => surface.observe(e));
  return { engine, backend, surface, accepted, reports, clock };
}

describe('the MIDI surface on a show', () => {
  it('knobs, pads and program changes become commands from surface midi', () => {
    const { engine, backend, accepted } = rig();
    backend.play(PORT, cc(0, 0));
    expect(engine.state().instant.gain).toBe(0);
    backend.play(PORT, cc(2, 127));
    expect(engine.state().transport.quantize).toBe('segment');
    backend.play(PORT, pad(41));
    backend.play(PORT, { type: 'noteoff', channel: 0, note: 41, velocity: 0 });
    expect(engine.state().instant.freeze).toBe(true);
    backend.play(PORT, pad(41));
    expect(engine.state().instant.freeze).toBe(false);
    backend.play(PORT, pad(42));
    expect(accepted.map((a) => a.command.type)).toEqual(['gain', 'quantize', 'freeze', 'freeze', 'tap']);
    expect(new Set(accepted.map((a) => a.surface))).toEqual(new Set(['midi']));
  });

  it('a program change selects a preset by its place in the list; one past the list does nothing', () => {
    const { backend, accepted } = rig();
    backend.play(PORT, { type: 'program', channel: 0, number: 1 });
    backend.play(PORT, { type: 'program', channel: 0, number: 2 });
    expect(accepted).toEqual([{ command: { type: 'preset', name: 'drone' }, surface: 'midi' }]);
  });

  it('a command the show refuses is reported in one line', () => {
    const reports: string[] = [];
    const { engine } = rig();
    const surface = new MidiSurface({
      mappings: [], programChange: ['waltz'], readState: () => engine.state(), report: (l) => reports.push(l),
      submit: () => ({ ok: false, reason: 'preset: no preset "waltz" in presets/' }),
    });
    surface.handle(PORT, { type: 'program', channel: 0, number: 0 }, 0);
    expect(reports).toEqual(['MIDI: preset: no preset "waltz" in presets/']);
  });

  it('pick-up: after another surface moves the filter, the knob waits until it crosses', () => {
    const { engine, backend } = rig();
    backend.play(PORT, cc(1, 64));
    expect(engine.state().instant.filter).toBeCloseTo(1 / 127, 9);
    engine.command({ type: 'filter', value: 0.8 }, 'osc');
    backend.play(PORT, cc(1, 70));
    backend.play(PORT, cc(1, 80));
    expect(engine.state().instant.filter).toBe(0.8);
    backend.play(PORT, cc(1, 127));
    expect(engine.state().instant.filter).toBe(1);
  });

  it('LED feedback: changes from other surfaces go to the controller, the knob\'s own value does not come back', () => {
    const { engine, backend, surface } = rig();
    backend.play(PORT, cc(0, 100));
    surface.pump(0);
    expect(backend.sent(PORT).filter((m) => m.type === 'cc' && m.controller === 0)).toEqual([]);
    engine.command({ type: 'gain', value: 0.5 }, 'web');
    engine.command({ type: 'freeze', on: true }, 'web');
    surface.pump(100);
    expect(backend.sent(PORT)).toContainEqual(cc(0, 64));
    expect(backend.sent(PORT)).toContainEqual(pad(41));
  });

  it('MIDI learn: arm, move a knob, the knob drives the parameter from then on', () => {
    const { engine, backend, surface, reports } = rig();
    expect(surface.armLearn('mix')).toBeNull();
    backend.play(PORT, cc(7, 10));
    expect(engine.state().mix).toBe(0.5); // the learning move itself changes nothing
    expect(reports).toEqual(['MIDI learn: cc 7 on channel 0 now drives mix']);
    backend.play(PORT, cc(7, 64)); // pick-up: at the value (0.5 ≈ 64/127)
    backend.play(PORT, cc(7, 127));
    expect(engine.state().mix).toBe(1);
    expect(surface.armLearn('prompt.audio')).toBe('"prompt.audio" is text and cannot be driven by a MIDI control');
  });

  it('MIDI clock ticks reach the clock the show follows', () => {
    const { backend, clock } = rig();
    backend.play(PORT, { type: 'start' }, 0);
    for (let i = 0; i < 48; i++) backend.play(PORT, { type: 'clock' }, i * (500 / 24));
    expect(clock.bpm).toBeCloseTo(120, 9);
  });
});
