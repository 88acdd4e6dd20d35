import { describe, expect, it } from 'vitest';
import { type MappingFile, formatMappingFile, parseMappingFile } from '../../../control/mapping/mappingFile.js';

const GOOD = `
device: nanoKONTROL2
programChange: [waltz, drone]
mappings:
  - parameter: mix
    cc: 0
  - parameter: filter
    cc: 16
    channel: 1
    min: -0.5
    max: 0.5
    curve: logarithmic
    takeover: scale
  - parameter: seed
    cc: 17
    relative: twos-complement
  - parameter: freeze
    note: 41
    noteMode: momentary
  - parameter: tap
    note: 42
`;

function parsed(text: string): MappingFile {
  const r = parseMappingFile(text, 'nano.yaml');
  if (!r.ok) throw new Error(r.reason);
  return r.file;
}

describe('mapping files', () => {
  it('reads a file, filling in the defaults', () => {
    const f = parsed(GOOD);
    expect(f.device).toBe('nanoKONTROL2');
    expect(f.feedback).toBe(true);
    expect(f.programChange).toEqual(['waltz', 'drone']);
    expect(f.mappings[0]).toEqual({
      device: 'nanoKONTROL2', channel: 0, kind: 'cc', number: 0, parameter: 'mix',
      min: 0, max: 1, curve: 'linear', takeover: 'pickup', relative: 'none', noteMode: 'toggle',
    });
    expect(f.mappings[1]).toMatchObject({ channel: 1, min: -0.5, max: 0.5, curve: 'logarithmic', takeover: 'scale' });
    expect(f.mappings[3]).toMatchObject({ kind: 'note', number: 41, noteMode: 'momentary' });
  });

  it('saves and reads back the same mappings', () => {
    const f = parsed(GOOD);
    const text = formatMappingFile(f);
    expect(parsed(text)).toEqual(f);
    expect(text.startsWith('# Synesthete MIDI mappings')).toBe(true);
  });

  it('an empty file or one with only a device is a controller with no mappings', () => {
    expect(parsed('device: X\n')).toEqual({ device: 'X', feedback: true, programChange: [], mappings: [] });
  });

  it.each([
    ['device: [\n', 'nano.yaml: not valid YAML ('],
    ['', 'nano.yaml: device: is required'],
    ['device: X\nfeedbck: true\n', 'nano.yaml: (top level): unknown field "feedbck"'],
    ['device: X\nmappings:\n  - parameter: mix\n    cc: 128\n', 'nano.yaml: mappings[0].cc: must be at most 127'],
    ['device: X\nmappings:\n  - parameter: mix\n    cc: 1.5\n', 'nano.yaml: mappings[0].cc: must be a whole number'],
    ['device: X\nmappings:\n  - parameter: mix\n    cc: 1\n    channel: 16\n', 'nano.yaml: mappings[0].channel: must be at most 15'],
    ['device: X\nmappings:\n  - parameter: mix\n    cc: 1\n    curve: cubic\n', 'nano.yaml: mappings[0].curve: must be one of linear, exponential, logarithmic'],
    ['device: X\nmappings:\n  - parameter: volume\n    cc: 1\n', 'nano.yaml: mappings[0].parameter: unknown parameter "volume"'],
    ['device: X\nmappings:\n  - parameter: prompt.audio\n    cc: 1\n', 'nano.yaml: mappings[0].parameter: "prompt.audio" is text and cannot be driven by a MIDI control'],
    ['device: X\nmappings:\n  - parameter: mix\n', 'nano.yaml: mappings[0]: needs exactly one of "cc" or "note"'],
    ['device: X\nmappings:\n  - parameter: mix\n    cc: 1\n    note: 2\n', 'nano.yaml: mappings[0]: needs exactly one of "cc" or "note"'],
    ['device: X\nmappings:\n  - parameter: mix\n    cc: 1\n    max: 2\n', "nano.yaml: mappings[0].max: 2 is outside mix's range 0–1"],
    ['device: X\nmappings:\n  - parameter: quantize\n    cc: 1\n    min: 0\n', 'nano.yaml: mappings[0].min: quantize is an enum, it has no range'],
    ['device: X\nmappings:\n  - parameter: tap\n    note: 1\n    relative: signed-bit\n', 'nano.yaml: mappings[0].relative: relative encoders send CC, not notes'],
    ['device: X\nmappings:\n  - parameter: nudge\n    cc: 1\n', 'nano.yaml: mappings[0]: nudge moves the phase by every value sent, so a knob would keep nudging: use an endless encoder (relative) or a pad'],
    ['device: X\nmappings:\n  - parameter: mix\n    cc: 1\n  - parameter: gain\n    cc: 1\n', 'nano.yaml: mappings[1]: cc 1 on channel 0 is already mapped by mappings[0]'],
  ])('refuses %j with one line', (text, reason) => {
    const r = parseMappingFile(text, 'nano.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.startsWith(reason)).toBe(true);
      expect(r.reason).not.toContain('\n');
    }
  });

  it('a billion-laughs file is refused, not expanded', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const r = parseMappingFile(`${lines.join('\n')}\ndevice: X\n`, 'bomb.yaml');
    expect(r.ok).toBe(false);
  });
});
