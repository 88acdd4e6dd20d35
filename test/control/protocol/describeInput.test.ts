import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../control/protocol/commands.js';
import { describeInput, hasVisibleCharacter, safeText } from '../../../control/protocol/describeInput.js';

const reason = (input: unknown) => {
  const r = parseCommand(input);
  if (r.ok) throw new Error('expected a rejection');
  return r.reason;
};
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029]/;

describe('reasons never echo input unfiltered', () => {
  it('a 1 MB unknown command type gives a short reason', () => {
    const r = reason({ type: 'x'.repeat(1_000_000) });
    expect(r.length).toBeLessThan(250);
    expect(r).toBe(`unknown command type "${'x'.repeat(40)}…" (valid: prompt, seed, mix, guidance, preset, source, imprint, tempo, meter, tap, resync, nudge, quantize, gain, filter, freeze, look, blackout, visual)`);
  });

  it('"not valid JSON" reasons carry no raw CR, ESC or NUL', () => {
    for (const input of ['\u001b[2J\u001b[31mred', '{"type": "mix",\r "value": \u0000}', '\u202eevil', `{"a":${'\u001b'.repeat(5000)}}`]) {
      const r = reason(input);
      expect(r).toMatch(/^not valid JSON/);
      expect(r).not.toMatch(CONTROL);
      expect(r.length).toBeLessThanOrEqual(401);
    }
    expect(reason('\u001b[2J')).toContain('\\u{1b}');
  });

  it('unknown field names are cut and escaped too', () => {
    const r = reason({ type: 'mix', value: 1, ['\u001b'.repeat(100)]: 1, b: 1, c: 1, d: 1, e: 1, f: 1 });
    expect(r).not.toMatch(CONTROL);
    expect(r).toMatch(/and 1 more \(valid: type, value\)$/);
  });

  it('a prompt of only invisible characters is blank', () => {
    for (const text of ['\u200b', '\u200b\u200c\u200d\u2060', '\u3164', ' \u00a0\u2800', '\u0301']) {
      expect(reason({ type: 'prompt', model: 'audio', text })).toBe('prompt.text: must not be blank');
    }
    expect(parseCommand({ type: 'prompt', model: 'audio', text: '\u200bwaltz' }).ok).toBe(true);
    expect(parseCommand({ type: 'imprint', text: '日本' }).ok).toBe(true);
  });
});

describe('describeInput / safeText / hasVisibleCharacter', () => {
  it('cut at whole characters, escape what a terminal would act on, and quote', () => {
    expect(safeText('a\rb\u0000c\u007fd\u0085e', 100)).toBe('a\\u{d}b\\u{0}c\\u{7f}d\\u{85}e');
    expect(safeText('😀'.repeat(5), 2)).toBe('😀😀…');
    expect(describeInput('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(hasVisibleCharacter('\t\n\u200b')).toBe(false);
    expect(hasVisibleCharacter('·')).toBe(true);
  });
});
