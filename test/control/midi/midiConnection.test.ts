import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MidiUnavailableError, fromEasymidi, openEasymidiBackend } from '../../../control/midi/easymidiBackend.js';
import { FakeMidiBackend } from '../../../control/midi/fakeMidiBackend.js';
import { findPort, noSuchPort } from '../../../control/midi/midiBackend.js';
import { MidiConnection } from '../../../control/midi/midiConnection.js';
import { pollPorts, watchFor } from '../../../control/midi/portWatcher.js';
import type { MidiMessage } from '../../../control/mapping/midiMessage.js';

const NANO_24 = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 24:0';
const NANO_28 = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 28:0';
const knob: MidiMessage = { type: 'cc', channel: 0, controller: 1, value: 9 };

describe('finding ports', () => {
  it('prefers the same name without ALSA numbers, then a prefix', () => {
    const ports = ['Midi Through:Midi Through Port-0 14:0', NANO_28, 'nanoKONTROL Studio 32:0'];
    expect(findPort(ports, 'nanoKONTROL')).toBe(NANO_28);
    expect(findPort(ports, NANO_24)).toBe(NANO_28);
    expect(findPort(ports, 'nanoKONTROL Studio')).toBe('nanoKONTROL Studio 32:0');
    expect(findPort(ports, 'Launchpad')).toBeNull();
  });

  it('says what is connected when nothing matches', () => {
    expect(noSuchPort('Launchpad', [NANO_24])).toBe(`no MIDI input matches "Launchpad" (connected: "${NANO_24}")`);
    expect(noSuchPort('Launchpad', [])).toBe('no MIDI input matches "Launchpad": no MIDI inputs are connected');
  });
});

describe('pollPorts', () => {
  it('opens the port when it appears, closes it when it goes, reopens it under new numbers: one warning each way', () => {
    let w = watchFor('nanoKONTROL2');
    let s = pollPorts(w, []);
    expect(s).toEqual({ watch: w, actions: [] });
    s = pollPorts(w, [NANO_24]);
    expect(s.actions).toEqual([{ kind: 'open', port: NANO_24 }]);
    expect(s.warning).toBeUndefined();
    w = s.watch;
    expect(pollPorts(w, [NANO_24]).actions).toEqual([]);
    s = pollPorts(w, []);
    expect(s.actions).toEqual([{ kind: 'close', port: NANO_24 }]);
    expect(s.warning).toBe(`MIDI "${NANO_24}" disappeared; it will be reopened when it comes back`);
    w = s.watch;
    // still away: no more warnings
    expect(pollPorts(w, []).warning).toBeUndefined();
    s = pollPorts(w, [NANO_28]);
    expect(s.actions).toEqual([{ kind: 'open', port: NANO_28 }]);
    expect(s.warning).toBe(`MIDI "${NANO_28}" is back`);
  });

  it('a replug between two polls (new numbers) is a close and an open, without warnings', () => {
    const w = pollPorts(watchFor('nanoKONTROL2'), [NANO_24]).watch;
    const s = pollPorts(w, [NANO_28]);
    expect(s.actions).toEqual([{ kind: 'close', port: NANO_24 }, { kind: 'open', port: NANO_28 }]);
    expect(s.warning).toBeUndefined();
  });
});

describe('MidiConnection with the fake backend', () => {
  function setup() {
    const backend = new FakeMidiBackend();
    const received: MidiMessage[] = [];
    const warnings: string[] = [];
    const c = new MidiConnection({ backend, device: 'nanoKONTROL2', feedback: true, onMessage: (m) => received.push(m), warn: (w) => warnings.push(w) });
    return { backend, received, warnings, c };
  }

  it('receives from the input and sends feedback to the output of the same device', () => {
    const { backend, received, c } = setup();
    backend.plug(NANO_24);
    c.poll();
    backend.play(NANO_24, knob);
    c.send(knob);
    expect(received).toEqual([knob]);
    expect(backend.sent(NANO_24)).toEqual([knob]);
  });

  it('survives unplugging: one warning each way, messages again after the replug, nothing doubled', () => {
    const { backend, received, warnings, c } = setup();
    backend.plug(NANO_24);
    c.poll();
    backend.unplug(NANO_24);
    for (let i = 0; i < 5; i++) c.poll();
    expect(c.inputName).toBeNull();
    c.send(knob); // to a device that is gone: nothing, no throw
    backend.plug(NANO_28);
    for (let i = 0; i < 5; i++) c.poll();
    backend.play(NANO_28, knob);
    expect(received).toEqual([knob]);
    expect(warnings).toEqual([`MIDI "${NANO_24}" disappeared; it will be reopened when it comes back`, `MIDI "${NANO_28}" is back`]);
    c.send(knob);
    expect(backend.sent(NANO_28)).toEqual([knob]);
    // the old ports were closed: only the new input and output are open
    expect([...backend.open.keys()]).toEqual([NANO_28, `${NANO_28} (out)`]);
  });

  it('dispose closes every port and stops listening', () => {
    const { backend, received, c } = setup();
    backend.plug(NANO_24);
    c.poll();
    c.dispose();
    c.poll();
    backend.play(NANO_24, knob);
    expect(received).toEqual([]);
    expect(backend.open.size).toBe(0);
  });
});

describe('easymidi backend', () => {
  it('translates easymidi messages, dropping the kinds the show does not use', () => {
    expect(fromEasymidi({ _type: 'cc', channel: 3, controller: 7, value: 100 })).toEqual({ type: 'cc', channel: 3, controller: 7, value: 100 });
    expect(fromEasymidi({ _type: 'noteon', channel: 9, note: 36, velocity: 0 })).toEqual({ type: 'noteon', channel: 9, note: 36, velocity: 0 });
    expect(fromEasymidi({ _type: 'program', channel: 0, number: 5 })).toEqual({ type: 'program', channel: 0, number: 5 });
    expect(fromEasymidi({ _type: 'position', value: 32 })).toEqual({ type: 'position', value: 32 });
    expect(fromEasymidi({ _type: 'clock' })).toEqual({ type: 'clock' });
    expect(fromEasymidi({ _type: 'sysex', bytes: [0xf0, 0xf7] })).toBeNull();
  });

  it('where there is no ALSA sequencer, opening it is one clear line (elsewhere it lists ports)', () => {
    if (process.platform === 'linux' && !existsSync('/dev/snd/seq')) {
      expect(() => openEasymidiBackend()).toThrow(MidiUnavailableError);
      expect(() => openEasymidiBackend()).toThrow(/^MIDI is not available: no ALSA sequencer on this machine \(\/dev\/snd\/seq is missing; load the snd-seq kernel module\)$/);
    } else {
      let backend;
      try {
        backend = openEasymidiBackend();
      } catch (e) {
        // a machine whose MIDI system fails must still get one line
        expect(e).toBeInstanceOf(MidiUnavailableError);
        expect((e as Error).message).not.toContain('\n');
        return;
      }
      expect(Array.isArray(backend.listInputs())).toBe(true);
    }
  });
});
