import { describe, expect, it } from 'vitest';
import {
  COMMAND_TYPES,
  type Command,
  commandSchema,
  LIMITS,
  parseCommand,
} from '../../../control/protocol/commands.js';
import { describeCommand } from '../../../control/protocol/state.js';

/** The reason parseCommand gives for `input` (fails the test if it is accepted). */
function reason(input: unknown): string {
  const result = parseCommand(input);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.command)}`);
  expect(result.reason).not.toContain('\n');
  return result.reason;
}

function accepted(input: unknown): Command {
  const result = parseCommand(input);
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.reason}`);
  return result.command;
}

/** One valid example per command type, the boundaries included. */
const VALID: Array<Record<string, unknown>> = [
  { type: 'prompt', model: 'audio', text: 'steady beat' },
  { type: 'prompt', model: 'picture', text: 'x'.repeat(LIMITS.textMaxChars) },
  { type: 'seed', value: 0 },
  { type: 'seed', value: 2 ** 32 - 1 },
  { type: 'mix', value: 0 },
  { type: 'mix', value: 1 },
  { type: 'mix', value: 0.25 },
  { type: 'guidance', model: 'audio', value: 7 },
  { type: 'guidance', model: 'picture', value: 0 },
  { type: 'guidance', model: 'picture', value: 50 },
  { type: 'tempo', bpm: 20 },
  { type: 'tempo', bpm: 300 },
  { type: 'tempo', bpm: 92.5 },
  { type: 'preset', name: 'waltz' },
  { type: 'source', name: 'diffusion' },
  { type: 'source', name: 'images' },
  { type: 'source', name: 'imprint' },
  { type: 'source', name: 'session' },
  { type: 'imprint', text: 'a storm at sea' },
  { type: 'imprint', text: 'a storm at sea', strength: 0.5 },
  { type: 'imprint', image: 'photos/sea.png', strength: 1 },
  { type: 'imprint', image: '/abs/sea.png' },
  { type: 'imprint', strength: 0.3 },
  { type: 'meter', beats: 3 },
  { type: 'tap' },
  { type: 'resync' },
  { type: 'nudge', beats: -0.25 },
  { type: 'quantize', value: '2bars' },
  { type: 'gain', value: 0 },
  { type: 'filter', value: -1 },
  { type: 'freeze', on: true },
  { type: 'look', name: 'frame' },
  { type: 'blackout', on: true },
  { type: 'blackout', on: false },
  { type: 'visual', name: 'saturation', value: 4 },
  { type: 'visual', name: 'colormap', value: 'fire' },
  { type: 'visual', name: 'kaleidoscope', value: 6 },
  { type: 'visual', name: 'trails', value: 0 },
];

describe('parseCommand: accepted', () => {
  it.each(VALID.map((c) => [JSON.stringify(c).slice(0, 70), c] as const))('%s', (_, c) => {
    expect(accepted(c)).toEqual(c);
    // the same command sent as a JSON string (a socket or web page) reads the same
    expect(accepted(JSON.stringify(c))).toEqual(c);
    // and the exported union agrees with parseCommand
    expect(commandSchema.safeParse(c).success).toBe(true);
  });

  it('covers every command type', () => {
    expect(new Set(VALID.map((c) => c.type))).toEqual(new Set(COMMAND_TYPES));
  });

  it('returns a copy, not the caller object', () => {
    const input = { type: 'seed', value: 3 };
    const command = accepted(input);
    expect(command).not.toBe(input);
  });
});

describe('parseCommand: rejected with the field named', () => {
  const cases: Array<[string, unknown, string | RegExp]> = [
    // unknown or missing type
    [
      'unknown type',
      { type: 'volume', value: 1 },
      'unknown command type "volume" (valid: prompt, seed, mix, guidance, preset, source, imprint, tempo, meter, tap, resync, nudge, quantize, gain, filter, freeze, look, blackout, visual)',
    ],
    ['inherited member as type', { type: 'constructor' }, /^unknown command type "constructor"/],
    ['missing type', { value: 1 }, /^type: is required \(valid: prompt, seed,/],
    ['non-string type', { type: 3 }, /^type: must be a string \(got 3;/],
    // not an object
    ['array', [1, 2], 'a command must be a JSON object with a "type" field (got an array)'],
    ['null', null, 'a command must be a JSON object with a "type" field (got null)'],
    ['number', 5, 'a command must be a JSON object with a "type" field (got 5)'],
    ['JSON string holding a string', '"seed"', 'a command must be a JSON object with a "type" field (got "seed")'],
    // wrong JSON
    ['bad JSON', '{"type": "mix", "value": }', /^not valid JSON \(.+\)$/],
    ['empty string', '', /^not valid JSON/],
    // missing fields
    ['prompt without text', { type: 'prompt', model: 'audio' }, 'prompt.text: is required'],
    ['prompt without model', { type: 'prompt', text: 'x' }, 'prompt.model: is required (one of audio, picture)'],
    ['seed without value', { type: 'seed' }, 'seed.value: is required'],
    ['guidance without model', { type: 'guidance', value: 7 }, 'guidance.model: is required (one of audio, picture)'],
    ['tempo without bpm', { type: 'tempo' }, 'tempo.bpm: is required'],
    ['preset without name', { type: 'preset' }, 'preset.name: is required'],
    ['source without name', { type: 'source' }, 'source.name: is required (one of diffusion, images, imprint, session)'],
    // out of range
    ['mix above 1', { type: 'mix', value: 1.5 }, 'mix.value: must be at most 1 (got 1.5)'],
    ['mix below 0', { type: 'mix', value: -0.1 }, 'mix.value: must be at least 0 (got -0.1)'],
    ['seed above 2^32-1', { type: 'seed', value: 2 ** 32 }, 'seed.value: must be at most 4294967295 (got 4294967296)'],
    ['negative seed', { type: 'seed', value: -1 }, 'seed.value: must be at least 0 (got -1)'],
    ['fractional seed', { type: 'seed', value: 1.5 }, 'seed.value: must be a whole number (got 1.5)'],
    ['guidance above 50', { type: 'guidance', model: 'audio', value: 51 }, 'guidance.value: must be at most 50 (got 51)'],
    ['tempo below 20', { type: 'tempo', bpm: 19 }, 'tempo.bpm: must be at least 20 (got 19)'],
    ['tempo above 300', { type: 'tempo', bpm: 301 }, 'tempo.bpm: must be at most 300 (got 301)'],
    ['strength above 1', { type: 'imprint', text: 'x', strength: 2 }, 'imprint.strength: must be at most 1 (got 2)'],
    ['infinite value (1e999)', '{"type":"mix","value":1e999}', 'mix.value: must be a finite number (got Infinity)'],
    // text lengths
    ['empty prompt', { type: 'prompt', model: 'audio', text: '' }, 'prompt.text: must not be empty'],
    ['blank prompt', { type: 'prompt', model: 'audio', text: '   ' }, 'prompt.text: must not be blank'],
    [
      'prompt too long',
      { type: 'prompt', model: 'audio', text: 'x'.repeat(501) },
      'prompt.text: must be at most 500 characters long (got 501)',
    ],
    ['empty preset name', { type: 'preset', name: '' }, 'preset.name: must not be empty'],
    // wrong types and enums
    ['mix as string', { type: 'mix', value: '0.5' }, 'mix.value: must be a number (got "0.5")'],
    ['text as number', { type: 'prompt', model: 'audio', text: 5 }, 'prompt.text: must be a string (got 5)'],
    ['unknown model', { type: 'prompt', model: 'video', text: 'x' }, 'prompt.model: must be one of audio, picture (got "video")'],
    [
      'unknown source',
      { type: 'source', name: 'radio' },
      'source.name: must be one of diffusion, images, imprint, session (got "radio")',
    ],
    // extra fields
    ['extra field', { type: 'mix', value: 0.5, volume: 1 }, 'mix: unknown field "volume" (valid: type, value)'],
    ['misspelt field wins over "required"', { type: 'mix', vale: 0.5 }, 'mix: unknown field "vale" (valid: type, value)'],
    ['two extra fields', { type: 'seed', value: 1, a: 1, b: 2 }, 'seed: unknown fields "a", "b" (valid: type, value)'],
    // imprint: exactly one of text or image
    ['imprint with both', { type: 'imprint', text: 'x', image: 'a.png' }, 'imprint: needs at most one of "text" or "image", not both'],
    ['imprint with nothing', { type: 'imprint' }, 'imprint: needs "text", "image" or "strength"'],
    ['prompt of invisible characters', { type: 'prompt', model: 'audio', text: '\u200b\u200b ' }, 'prompt.text: must not be blank'],
    ['freeze as a number', { type: 'freeze', on: 1 }, 'freeze.on: must be a boolean (got 1)'],
    ['quantize to a bad value', { type: 'quantize', value: '3bars' }, 'quantize.value: must be one of now, beat, bar, 2bars, 4bars, segment (got "3bars")'],
    ['filter out of range', { type: 'filter', value: -1.5 }, 'filter.value: must be at least -1 (got -1.5)'],
    ['tap with a value', { type: 'tap', value: 1 }, 'tap: unknown field "value" (valid: type)'],
    ['a huge unknown type', { type: 'x'.repeat(1_000_000) }, /^unknown command type "x{40}…" \(valid: /],
    ['control characters in an unknown type', { type: '\u001b[2J\r\u0000' }, 'unknown command type "\\\\u{1b}[2J\\\\u{d}\\\\u{0}" (valid: prompt, seed, mix, guidance, preset, source, imprint, tempo, meter, tap, resync, nudge, quantize, gain, filter, freeze, look, blackout, visual)'],
    ['imprint with empty image', { type: 'imprint', image: '' }, 'imprint.image: must not be empty'],
    // the projector: each effect input's value is checked against that input's range
    ['unknown look', { type: 'look', name: 'tunnel' }, 'look.name: must be one of timeline, frame, terrain, listen (got "tunnel")'],
    ['blackout as a string', { type: 'blackout', on: 'yes' }, 'blackout.on: must be a boolean (got "yes")'],
    ['unknown effect input', { type: 'visual', name: 'glow', value: 1 }, /^visual\.name: must be one of saturation, colormap, brightness, .* \(got "glow"\)$/],
    ['effect input out of range', { type: 'visual', name: 'saturation', value: 5 }, 'visual.value: must be at most 4 (got 5)'],
    ['effect input of the wrong type', { type: 'visual', name: 'zoom', value: 'big' }, 'visual.value: must be a number (got "big")'],
    ['whole-number effect input', { type: 'visual', name: 'kaleidoscope', value: 2.5 }, 'visual.value: must be a whole number (got 2.5)'],
    ['unknown colour map', { type: 'visual', name: 'colormap', value: 'plasma' }, 'visual.value: must be one of off, fire, ice, neon, rainbow (got "plasma")'],
    ['effect input without a value', { type: 'visual', name: 'zoom' }, 'visual.value: is required'],
  ];

  it.each(cases)('%s', (_, input, expected) => {
    const r = reason(input);
    if (typeof expected === 'string') expect(r).toBe(expected);
    else expect(r).toMatch(expected);
  });

  it('truncates long received strings in reasons', () => {
    const r = reason({ type: 'source', name: 'x'.repeat(100) });
    expect(r.length).toBeLessThan(140);
    expect(r).toContain('…');
  });
});

describe('describeCommand', () => {
  it('renders each command type as one line', () => {
    const lines = VALID.map((c) => describeCommand(accepted(c)));
    for (const line of lines) expect(line).not.toContain('\n');
    expect(describeCommand({ type: 'prompt', model: 'audio', text: 'steady beat' })).toBe('prompt audio "steady beat"');
    expect(describeCommand({ type: 'seed', value: 42 })).toBe('seed 42');
    expect(describeCommand({ type: 'mix', value: 0.5 })).toBe('mix 0.5');
    expect(describeCommand({ type: 'guidance', model: 'picture', value: 7 })).toBe('guidance picture 7');
    expect(describeCommand({ type: 'tempo', bpm: 120 })).toBe('tempo 120 bpm');
    expect(describeCommand({ type: 'preset', name: 'waltz' })).toBe('preset "waltz"');
    expect(describeCommand({ type: 'source', name: 'images' })).toBe('source images');
    expect(describeCommand({ type: 'imprint', text: 'sea', strength: 0.4 })).toBe('imprint text "sea" strength 0.4');
    expect(describeCommand({ type: 'imprint', image: 'a.png' })).toBe('imprint image "a.png"');
  });

  it('keeps a long, multi-line prompt on one short line', () => {
    const line = describeCommand({ type: 'prompt', model: 'audio', text: `first\nsecond ${'x'.repeat(200)}` });
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(90);
  });
});
